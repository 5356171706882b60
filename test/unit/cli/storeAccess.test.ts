import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../cli/src/args';
import { confirmDestructive } from '../../../cli/src/commands/storeAccess';
import { CliError } from '../../../cli/src/exitCodes';
import { isLocalStore, parseStoreUrl } from '../../../engine/src';

const defaults = { secretKeys: [], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };

describe('CLI store safety', () => {
  it('treats files and loopback servers as local, anything else as remote', () => {
    assert.equal(isLocalStore(parseStoreUrl('sqlite:db.sqlite3', '/', defaults)), true);
    assert.equal(isLocalStore(parseStoreUrl('file:///tmp/s', '/', defaults)), true);
    assert.equal(isLocalStore(parseStoreUrl('postgres://root@127.0.0.1/x', '/', defaults)), true);
    assert.equal(isLocalStore(parseStoreUrl('mysql://root@localhost/x', '/', defaults)), true);
    assert.equal(isLocalStore(parseStoreUrl('postgres://root@db.example.com/x', '/', defaults)), false);
    assert.equal(isLocalStore(parseStoreUrl('redis://127.0.0.1:6379/0', '/', defaults)), true);
    assert.equal(isLocalStore(parseStoreUrl('redis://cache.example.com:6379/0', '/', defaults)), false);
  });

  it("treats a cache on a Unix socket as local, as the settings' LOCATION names it for Django's RedisCache and django-redis", () => {
    const onSocket = (location: string) => ({ ...parseStoreUrl('redis://cache.example.com:6379/0', '/', defaults), cache: { alias: 'default', backend: 'django.core.cache.backends.redis.RedisCache', locations: [location], keyPrefix: '', version: 1 } });
    for (const location of ['unix:///run/redis/redis.sock?db=3', 'unix://app:secret@/run/redis/redis.sock', 'unix:/run/redis/redis.sock', 'UNIX:///run/redis/redis.sock']) {
      assert.equal(isLocalStore(onSocket(location)), true, location);
    }
    assert.equal(isLocalStore(onSocket('redis://unix.example.com:6379/0')), false, 'a host named unix is a host');
  });

  it('treats cached_db as remote when its cache is, even over a local database', () => {
    const cached = parseStoreUrl(`sqlite:db.sqlite3?cache=${encodeURIComponent('memcached://cache.example.com:11211')}`, '/', defaults);
    assert.equal(cached.engine, 'cached_db');
    assert.equal(isLocalStore(cached), false);
  });

  it('needs --yes for a destructive command on a remote host', () => {
    const remote = parseStoreUrl('postgres://root@db.example.com/x', '/', defaults);
    assert.throws(() => confirmDestructive(parseArgs(['flush', 'k'], new Set()), remote, 'flush'), (e: unknown) => e instanceof CliError && e.exitCode === 2 && /--yes/.test(e.message));
    assert.doesNotThrow(() => confirmDestructive(parseArgs(['flush', 'k', '--yes'], new Set()), remote, 'flush'));
  });
});
