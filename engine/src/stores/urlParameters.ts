import { StoreError } from './storeError';

/** The query parameters each kind of store URL takes; any other is refused, so a misspelt one is not ignored. */
const PARAMETERS = {
  db: ['table', 'db_time_zone', 'cache', 'serializer'],
  serverDb: ['table', 'db_time_zone', 'cache', 'serializer', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'options', 'host', 'unix_socket', 'protocol'],
  file: ['cookie_name', 'serializer'],
  cache: ['db', 'key_prefix', 'version', 'key_pattern', 'client', 'compressor', 'pickle_version', 'ssl_cert_reqs', 'ssl_ca_certs'],
} as const;
const COMMON = ['salt', 'use_tz', 'time_zone', 'cookie_age'];

/** Refuses a parameter `kind` URLs do not take, naming those they do (and where a cache's belong in a db URL). */
export function checkUrlParameters(query: URLSearchParams, kind: keyof typeof PARAMETERS, scheme: string, common = true): void {
  const own: readonly string[] = PARAMETERS[kind];
  const accepted = common ? [...own, ...COMMON] : own;
  for (const name of new Set(query.keys())) {
    if (!accepted.includes(name)) {
      const inCache = (kind === 'db' || kind === 'serverDb') && (PARAMETERS.cache as readonly string[]).includes(name) ? ` (${name}= of a cached_db cache goes inside the encoded cache= URL)` : '';
      throw new StoreError('bad-url', `${scheme} URLs take no ${name}= parameter${inCache}; they take ${accepted.map((p) => `${p}=`).join(', ')}.`);
    }
  }
}
