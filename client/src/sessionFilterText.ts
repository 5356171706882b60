import type { SessionFilter } from '../../server/src/protocol';

/** What the filter box accepts, shown as its prompt. */
export const FILTER_SYNTAX = 'user:ID  key:NAME  active | expired  and any other words: text the decoded data contains';

/** A parsed filter, or why the text is not one. */
export type ParsedFilter = { filter: SessionFilter | undefined } | { error: string };

const FIELDS = { 'user:': 'userId', 'key:': 'hasKey' } as const;

/**
 * Reads the filter box: `user:42 key:cart active` and free words, which together are one text
 * to find (as the CLI's --grep). Empty text is no filter. Words are split on spaces, so a key or
 * user id with spaces cannot be given; such keys are rare and `key:` would be ambiguous then.
 */
export function parseSessionFilter(text: string): ParsedFilter {
  const filter: SessionFilter = {};
  const words: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const lower = word.toLowerCase();
    if (lower === 'active' || lower === 'expired') {
      if (filter.state && filter.state !== lower) {
        return { error: 'Choose active or expired, not both.' };
      }
      filter.state = lower;
      continue;
    }
    const prefix = (Object.keys(FIELDS) as (keyof typeof FIELDS)[]).find((p) => lower.startsWith(p));
    if (!prefix) {
      words.push(word);
      continue;
    }
    const value = word.slice(prefix.length);
    const field = FIELDS[prefix];
    if (value === '') {
      return { error: `${prefix} needs a value, e.g. ${prefix === 'user:' ? 'user:42' : 'key:cart'}.` };
    }
    if (filter[field] !== undefined && filter[field] !== value) {
      return { error: `Give ${prefix} once.` };
    }
    filter[field] = value;
  }
  if (words.length > 0) {
    filter.text = words.join(' ');
  }
  return { filter: Object.keys(filter).length > 0 ? filter : undefined };
}

/** The filter as the box reads it, so it can be shown and edited again. */
export function formatSessionFilter(filter: SessionFilter): string {
  return [filter.userId !== undefined ? `user:${filter.userId}` : '', filter.hasKey !== undefined ? `key:${filter.hasKey}` : '', filter.state ?? '', filter.text ?? '']
    .filter(Boolean)
    .join(' ');
}
