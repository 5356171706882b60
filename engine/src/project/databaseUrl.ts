import { pythonUnquote } from '../pythonUnquote';
import { type ServerUrlParts, serverUrlParts } from '../stores/serverUrlParts';
import { type SettingValue, truthiness, unknown } from './settingValue';

const DB_ENGINES: Record<string, string> = {
  sqlite: 'django.db.backends.sqlite3',
  spatialite: 'django.contrib.gis.db.backends.spatialite',
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
  pgsql: 'django.db.backends.postgresql',
  psql: 'django.db.backends.postgresql',
  postgis: 'django.contrib.gis.db.backends.postgis',
  mysql: 'django.db.backends.mysql',
  mysql2: 'django.db.backends.mysql',
  mysqlgis: 'django.contrib.gis.db.backends.mysql',
  mariadb: 'django.db.backends.mysql',
};

function str(value: string, envVar?: string): SettingValue {
  return envVar ? { kind: 'str', value, envVar } : { kind: 'str', value };
}

/**
 * A `DATABASES` entry from a database URL, as `dj_database_url.parse` and django-environ's
 * `env.db()` build it. The password keeps the name of the variable that held the URL.
 */
export function databaseFromUrl(url: string, envVar?: string): SettingValue {
  const scheme = /^([\w+-]+):/.exec(url)?.[1]?.toLowerCase() ?? '';
  const engine = DB_ENGINES[scheme.split('+')[0] ?? ''];
  if (!engine) {
    return unknown(`unsupported database URL scheme '${scheme}'`);
  }
  if (scheme === 'sqlite' || scheme === 'spatialite') {
    const rest = url.slice(`${scheme}://`.length);
    const name = rest === '' || rest === '/:memory:' ? ':memory:' : rest.replace(/^\//, '');
    return { kind: 'dict', entries: new Map([['ENGINE', str(engine)], ['NAME', str(pythonUnquote(name.split('?')[0] ?? ''))]]) };
  }
  let parsed: ServerUrlParts;
  try {
    parsed = serverUrlParts(url);
  } catch {
    return unknown('the database URL is not a valid URL');
  }
  const entries = new Map<string, SettingValue>([
    ['ENGINE', str(engine)],
    ['NAME', str(pythonUnquote(parsed.pathname.replace(/^\//, '')))],
    ['USER', str(pythonUnquote(parsed.username))],
    ['PASSWORD', str(pythonUnquote(parsed.password), envVar)],
    ['HOST', str(pythonUnquote(parsed.hostname))],
    ['PORT', parsed.port ? { kind: 'int', value: Number(parsed.port) } : str('')],
  ]);
  const options = urlOptions(parsed.searchParams, engine);
  if (options.size > 0) {
    entries.set('OPTIONS', { kind: 'dict', entries: options });
  }
  return { kind: 'dict', entries };
}

/** The query string as `OPTIONS`, as dj-database-url passes it on (`?sslmode=require`; `ssl-ca` as mysqlclient's `ssl` dict). */
function urlOptions(query: URLSearchParams, engine: string): Map<string, SettingValue> {
  const options = new Map<string, SettingValue>();
  for (const [name, value] of query) {
    if (name === 'ssl-ca' && engine.endsWith('.mysql')) {
      options.set('ssl', { kind: 'dict', entries: new Map([['ca', str(value)]]) });
    } else {
      options.set(name, /^\d+$/.test(value) ? { kind: 'int', value: Number(value) } : str(value));
    }
  }
  return options;
}

/** dj_database_url's `conn_max_age=` and `ssl_require=`, applied to the dict a URL gave. */
export function withDatabaseOptions(database: SettingValue, keywords: ReadonlyMap<string, SettingValue>): SettingValue {
  if (database.kind !== 'dict') {
    return database;
  }
  const age = keywords.get('conn_max_age');
  if (age) {
    database.entries.set('CONN_MAX_AGE', age);
  }
  const sslRequire = keywords.get('ssl_require');
  if (sslRequire && truthiness(sslRequire) !== false) {
    const options = database.entries.get('OPTIONS');
    const entries = options?.kind === 'dict' ? options.entries : new Map<string, SettingValue>();
    // A flag that cannot be read statically leaves the TLS unknown rather than weaker.
    entries.set('sslmode', truthiness(sslRequire) === true ? { kind: 'str', value: 'require' } : unknown('ssl_require= cannot be read statically'));
    database.entries.set('OPTIONS', { kind: 'dict', entries });
  }
  return database;
}
