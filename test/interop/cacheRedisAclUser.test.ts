import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { cli } from './cliRun';
import { tag } from './codecTagged';
import { freePort, isListening, skipOrFail } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

const DB = 6;
const PREFIX = 'kk';

/** What a command printed on stderr: one line, and nothing of ioredis's own (its ready-check warning). */
function oneLine(err: string): string {
  const lines = err.trim().split('\n');
  assert.equal(lines.length, 1, err);
  assert.doesNotMatch(err, /Skipping the ready check|\n\s+at /);
  return lines[0]!;
}

/**
 * ACL users with fewer commands or keys than the CLI needs, on a redis-server of this suite's
 * own (the shared server's users are left alone): Django's cache works for them, and each
 * refusal of ours is one line naming what is missing and the ACL SETUSER that grants it.
 */
describe('interop: a Redis ACL user without a command or key the CLI needs', function () {
  this.timeout(120_000);
  let tmp: string;
  let port: number;
  let server: ChildProcess | undefined;
  let admin: Redis;

  before(async function () {
    requireDjango(this);
    if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
      skipOrFail(this, "redis-server is not installed: install Debian's redis-server to run the ACL user test");
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-redis-acl-'));
    port = await freePort();
    const users = [
      // The reviewer's user: everything Django's cache runs, but no scripting (EVAL is in @scripting).
      `user limited on >lim ~${PREFIX}:* +@read +@write +@connection +@keyspace -@dangerous`,
      `user noscan on >lim ~${PREFIX}:* +@read +@write +@connection +@keyspace -@dangerous +eval -scan`,
      `user otherkeys on >lim ~other:* +@read +@write +@connection +@keyspace -@dangerous +eval`,
      'user default on nopass ~* &* +@all',
    ];
    fs.writeFileSync(path.join(tmp, 'redis.conf'), [`port ${port}`, 'bind 127.0.0.1', 'save ""', 'appendonly no', `dir ${tmp}`, ...users, ''].join('\n'));
    server = spawn('redis-server', [path.join(tmp, 'redis.conf')], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !(await isListening(port, 100)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    admin = new Redis({ port, db: DB, lazyConnect: true });
    await admin.connect();
  });

  after(() => {
    admin?.disconnect();
    server?.kill();
    if (tmp) {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  const url = (user: string) => `redis://${user}:lim@127.0.0.1:${port}/${DB}?key_prefix=${PREFIX}&client=django-redis&use_tz=true&cookie_age=1209600`;
  const env = { DJANGO_SECRET_KEY: TEST_SECRET };
  const django = <T>(user: string, ops: object[]) => {
    const cache = { BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://${user}:lim@127.0.0.1:${port}/${DB}`, KEY_PREFIX: PREFIX };
    return runDjangoScript<T[]>('cache_django.py', [], { config: { secret_key: TEST_SECRET, engine: 'cache', cache }, ops });
  };

  it('a user without EVAL: reads work, each change is refused naming +eval, nothing is left half done, and the grant fixes it', async function () {
    const data = tag(new PyDict([['_auth_user_id', '7'], ['cart', 'x']]));
    const [created] = django<{ key: string }>('limited', [{ op: 'create', data }]);
    const key = created!.key;
    const count = await cli(['--store', url('limited'), 'count'], env);
    assert.deepEqual([count.code, count.out.trim(), count.err], [0, '1', ''], 'reads need no script, and print nothing of ioredis');
    const refused = /^django-sessions: Redis at redis:\/\/limited@127\.0\.0\.1:\d+\/6 refuses the ACL user limited \(NOPERM .*'eval' command\); changes run as a script \(EVAL\), so that none overwrites a session Django rewrote meanwhile: grant it with ACL SETUSER limited \+eval \(or \+@scripting\)\.$/;
    for (const args of [
      ['set', key, 'cart', '"y"'],
      ['expire', key, '--in', '600'],
      ['cycle-key', key],
      ['logout-user', '7'],
    ]) {
      const run = await cli(['--store', url('limited'), ...args], env);
      assert.equal(run.code, 3, `${args[0]}: ${run.err}`);
      assert.match(oneLine(run.err), refused, args[0]);
    }
    assert.equal((await admin.keys(`${PREFIX}:*`)).length, 1, 'cycle-key left no copy under a new key');
    assert.deepEqual(django<{ data: unknown }>('limited', [{ op: 'load', key }])[0]?.data, data, 'Django still has the session as it wrote it');
    await admin.call('ACL', 'SETUSER', 'limited', '+eval');
    const set = await cli(['--store', url('limited'), 'set', key, 'cart', '"y"'], env);
    assert.equal(set.code, 0, set.err);
    assert.deepEqual(django<{ data: unknown }>('limited', [{ op: 'load', key }])[0]?.data, tag(new PyDict([['_auth_user_id', '7'], ['cart', 'y']])));
  });

  it('a user without SCAN, or whose key patterns miss the sessions: a listing is refused naming the grant, never shown empty', async function () {
    const [created] = django<{ key: string }>('default', [{ op: 'create', data: tag(new PyDict([['_auth_user_id', '8']])) }]);
    assert.ok(created?.key);
    const noScan = await cli(['--store', url('noscan'), 'list'], env);
    assert.equal(noScan.code, 3, noScan.err);
    assert.match(oneLine(noScan.err), /refuses the ACL user noscan \(NOPERM .*'scan' command\); grant it with ACL SETUSER noscan \+scan\.$/);
    const otherKeys = await cli(['--store', url('otherkeys'), 'list'], env);
    assert.equal(otherKeys.code, 3, `${otherKeys.out}${otherKeys.err}`);
    assert.match(oneLine(otherKeys.err), /refuses the ACL user otherkeys \(NOPERM .*keys.*\); give it the session keys, .*: ACL SETUSER otherkeys ~PREFIX:\*\.$/);
  });
});
