import type { SettingValue } from './settingValue';

/** Names whose value is a credential: `SESSION_REDIS_PASSWORD`, `{'password': …}`, a token or a secret. */
const SECRET_NAME = /passw(?:or)?d|secret|token|credential|api_?key/i;
/** A URL with userinfo: `redis://:password@host`, `postgres://user:password@host/db`. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*:)[^@/?#]*(?:@[^@/?#]*)*(@.*)$/is;
/** What a hidden credential is shown as. */
export const MASKED = '…';

/**
 * A setting's value as it may be shown (scan's output, a hover): a str under a credential's
 * name is hidden, and so is the password of a URL anywhere in it. Settings like
 * `SESSION_REDIS = {'url': 'redis://:pw@host'}` are read from the environment where a tool
 * runs (CI, a deploy host), whose logs should not hold them.
 */
export function withSecretsMasked(name: string, value: SettingValue): SettingValue {
  switch (value.kind) {
    case 'str':
      return SECRET_NAME.test(name) && value.value !== '' ? { ...value, value: MASKED } : { ...value, value: value.value.replace(URL_PASSWORD, `$1${MASKED}$2`) };
    case 'list':
    case 'tuple':
      return { ...value, items: value.items.map((item) => withSecretsMasked(name, item)) };
    case 'dict':
      return { ...value, entries: new Map([...value.entries].map(([key, entry]) => [key, withSecretsMasked(key, entry)])) };
    default:
      return value;
  }
}
