import * as assert from 'node:assert/strict';
import { assumedTimeSettingsNote, isLocalStore, parseStoreUrl, StoreError, storeLocation, storeUrlDefaults } from '../../../../engine/src';
import { parseRedisLocation } from '../../../../engine/src/stores/cache/redis/redisLocation';
import { passwordVariables } from '../../../../engine/src/stores/passwordVariables';

const defaults = { secretKeys: ['s'], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };

describe('parseStoreUrl', () => {
  it('resolves absolute and relative SQLite paths', () => {
    assert.deepEqual(parseStoreUrl('sqlite:///var/app/db.sqlite3', '/proj', defaults).database, { vendor: 'sqlite', path: '/var/app/db.sqlite3' });
    assert.deepEqual(parseStoreUrl('sqlite:db.sqlite3', '/proj', defaults).database, { vendor: 'sqlite', path: '/proj/db.sqlite3' });
  });

  it('takes table and salt from the query', () => {
    const d = parseStoreUrl('sqlite:db.sqlite3?table=custom_session&salt=django.contrib.sessions.MyStore', '/proj', defaults);
    assert.equal(d.table, 'custom_session');
    assert.equal(d.salt, 'django.contrib.sessions.MyStore');
    assert.equal(d.database?.vendor === 'sqlite' && d.database.path, '/proj/db.sqlite3');
  });

  it('parses server databases without keeping a password', () => {
    const d = parseStoreUrl('postgres://app@db.internal:5433/shop', '/', defaults);
    assert.deepEqual(d.database, { vendor: 'postgresql', host: 'db.internal', port: 5433, name: 'shop', user: 'app' });
    assert.throws(() => parseStoreUrl('mysql://root:hunter2@localhost/shop', '/', defaults), (e: unknown) => e instanceof StoreError && !e.message.includes('hunter2'));
  });

  it('takes a password from a typed URL when asked to, keeping it out of every location shown', () => {
    const accept = { passwords: 'accept' } as const;
    const d = parseStoreUrl('postgres://app:p%40ss%2Fword@db.internal/shop', '/', defaults, accept);
    assert.equal(d.database?.vendor === 'postgresql' && d.database.password, 'p@ss/word');
    assert.deepEqual(passwordVariables(d), [], 'a password the URL gives is the one connected with');
    assert.equal(storeLocation(d), 'postgresql://app@db.internal/shop');
    const cached = parseStoreUrl(`mysql://root@127.0.0.1/shop?cache=${encodeURIComponent('redis://:hunter2@10.0.0.5:6379/1')}`, '/', defaults, accept);
    assert.equal(parseRedisLocation(cached.cache!.locations[0]!).password, 'hunter2');
    assert.ok(!storeLocation(cached)!.includes('hunter2'), storeLocation(cached));
    assert.throws(() => parseStoreUrl('redis://:hunter2@10.0.0.5:6379/1', '/', defaults, { passwords: 'refuse' }), /out of store URLs in settings/);
  });

  it("reads a '%' that starts no escape as itself, as Python's unquote does, instead of failing", () => {
    const accept = { passwords: 'accept' } as const;
    const d = parseStoreUrl('postgres://app:50%off%21@db.internal/shop', '/', defaults, accept);
    assert.equal(d.database?.vendor === 'postgresql' && d.database.password, '50%off!');
    assert.deepEqual(parseStoreUrl('sqlite:///srv/100%/db.sqlite3', '/', defaults).database, { vendor: 'sqlite', path: '/srv/100%/db.sqlite3' });
    // redis-py's parse_url('redis://:50%off%21@h:6379/0') gives the password '50%off!'.
    assert.equal(parseRedisLocation('redis://:50%off%21@h:6379/0').password, '50%off!');
  });

  it("takes the settings' database TIME_ZONE for a URL that names that database, as Django writes expire_date in it", () => {
    const settingsDb = { vendor: 'mysql' as const, host: '127.0.0.1', name: 'shop', timeZone: 'America/New_York' };
    const withSettings = { ...defaults, database: settingsDb };
    const zone = (url: string) => {
      const d = parseStoreUrl(url, '/', withSettings).database;
      return d?.vendor === 'mysql' ? d.timeZone : 'not mysql';
    };
    assert.equal(zone('mysql://root@localhost/shop'), 'America/New_York');
    assert.equal(zone('mysql://root@127.0.0.1:3306/shop'), 'America/New_York');
    assert.equal(zone('mysql://root@127.0.0.1/other'), undefined, 'another database is not the settings');
    assert.equal(zone('mysql://root@db.internal/shop'), undefined, 'nor one on another host');
    assert.equal(zone('mysql://root@127.0.0.1/shop?db_time_zone=Asia/Kolkata'), 'Asia/Kolkata', 'the URL says it itself');
    const sqlite = parseStoreUrl('sqlite:db.sqlite3', '/proj', { ...defaults, database: { vendor: 'sqlite', path: '/proj/db.sqlite3', timeZone: 'Europe/Paris' } }).database;
    assert.equal(sqlite?.timeZone, 'Europe/Paris');
  });

  it("takes a URL naming the table of the settings' cached_db store as that store: with its cache, or read-only where the cache is not known", () => {
    const database = { vendor: 'postgresql' as const, host: '127.0.0.1', port: 5432, name: 'shop' };
    const cache = { alias: 'default', backend: 'django_redis.cache.RedisCache', locations: ['redis://127.0.0.1:6379/1'], keyPrefix: '', version: 1 };
    const known = parseStoreUrl('postgres://app@localhost/shop', '/', { ...defaults, database, cachedDbCache: { cache, id: 'cached_db:default+default' } });
    assert.deepEqual([known.engine, known.cache, known.tableOnlyRefusal], ['cached_db', cache, undefined]);
    const unknown = parseStoreUrl('postgres://app@localhost/shop', '/', { ...defaults, database, cachedDbCache: { cache: null, id: 'cached_db:default+default' } });
    assert.equal(unknown.engine, 'cached_db');
    assert.match(unknown.tableOnlyRefusal!, /cached_db \(cached_db:default\+default\), whose cache they do not name statically: .*Nothing was changed; name the cache too, e\.g\. postgres:\/\/user@host\/db\?cache=redis%3A%2F%2Fhost%3A6379%2F1\.$/);
    const other = parseStoreUrl('postgres://app@localhost/other', '/', { ...defaults, database, cachedDbCache: { cache, id: 'x' } });
    assert.equal(other.engine, 'db', 'another database is only a table');
    const explicit = parseStoreUrl(`postgres://app@localhost/shop?cache=${encodeURIComponent('redis://10.0.0.9:6379/2')}`, '/', { ...defaults, database, cachedDbCache: { cache, id: 'x' } });
    assert.deepEqual(explicit.cache?.locations, ['redis://10.0.0.9:6379/2'], "the URL's own cache wins");
  });

  it('takes an IPv6 host from its brackets, as urlsplit does, and writes it back bracketed', () => {
    for (const [url, vendor] of [['postgres://app@[::1]:5433/shop', 'postgresql'], ['mysql://app@[fd00::5]/shop', 'mysql']] as const) {
      const d = parseStoreUrl(url, '/', defaults);
      assert.equal(d.database?.vendor === vendor && d.database.host, url.includes('::1') ? '::1' : 'fd00::5', url);
      assert.match(storeLocation(d)!, new RegExp(`^${vendor}://app@\\[${url.includes('::1') ? '::1' : 'fd00::5'}\\]`));
    }
  });

  it('refuses a query parameter its kind of store does not take, so a misspelt one is not ignored', () => {
    assert.throws(() => parseStoreUrl('sqlite:db.sqlite3?tabel=x', '/', defaults), /sqlite URLs take no tabel= parameter; they take table=, db_time_zone=, cache=, serializer=, salt=, use_tz=, time_zone=, cookie_age=\./);
    assert.throws(() => parseStoreUrl('redis://h:6379/0?table=x', '/', defaults), /redis URLs take no table= parameter/);
    assert.throws(() => parseStoreUrl('file:///tmp/s?key_prefix=x', '/', defaults), /file URLs take no key_prefix= parameter/);
    assert.equal(parseStoreUrl('redis://h:6379/0?key_prefix=x&version=2', '/', defaults).cache?.version, 2);
    const cache = (query: string) => `postgres://app@db/shop?cache=${encodeURIComponent(`redis://cache:6379/1${query}`)}`;
    assert.equal(parseStoreUrl(cache('?key_prefix=x'), '/', defaults).cache?.keyPrefix, 'x');
    assert.throws(() => parseStoreUrl(cache('?key_prefx=x'), '/', defaults), /cache= URLs take no key_prefx= parameter/);
    assert.throws(() => parseStoreUrl(`${cache('')}&key_prefix=x`, '/', defaults), /postgres URLs take no key_prefix= parameter \(key_prefix= of a cached_db cache goes inside the encoded cache= URL\)/);
  });

  it("takes USE_TZ and TIME_ZONE from use_tz= and time_zone=, and says which a URL without settings assumes, where dates depend on them", () => {
    const bare = storeUrlDefaults(undefined);
    const assumed = parseStoreUrl('sqlite:db.sqlite3', '/', bare);
    assert.deepEqual([assumed.useTz, assumed.timeZone, assumed.assumedTimeSettings], [false, 'America/Chicago', ['USE_TZ', 'TIME_ZONE']]);
    assert.match(assumedTimeSettingsNote(assumed)!, /^expiry dates assume USE_TZ = False and TIME_ZONE = 'America\/Chicago', Django's defaults up to 4\.2, as no settings were read for this URL, and changes and clearing expired sessions are refused until it says how the project sets them .*\?use_tz=true/);
    const aware = parseStoreUrl('sqlite:db.sqlite3?use_tz=true', '/', bare);
    assert.deepEqual([aware.useTz, aware.assumedTimeSettings, assumedTimeSettingsNote(aware)], [true, undefined, undefined], 'with USE_TZ on, TIME_ZONE does not change what is stored');
    const naive = parseStoreUrl('sqlite:db.sqlite3?use_tz=False', '/', bare);
    assert.match(assumedTimeSettingsNote(naive)!, /^expiry dates assume TIME_ZONE = 'America\/Chicago', Django's default up to 4\.2, as no settings were read for this URL \(USE_TZ = False from the URL\), and changes and clearing expired sessions are refused until it says how the project sets it/);
    const zoneOnly = parseStoreUrl('sqlite:db.sqlite3?time_zone=Europe/Paris', '/', bare);
    assert.match(assumedTimeSettingsNote(zoneOnly)!, /^expiry dates assume USE_TZ = False, Django's default up to 4\.2,/, 'a zone the URL gives is not called a default');
    const paris = parseStoreUrl('sqlite:db.sqlite3?use_tz=0&time_zone=Europe/Paris', '/', bare);
    assert.deepEqual([paris.useTz, paris.timeZone, paris.assumedTimeSettings], [false, 'Europe/Paris', undefined]);
    assert.equal(parseStoreUrl('sqlite:db.sqlite3', '/', defaults).assumedTimeSettings, undefined, "a project's settings are not assumed");
    assert.match(assumedTimeSettingsNote(parseStoreUrl('file:///tmp/sessions', '/', bare))!, /^expiry dates assume.*writing a date and clearing expired sessions are refused/, "a file session's naive _session_expiry is read in TIME_ZONE");
    assert.match(assumedTimeSettingsNote(parseStoreUrl('redis://h:6379/0', '/', bare))!, /^expiry dates assume.*writing a date and clearing expired sessions are refused/, "a cache session's naive _session_expiry is read in TIME_ZONE, besides its TTL");
    assert.match(assumedTimeSettingsNote(parseStoreUrl('postgres://app@db/shop', '/', bare))!, /^expiry dates assume.*, and writing a date is refused until/, 'timestamptz rows are cleared as asked');
    assert.throws(() => parseStoreUrl('sqlite:db.sqlite3?use_tz=yes', '/', bare), /use_tz=yes is not true or false/);
    assert.throws(() => parseStoreUrl('sqlite:db.sqlite3?time_zone=Mars/Base', '/', bare), /time_zone=Mars\/Base is not a time zone name/);
  });

  it("takes the serializer from serializer=, else from the project's settings, else JSON", () => {
    const bare = storeUrlDefaults(undefined);
    assert.equal(parseStoreUrl('sqlite:db.sqlite3', '/', bare).serializer, 'json');
    assert.equal(parseStoreUrl('sqlite:db.sqlite3?serializer=pickle', '/', bare).serializer, 'pickle');
    assert.equal(parseStoreUrl('file:///tmp/s?serializer=pickle', '/', bare).serializer, 'pickle');
    const pickled = storeUrlDefaults({ ...parseStoreUrl('sqlite:other.sqlite3', '/', bare), serializer: 'pickle' });
    assert.equal(parseStoreUrl('postgres://app@db/shop', '/', pickled).serializer, 'pickle');
    assert.equal(parseStoreUrl('postgres://app@db/shop?serializer=json', '/', pickled).serializer, 'json');
    assert.throws(() => parseStoreUrl('sqlite:db.sqlite3?serializer=yaml', '/', bare), /serializer=yaml is neither json nor pickle/);
    assert.throws(() => parseStoreUrl('redis://h:6379/0?serializer=pickle', '/', bare), /redis URLs take no serializer= parameter/);
  });

  it('names the supported schemes when given an unknown one', () => {
    assert.throws(() => parseStoreUrl('mongodb://x', '/', defaults), /Supported: sqlite/);
    assert.throws(() => parseStoreUrl('db.sqlite3', '/', defaults), (e: unknown) => e instanceof StoreError && e.code === 'bad-url');
    assert.throws(() => parseStoreUrl('postgres//app:hun/ter2@db/shop', '/', defaults), (e: unknown) => e instanceof StoreError && e.message.startsWith('"postgres//app:…@db/shop" is not a store URL') && !e.message.includes('ter2'));
    for (const url of ['postgres:app:hunter2@db/shop', 'postgres:/app:hunter2@db/shop', 'mysql://root:pa/ss@db/shop']) {
      assert.throws(() => parseStoreUrl(url, '/', defaults), (e: unknown) => e instanceof StoreError && e.code === 'bad-url' && !/hunter2|pa\/ss/.test(e.message), url);
    }
  });

  it('names cache stores, and cached_db as a db URL with ?cache=', () => {
    const redis = parseStoreUrl('redis://127.0.0.1:6379/2?key_prefix=shop&client=django-redis', '/', defaults);
    assert.equal(redis.engine, 'cache');
    assert.equal(redis.cache?.keyPrefix, 'shop');
    const cached = parseStoreUrl(`postgres://app@db/shop?cache=${encodeURIComponent('redis://127.0.0.1:6379/1')}`, '/', defaults);
    assert.equal(cached.engine, 'cached_db');
    assert.equal(cached.database?.vendor, 'postgresql');
    assert.ok(cached.cache);
    assert.throws(() => parseStoreUrl('redis://:hunter2@127.0.0.1:6379/0', '/', defaults), (e: unknown) => e instanceof StoreError && e.code === 'bad-url' && !e.message.includes('hunter2'));
  });

  it("names a Redis cache on a Unix socket as redis-py does, unix:///path/redis.sock?db=N, on this machine", () => {
    const socket = parseStoreUrl('unix:///run/redis/redis.sock?db=3&key_prefix=shop', '/', defaults);
    assert.equal(socket.engine, 'cache');
    assert.deepEqual(socket.cache?.locations, ['unix:///run/redis/redis.sock?db=3']);
    assert.equal(socket.cache?.keyPrefix, 'shop');
    assert.equal(storeLocation(socket), 'unix:///run/redis/redis.sock?db=3');
    assert.equal(isLocalStore(socket), true, 'a socket is on this machine');
    const withUser = parseStoreUrl('unix://app:hunter2@/run/redis/redis.sock?db=3', '/', defaults, { passwords: 'accept' });
    assert.equal(storeLocation(withUser), 'unix:///run/redis/redis.sock?db=3');
    assert.throws(() => parseStoreUrl('unix://app:hunter2@/run/redis/redis.sock', '/', defaults), (e: unknown) => e instanceof StoreError && /out of store URLs in settings/.test(e.message) && !e.message.includes('hunter2'));
    const cached = parseStoreUrl(`sqlite:db.sqlite3?cache=${encodeURIComponent('unix:///run/redis/redis.sock?db=2')}`, '/proj', defaults);
    assert.deepEqual([cached.engine, cached.cache?.locations], ['cached_db', ['unix:///run/redis/redis.sock?db=2']]);
    assert.throws(() => parseStoreUrl('redis+unix:///run/redis/redis.sock', '/', defaults), /Unknown store URL scheme "redis\+unix:"\. .*unix:\/\/\/path\/redis\.sock\?db=N/);
  });
});

describe('storeLocation', () => {
  it('names paths and servers, without credentials a cache LOCATION may carry', () => {
    const d = parseStoreUrl('redis://127.0.0.1:6379/1', '/', defaults);
    assert.equal(storeLocation({ ...d, cache: { ...d.cache!, locations: ['redis://:hunter2@10.0.0.5:6379/0'] } }), 'redis://10.0.0.5:6379/0');
    // redis-py takes the password up to the last @, so one that holds @ or / is all left out.
    assert.equal(storeLocation({ ...d, cache: { ...d.cache!, locations: ['redis://:Sup3r@Secr3t@10.0.0.5:6379/0', 'rediss://app:a/b@c@cache:6380/1?ssl_cert_reqs=none'] } }), 'redis://10.0.0.5:6379/0, rediss://cache:6380/1?ssl_cert_reqs=none');
    assert.equal(storeLocation(parseStoreUrl('sqlite:db.sqlite3', '/proj', defaults)), '/proj/db.sqlite3');
    assert.equal(storeLocation(parseStoreUrl('postgres://app@db:5433/shop', '/', defaults)), 'postgresql://app@db:5433/shop');
    // A cached_db store on a per-process cache names the cache by its backend, where it has no location.
    const local = parseStoreUrl('sqlite:db.sqlite3', '/proj', defaults);
    const locmem = { alias: 'default', backend: 'django.core.cache.backends.locmem.LocMemCache', locations: [], keyPrefix: '', version: 1 };
    assert.equal(storeLocation({ ...local, engine: 'cached_db', cache: locmem }), '/proj/db.sqlite3 + LocMemCache');
  });

  it('says unknown where settings do not tell a database, and names the cookie of signed_cookies', () => {
    const local = parseStoreUrl('sqlite:db.sqlite3', '/proj', defaults);
    // Before, the engine's module path stood in the location column, as if it were a place.
    assert.equal(storeLocation({ ...local, database: undefined }), 'unknown');
    assert.equal(storeLocation({ ...local, database: undefined, engine: 'signed_cookies', cookieName: 'shopsession' }), 'cookie shopsession');
    // Kiwi TCMS: a LocMemCache's LOCATION names it inside each process, and is no database.
    const named = { alias: 'default', backend: 'django.core.cache.backends.locmem.LocMemCache', locations: ['kiwitcms'], keyPrefix: '', version: 1 };
    assert.equal(storeLocation({ ...local, database: undefined, engine: 'cached_db', cache: named }), "unknown + LocMemCache 'kiwitcms'");
  });
});
