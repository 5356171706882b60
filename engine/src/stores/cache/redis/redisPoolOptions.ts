/**
 * Connection keywords a Redis cache's `OPTIONS` hand to redis-py's `ConnectionPool.from_url`
 * beside each `LOCATION`: the database, ACL user and password a URL may leave out.
 */
export interface RedisPoolOptions {
  db?: number;
  username?: string;
  password?: string;
}

const LOCATION_PARTS = /^([a-z][a-z0-9+]*:)(?:\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?$/i;

/**
 * Whether a location names its database itself (`?db=`, or a `redis://`/`rediss://` path), which
 * redis-py's `from_url` puts before any keyword. A location it cannot take apart counts as naming
 * one: it is refused when opened, whatever the keywords say.
 */
export function locationNamesDatabase(location: string): boolean {
  const m = LOCATION_PARTS.exec(location);
  if (!m) {
    return true;
  }
  const query = new URLSearchParams(m[4] ?? '');
  return query.has('db') || (!/^unix:$/i.test(m[1] ?? '') && (m[3] ?? '').replace(/^\//, '') !== '');
}

/**
 * The location with the keywords it lacks written into it, so that it points where redis-py
 * connects: the URL's own database, user and password win, as in `from_url`.
 */
export function withPoolOptions(location: string, options: RedisPoolOptions): string {
  const m = LOCATION_PARTS.exec(location);
  if (!m) {
    return location;
  }
  const [, scheme = '', authority, path = '', search] = m;
  let newSearch = search ?? '';
  let newPath = path;
  if (options.db !== undefined && !locationNamesDatabase(location)) {
    if (/^unix:$/i.test(scheme)) {
      newSearch = `${newSearch ? `${newSearch}&` : '?'}db=${options.db}`;
    } else {
      newPath = `/${options.db}`;
    }
  }
  let newAuthority = authority ?? '';
  const at = newAuthority.lastIndexOf('@');
  const userInfo = at >= 0 ? newAuthority.slice(0, at) : '';
  const host = at >= 0 ? newAuthority.slice(at + 1) : newAuthority;
  const colon = userInfo.indexOf(':');
  const user = colon >= 0 ? userInfo.slice(0, colon) : userInfo;
  const password = colon >= 0 ? userInfo.slice(colon + 1) : '';
  const newUser = user || encodeURIComponent(options.username ?? '');
  const newPassword = password || encodeURIComponent(options.password ?? '');
  if (newUser || newPassword) {
    newAuthority = `${newUser}${newPassword ? `:${newPassword}` : ''}@${host}`;
  }
  // A socket without `//` (unix:/path) gains it only when it gains a user or password.
  const slashes = authority !== undefined || newAuthority !== '' ? `//${newAuthority}` : '';
  return `${scheme}${slashes}${newPath}${newSearch}`;
}
