import { markdownCode } from './markdownCode';
import { SHOW_SESSIONS_WITH_KEY_COMMAND } from './protocol';

/**
 * A hover's command link that lists the sessions holding `key` in the Sessions view. The key is
 * the command's one argument, as JSON in the URI's query: percent-encoded whole, parentheses too,
 * so a key holding `)` cannot end the Markdown link early.
 */
export function showSessionsLink(key: string): string {
  const argument = encodeURIComponent(JSON.stringify([key])).replace(/[()!'*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[Show sessions holding ${markdownCode(key)}](command:${SHOW_SESSIONS_WITH_KEY_COMMAND}?${argument})`;
}
