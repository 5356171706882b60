/** The parts of a postgres or mysql URL, percent escapes left in. */
export interface ServerUrlParts {
  username: string;
  password: string;
  /** '' when the URL names none (`postgres:///db`, `mysql://app@/db`); a socket path when percent-encoded (`%2Frun%2Fmysqld%2Fmysqld.sock`). */
  hostname: string;
  port: string;
  pathname: string;
  searchParams: URLSearchParams;
}

/**
 * A server database URL, as WHATWG URL parses it, and also with a user but no host
 * (`mysql://app@/shop?unix_socket=…`), which Python's urlsplit, and so dj-database-url and
 * django-environ, take as an empty host and URL refuses. Throws TypeError when it is no URL.
 */
export function serverUrlParts(url: string): ServerUrlParts {
  const userOnly = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@]*)@([/?#].*)?$/i.exec(url);
  if (!userOnly) {
    const parsed = new URL(url);
    // An IPv6 literal is bracketed in a URL only: as a host to connect to it is bare, as urlsplit gives it.
    return { username: parsed.username, password: parsed.password, hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port: parsed.port, pathname: parsed.pathname, searchParams: parsed.searchParams };
  }
  // Any host makes it parse; the placeholder never leaves this function.
  const parsed = new URL(`${userOnly[1]}@h${userOnly[2] ?? ''}`);
  return { username: parsed.username, password: parsed.password, hostname: '', port: '', pathname: parsed.pathname, searchParams: parsed.searchParams };
}
