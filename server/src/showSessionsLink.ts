import { markdownCode } from './markdownCode';
import { SHOW_SESSIONS_WITH_KEY_COMMAND } from './protocol';

/**
 * A hover's command link that lists the sessions holding `key` in the Sessions view. The key is
 * the command's one argument, as JSON in the URI's query, percent-encoded twice: VS Code decodes
 * a command link's query once parsing the URI and again before JSON.parse, so encoded once a
 * `%41` in the key would reach the command as `A`. Parentheses are encoded too, so a key holding
 * `)` cannot end the Markdown link early.
 */
export function showSessionsLink(key: string): string {
  const argument = encodeURIComponent(encodeURIComponent(JSON.stringify([key]))).replace(/[()!'*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[Show sessions holding ${markdownCode(key)}](command:${SHOW_SESSIONS_WITH_KEY_COMMAND}?${argument})`;
}
