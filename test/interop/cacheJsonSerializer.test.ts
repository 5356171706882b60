import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { cli } from './cliRun';
import { tag } from './codecTagged';
import { runTag } from './localServices';
import { runDjangoScript } from './realDjango';
import { redisDjangoSuite } from './redisDjangoSuite';

const DB_INDEX = 10;

/**
 * django-redis with OPTIONS['SERIALIZER'] = its JSONSerializer keeps each session as a JSON
 * object: Django 3.2 writes them, the CLI reads, counts and logs their users out, and refuses
 * to write one (its DjangoJSONEncoder would turn dates into text), saying so.
 */
describe("interop: django-redis's JSONSerializer cache sessions", function () {
  this.timeout(120_000);
  let raw: Redis;
  let dir: string;
  let prefix: string;

  before(async function () {
    ({ raw } = await redisDjangoSuite(this, DB_INDEX));
    prefix = runTag();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-json-serializer-'));
    fs.writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
    fs.mkdirSync(path.join(dir, 'conf'));
    fs.writeFileSync(path.join(dir, 'conf', '__init__.py'), '');
    fs.writeFileSync(
      path.join(dir, 'conf', 'settings.py'),
      `SECRET_KEY = '${'k'.repeat(50)}'\nUSE_TZ = True\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = ${JSON.stringify({ default: cache() })}\n`,
    );
  });
  after(async () => {
    const keys = (await raw?.keys(`${prefix}*`)) ?? [];
    if (keys.length > 0) await raw.del(...keys);
    raw?.disconnect();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function cache() {
    return { BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: prefix, OPTIONS: { SERIALIZER: 'django_redis.serializers.json.JSONSerializer' } };
  }
  const django = <T>(ops: object[]) => runDjangoScript<T[]>('cache_django.py', [], { config: { secret_key: 'k'.repeat(50), engine: 'cache', cache: cache() }, ops });

  it('reads, counts by user and logs out what Django wrote, and refuses an edit', async () => {
    const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '1'], ['cart', [1n, 2n]]])) }]);
    const key = made!.key;
    const stores = await cli(['--project', dir, 'stores']);
    assert.match(stores.out, /JSONSerializer, not pickle; sessions are read but not written there/);
    const shown = await cli(['--project', dir, '--json', 'show', key]);
    assert.equal(shown.code, 0, shown.err);
    assert.deepEqual(JSON.parse(shown.out).data, { _auth_user_id: '1', cart: [1, 2] });
    assert.equal((await cli(['--project', dir, 'count', '--user', '1'])).out.trim(), '1');
    const set = await cli(['--project', dir, 'set', key, 'cart', '[]']);
    assert.equal(set.code, 3, set.err);
    assert.match(set.err, /nothing was written/);
    const loggedOut = await cli(['--project', dir, 'logout-user', '1']);
    assert.equal(loggedOut.code, 0, loggedOut.err);
    const [loaded] = django<{ exists: boolean }>([{ op: 'load', key }]);
    assert.equal(loaded!.exists, false, 'Django no longer finds the session');
  });
});
