import { pythonUnquote } from '../pythonUnquote';
/** The parts of a URL as Python's `urllib.parse.urlsplit` cuts them (no `;params`). */
interface PythonUrlParts {
  /** Lower-cased; '' when the URL has none. */
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  /** `netloc` without user info and port, lower-cased; '' when there is none. */
  hostname: string;
}

/**
 * Cuts a URL as Python's `urlsplit` does, which django-environ builds its settings from: the
 * network location is everything between `//` and the next `/`, `?` or `#`, so it may name
 * several servers (`h1:6379,h2:6379`), which WHATWG URL parsing refuses.
 */
export function pythonUrlSplit(url: string): PythonUrlParts {
  let rest = url;
  let scheme = '';
  const colon = rest.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
  }
  rest = rest.split('#')[0]!;
  const question = rest.indexOf('?');
  const query = question < 0 ? '' : rest.slice(question + 1);
  const path = question < 0 ? rest : rest.slice(0, question);
  return { scheme, netloc, path, query, hostname: hostnameOf(netloc) };
}

function hostnameOf(netloc: string): string {
  const host = netloc.slice(netloc.lastIndexOf('@') + 1);
  const name = host.startsWith('[') ? host.slice(1, Math.max(host.indexOf(']'), 1)) : host.split(':')[0]!;
  return name.toLowerCase();
}

/**
 * Python's `parse_qs(query)` with its defaults: `&`-separated pairs, `+` as a space, percent
 * escapes decoded; a pair without `=` or with an empty value is dropped. Each name keeps its
 * first value, the one django-environ reads.
 */
export function pythonParseQs(query: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || equals === pair.length - 1) {
      continue;
    }
    const name = pythonUnquote(pair.slice(0, equals).replace(/\+/g, ' '));
    if (!values.has(name)) {
      values.set(name, pythonUnquote(pair.slice(equals + 1).replace(/\+/g, ' ')));
    }
  }
  return values;
}
