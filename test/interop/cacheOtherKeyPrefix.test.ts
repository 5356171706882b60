import * as assert from 'node:assert/strict';
import { PyDict } from '../../engine/src/codec';
import { TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { cli } from './cliRun';
import { tag } from './codecTagged';
import { runTag, startMemcachedServers } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

/** A memcached server of this test's own, so that no other run's sessions are on it. */
const PORT = 18012;

/**
 * A store URL without the project's KEY_PREFIX (or VERSION) finds none of its sessions: rather
 * than a bare 0 or "no sessions", the CLI says which prefix and version the server's sessions
 * were saved under, and what the URL needs to reach them.
 */
describe("interop: a cache store URL without the project's key prefix, on sessions real Django 3.2 saved", function () {
  this.timeout(120_000);
  let memcached: { stop: () => void } | undefined;
  const prefix = runTag();

  before(async function () {
    requireDjango(this);
    memcached = await startMemcachedServers([PORT]);
    const config = {
      secret_key: TEST_SECRET,
      engine: 'cache',
      use_tz: true,
      cache: { BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache', LOCATION: `127.0.0.1:${PORT}`, KEY_PREFIX: prefix, VERSION: 3 },
    };
    runDjangoScript('cache_django.py', [], { config, ops: [{ op: 'create', data: tag(new PyDict([['cart', 1n]])) }] });
  });
  after(() => memcached?.stop());

  it('count and list name the prefix and version the sessions are under; with them the URL finds the session', async () => {
    const url = `memcached://127.0.0.1:${PORT}?use_tz=true`;
    const note = `django-sessions: note: url:memcached: no session is saved under this store's key prefix and version (":1:django.contrib.sessions.cache…"), but the server holds cache sessions saved as "${prefix}:3:django.contrib.sessions.cache…": if they are the project's, the store URL needs key_prefix=${prefix} and version=3.\n`;
    const count = await cli(['--store', url, 'count']);
    assert.deepEqual([count.code, count.out, count.err], [0, '0\n', note]);
    const list = await cli(['--store', url, 'list']);
    assert.deepEqual([list.code, list.out, list.err], [0, '-- no sessions\n', note]);
    const found = await cli(['--store', `${url}&key_prefix=${prefix}&version=3`, 'count']);
    assert.deepEqual([found.code, found.out, found.err], [0, '1\n', '']);
  });
});
