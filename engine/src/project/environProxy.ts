import { type SettingValue, unknown } from './settingValue';

/** More proxies in a row than any settings need: a loop (`A=$B`, `B=$A`), where Python recurses until it fails. */
const MAX_PROXIES = 16;

/**
 * django-environ's proxied values: a value read through `env(...)` that starts with `$` stands
 * for the variable it names (`REDIS_URL=$REDISCLOUD_URL`), read in its place by `read`. This is
 * its only expansion: `${NAME}` inside a value stays as written, in `.env` files `read_env()`
 * loads too.
 */
export function followEnvironProxies(value: SettingValue, read: (name: string) => SettingValue): SettingValue {
  let current = value;
  for (let proxies = 0; current.kind === 'str' && current.value.startsWith('$'); proxies++) {
    if (proxies === MAX_PROXIES) {
      return unknown(`django-environ's $NAME proxies go round in a loop (at ${current.value})`);
    }
    current = read(current.value.replace(/^\$+/, ''));
  }
  return current;
}
