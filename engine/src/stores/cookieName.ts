import { StoreError } from './storeError';

/**
 * A cookie name as RFC 6265 allows it (a token: no separators, spaces or control characters),
 * which is all `SESSION_COOKIE_NAME` can be for a browser to send it back.
 */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Checks a session cookie name before it becomes part of a path: the file engine names each file
 * `SESSION_COOKIE_NAME + key`, so a name with `/`, `\`, `..` or NUL would reach outside the
 * session directory. Throws a StoreError naming the fix.
 */
export function checkCookieName(name: string): string {
  if (!COOKIE_NAME.test(name) || name.includes('..')) {
    throw new StoreError('bad-url', `cookie_name=${JSON.stringify(name)} cannot be a session cookie name (SESSION_COOKIE_NAME): use letters, digits and -_. only, e.g. cookie_name=sessionid.`);
  }
  return name;
}
