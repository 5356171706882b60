import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { cli } from './cliRun';
import { tag } from './codecTagged';
import { skipOrFail } from './localServices';
import { django52ForCases, requireDjango, runDjangoScript } from './realDjango';

const CASES = [
  { name: "Django 5.2's RedisCache", django52: true, backend: 'django.core.cache.backends.redis.RedisCache', client: 'django', db: 3, query: '?db=3', options: {} },
  // The socket's database given both ways: in the URL for one client, in the pool keywords for the other.
  { name: 'django-redis', django52: false, backend: 'django_redis.cache.RedisCache', client: 'django-redis', db: 5, query: '', options: { CONNECTION_POOL_KWARGS: { db: 5 } } },
];

describe('a Redis cache on a unix socket (LOCATION unix:///path/redis.sock?db=N)', function () {
  let tmp: string;
  let socket: string;
  let server: ChildProcess | undefined;
  let dir52: string | undefined;

  before(async function () {
    requireDjango(this);
    if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
      skipOrFail(this, 'redis-server is not installed: install Debian\'s redis-server to run the unix socket test');
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-redis-sock-'));
    socket = path.join(tmp, 'r.sock');
    server = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', tmp], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !fs.existsSync(socket); i++) {
      await sleep(100);
    }
    assert.ok(fs.existsSync(socket), 'redis-server made its socket');
    dir52 = django52ForCases();
  });
  after(() => {
    server?.kill();
    if (tmp) {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  for (const c of CASES) {
    it(`${c.name}: the CLI counts, shows, changes (a socket is local: no --yes) and logs out sessions Django wrote over the socket`, async function () {
      if (c.django52 && !dir52) {
        this.skip();
      }
      const db = c.db;
      const cache = { BACKEND: c.backend, LOCATION: `unix://${socket}${c.query}`, KEY_PREFIX: 'sock', OPTIONS: c.options };
      const django = <T>(ops: object[]) => runDjangoScript<T[]>('cache_django.py', [], { config: { secret_key: TEST_SECRET, engine: 'cache', cache }, ops }, c.django52 ? dir52 : undefined);
      const project = fs.mkdtempSync(path.join(tmp, 'project-'));
      fs.writeFileSync(path.join(project, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
      fs.mkdirSync(path.join(project, 'conf'));
      fs.writeFileSync(path.join(project, 'conf', '__init__.py'), '');
      fs.writeFileSync(path.join(project, 'conf', 'settings.py'), `SECRET_KEY = '${TEST_SECRET}'\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = ${JSON.stringify({ default: cache })}\n`);
      const raw = new Redis({ path: socket, db, lazyConnect: true });
      await raw.connect();
      try {
        const [created] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '7'], ['cart', 'x']])) }]);
        const key = created!.key;
        assert.equal((await raw.keys('sock*')).length, 1, `Django wrote to database ${db} over the socket`);
        const count = await cli(['--project', project, 'count', '--user', '7']);
        assert.equal(count.out.trim(), '1', count.err);
        const shown = await cli(['--project', project, '--json', 'show', key]);
        assert.deepEqual((JSON.parse(shown.out) as { data: unknown }).data, { _auth_user_id: '7', cart: 'x' }, shown.err);
        // A socket is this machine: changing it needs no --yes, as for a loopback server.
        const set = await cli(['--project', project, 'set', key, 'cart', '"y"']);
        assert.equal(set.code, 0, set.err);
        assert.deepEqual(django<{ data: unknown }>([{ op: 'load', key }])[0]?.data, tag(new PyDict([['_auth_user_id', '7'], ['cart', 'y']])), 'Django reads the change');
        const logout = await cli(['--project', project, 'logout-user', '7']);
        assert.equal(logout.out.trim(), '1 session of user 7 deleted', logout.err);
        assert.equal(django<{ exists: boolean }>([{ op: 'load', key }])[0]?.exists, false, 'Django no longer finds the session');
      } finally {
        await raw.flushdb();
        raw.disconnect();
      }
    });

    it(`${c.name}: --store unix:///path/redis.sock?db=N, as redis-py names the socket, reads and changes the sessions Django wrote`, async function () {
      if (c.django52 && !dir52) {
        this.skip();
      }
      const cache = { BACKEND: c.backend, LOCATION: `unix://${socket}${c.query}`, KEY_PREFIX: 'url', OPTIONS: c.options };
      const django = <T>(ops: object[]) => runDjangoScript<T[]>('cache_django.py', [], { config: { secret_key: TEST_SECRET, engine: 'cache', cache }, ops }, c.django52 ? dir52 : undefined);
      const store = `unix://${socket}?db=${c.db}&key_prefix=url&client=${c.client}`;
      const env = { DJANGO_SECRET_KEY: TEST_SECRET };
      const raw = new Redis({ path: socket, db: c.db, lazyConnect: true });
      await raw.connect();
      try {
        const [created] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '8'], ['cart', 'x']])) }]);
        const key = created!.key;
        const shown = await cli(['--store', store, '--json', 'show', key], env);
        assert.equal(shown.code, 0, shown.err);
        assert.deepEqual((JSON.parse(shown.out) as { data: unknown }).data, { _auth_user_id: '8', cart: 'x' }, shown.err);
        const set = await cli(['--store', store, 'set', key, 'cart', '"z"'], env);
        assert.equal(set.code, 0, set.err);
        assert.deepEqual(django<{ data: unknown }>([{ op: 'load', key }])[0]?.data, tag(new PyDict([['_auth_user_id', '8'], ['cart', 'z']])), 'Django reads the change');
        const wrongDb = await cli(['--store', `unix://${socket}?db=${c.db + 1}&key_prefix=url&client=${c.client}`, 'count'], env);
        assert.equal(wrongDb.out.trim(), '0', `db= picks the database: ${wrongDb.err}`);
        const tcpForm = await cli(['--store', `redis://${socket}?db=${c.db}`, 'count'], env);
        assert.equal(tcpForm.code, 2);
        assert.ok(tcpForm.err.includes(`a Redis on a Unix socket is written unix://${socket}?db=N`), tcpForm.err);
      } finally {
        await raw.flushdb();
        raw.disconnect();
      }
    });
  }
});
