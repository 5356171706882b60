import type { SettingsReader } from './settingsReader';
import { type SettingValue, stringOf } from './settingValue';

const WHERE = "DATABASES['default']['OPTIONS']['options']";

/**
 * libpq's `options` a PostgreSQL `DATABASES` entry passes through psycopg (`OPTIONS['options']`,
 * e.g. `-c search_path=appx`): it can set the search_path that decides which schema's
 * django_session Django uses. `undefined` when not set; `null`, with a problem, when it cannot be
 * read statically, since opening the table of another schema would show and delete the wrong sessions.
 */
export function postgresOptions(reader: SettingsReader, options: SettingValue | undefined): string | undefined | null {
  const value = options?.kind === 'dict' ? options.entries.get('options') : undefined;
  if (!value || value.kind === 'none') {
    return undefined;
  }
  const text = stringOf(value);
  if (text === undefined) {
    reader.problems.push({
      message: `${WHERE} cannot be read statically${value.kind === 'unknown' ? ` (${value.reason})` : ''}; it may set the search_path that picks the session table's schema, so the store is not opened. Give it as a URL with options= or table=schema.django_session.`,
      location: value.kind === 'unknown' && value.location ? value.location : reader.location('DATABASES'),
    });
    return null;
  }
  return text;
}
