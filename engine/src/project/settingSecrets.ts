import type { SettingValue } from './settingValue';

/** Names whose value is a credential: `SESSION_REDIS_PASSWORD`, `{'password': …}`, a token or a secret. */
const SECRET_NAME = /passw(?:or)?d|secret|token|credential|api_?key/i;
/** A URL with userinfo: `redis://:password@host`, `postgres://user:password@host/db`; the password runs to the last `@`, as it may hold `/` or `@`. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*:)(?:.*)(@[^@]*)$/is;
/** A credential in a URL's query, as redis-py's `from_url` and database URLs take it: `?password=…`. */
const QUERY_SECRET = /([?&](?:password|passwd|pass|pwd|secret|token|api_?key)=)[^&#]*/gi;
/** Where a str holds several URLs (`redis://a,redis://b`), each is masked. */
const NEXT_URL = /,(?=\s*[a-z][a-z0-9+.-]*:\/\/)/i;
/** What a hidden credential is shown as. */
const MASKED = '…';

/**
 * A setting's value as it may be shown (scan's output, a hover): a str under a credential's
 * name is hidden, and so is the password of a URL anywhere in it. Settings like
 * `SESSION_REDIS = {'url': 'redis://:pw@host'}` are read from the environment where a tool
 * runs (CI, a deploy host), whose logs should not hold them.
 */
export function withSecretsMasked(name: string, value: SettingValue): SettingValue {
  switch (value.kind) {
    case 'str':
      return SECRET_NAME.test(name) && value.value !== '' ? { ...value, value: MASKED } : { ...value, value: withUrlSecretsMasked(value.value) };
    case 'int':
    case 'float':
      return SECRET_NAME.test(name) ? { kind: 'str', value: MASKED } : value;
    case 'list':
    case 'tuple':
      return { ...value, items: value.items.map((item) => withSecretsMasked(name, item)) };
    case 'dict':
      return { ...value, entries: new Map([...value.entries].map(([key, entry]) => [key, withSecretsMasked(key, entry)])) };
    default:
      return value;
  }
}

function withUrlSecretsMasked(text: string): string {
  return text
    .split(NEXT_URL)
    .map((url) => url.replace(URL_PASSWORD, `$1${MASKED}$2`).replace(QUERY_SECRET, `$1${MASKED}`))
    .join(',');
}
