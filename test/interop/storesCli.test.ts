import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TRUST_UNSEEN_VARIABLE } from '../../engine/src/stores/sqlite/openByOthers';
import { cli, cliProject } from './cliRun';
import { requireDjango, runDjangoScript } from './realDjango';
import { MARIADB, mysqlAdmin, pgAdmin, POSTGRES, requireService, runTag } from './localServices';

const SECRET = 'stores-cli-secret-key-0123456789-abcdefghijklmnopqrstu';

interface Loaded {
  key: string;
  exists: boolean;
  json: string | null;
}

/** Every store command of the design, on one store, checked through real Django afterwards. */
function commands(title: string, setup: (suite: Mocha.Context) => Promise<{ url: string; django: { secret: string; use_tz: boolean; time_zone: string }; drop: () => Promise<void> }>): void {
  describe(title, function () {
    let url: string;
    let config: { secret: string; use_tz: boolean; time_zone: string };
    let drop: () => Promise<void>;
    let keys: string[];
    const django = <T extends unknown[]>(ops: object[]) => runDjangoScript<T>('stores_django.py', [JSON.stringify(config)], ops);

    before(async function () {
      requireDjango(this);
      ({ url, django: config, drop } = await setup(this));
      const specs = [
        { data: '{"a":1,"b":"two"}', expiry: null },
        { data: '{"a":2}', expiry: null },
        { data: '{"a":3}', expiry: -60 },
        { data: '{"_auth_user_id":"9"}', expiry: null },
        { data: '{"_auth_user_id":"9","x":1}', expiry: null },
        { data: '{"c":1}', expiry: null },
      ];
      const [, created] = django<[null, Array<{ key: string }>]>([{ op: 'migrate' }, { op: 'create', specs }]);
      keys = created.map((c) => c.key);
    });
    after(async () => drop?.());

    it('reads: count, list with filters, show, get', async () => {
      const dir = cliProject(config);
      const base = ['--project', dir, '--store', url];
      assert.equal((await cli([...base, 'count'])).out.trim(), '6');
      assert.equal((await cli([...base, 'count', '--expired'])).out.trim(), '1');
      assert.equal((await cli([...base, 'count', '--user', '9'])).out.trim(), '2');
      const listed = (JSON.parse((await cli([...base, '--json', 'list', '--user', '9'])).out) as { stores: Array<{ sessions: Array<{ session_key: string }>; scanned: number }> }).stores[0]!;
      assert.deepEqual(listed.sessions.map((s) => s.session_key).sort(), [keys[3], keys[4]].sort());
      assert.equal(listed.scanned, 6);
      const shown = JSON.parse((await cli([...base, '--json', 'show', keys[0]!])).out) as { data: unknown; signature: string };
      assert.deepEqual(shown.data, { a: 1, b: 'two' });
      assert.equal(shown.signature, 'valid');
      assert.equal((await cli([...base, 'get', keys[0]!, 'b'])).out.trim(), '"two"');
      assert.equal((await cli([...base, 'get', keys[0]!, 'nope'])).code, 1);
      assert.equal((await cli([...base, 'show', 'nosuchkey000000'])).code, 1);
      fs.rmSync(dir, { recursive: true });
    });

    it('writes: set, delete-key, clear, expire, cycle-key, flush, logout-user, clear-expired; Django sees each', async () => {
      const dir = cliProject(config);
      const base = ['--project', dir, '--store', url];
      const ok = async (args: string[]) => {
        const r = await cli([...base, ...args]);
        assert.equal(r.code, 0, r.err);
        return r.out.trim();
      };
      await ok(['set', keys[0]!, 'cart', '[1, 2.0, "x"]']);
      await ok(['delete-key', keys[0]!, 'a']);
      await ok(['clear', keys[1]!]);
      await ok(['expire', keys[5]!, '--in', '600']);
      // Without --show-keys the new key is masked, as list masks keys: stdout is often a CI log.
      const masked = await ok(['cycle-key', keys[5]!]);
      assert.match(masked, /^cycle-key: done, new key [a-z0-9]{4}•{8} \(--show-keys prints it in full\)$/);
      assert.equal((await cli([...base, 'cycle-key', keys[5]!])).code, 1, 'the old key stopped working');
      const [afterMasked] = django<[string[]]>([{ op: 'keys' }]);
      const cycled = afterMasked.filter((key) => !keys.includes(key));
      assert.equal(cycled.length, 1);
      assert.ok(masked.includes(cycled[0]!.slice(0, 4)));
      const newKey = await ok(['cycle-key', cycled[0]!, '--show-keys']);
      assert.match(newKey, /^[a-z0-9]{32}$/);
      await ok(['flush', keys[1]!]);
      assert.equal(await ok(['logout-user', '9']), '2 sessions of user 9 deleted');
      assert.equal(await ok(['clear-expired', '--dry-run']), '1 expired session would be deleted');
      assert.equal(await ok(['clear-expired']), '1 expired session deleted');
      assert.equal((await cli([...base, 'expire', keys[0]!])).code, 2);

      const [loaded, remaining] = django<[Loaded[], string[]]>([{ op: 'load', keys: [keys[0], keys[1], newKey, keys[5]] }, { op: 'keys' }]);
      const by = new Map(loaded.map((l) => [l.key, l]));
      assert.deepEqual(JSON.parse(by.get(keys[0]!)!.json!), { b: 'two', cart: [1, 2.0, 'x'] });
      assert.equal(by.get(keys[1]!)!.exists, false);
      assert.equal(by.get(keys[5]!)!.exists, false);
      assert.deepEqual(JSON.parse(by.get(newKey)!.json!), { c: 1, _session_expiry: 600 });
      assert.deepEqual(remaining, [keys[0]!, newKey].sort());
      fs.rmSync(dir, { recursive: true });
    });
  });
}

describe('CLI store commands against stores shared with real Django 3.2', function () {
  commands('SQLite', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-cli-'));
    const file = path.join(dir, 'db.sqlite3');
    // Without node:sqlite the CLI writes through sql.js, whose guard cannot inspect every process
    // here (pid 1); this file is the test's own, so it vouches for that, as a user would.
    const trusted = process.env[TRUST_UNSEEN_VARIABLE];
    process.env[TRUST_UNSEEN_VARIABLE] = '1';
    return {
      url: `sqlite://${file}`,
      django: { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: file }, secret: SECRET, use_tz: true, time_zone: 'UTC' },
      drop: async () => {
        if (trusted === undefined) {
          delete process.env[TRUST_UNSEEN_VARIABLE];
        } else {
          process.env[TRUST_UNSEEN_VARIABLE] = trusted;
        }
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  });

  commands('PostgreSQL', async (suite) => {
    await requireService(suite, POSTGRES);
    const name = runTag();
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    return {
      url: `postgres://root@127.0.0.1:5432/${name}`,
      django: { engine: 'db', database: { ENGINE: 'django.db.backends.postgresql', NAME: name, USER: 'root', HOST: '127.0.0.1', PORT: 5432 }, secret: SECRET, use_tz: true, time_zone: 'UTC' },
      drop: () => pgAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
    };
  });

  commands('MariaDB', async (suite) => {
    await requireService(suite, MARIADB);
    const name = runTag();
    await mysqlAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    return {
      url: `mysql://root@127.0.0.1:3306/${name}`,
      django: { engine: 'db', database: { ENGINE: 'django.db.backends.mysql', NAME: name, USER: 'root', PASSWORD: '', HOST: '127.0.0.1', PORT: 3306 }, secret: SECRET, use_tz: false, time_zone: 'Europe/Paris' },
      drop: () => mysqlAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name}`))),
    };
  });

  commands('file engine', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-cli-'));
    return {
      url: `file://${dir}`,
      django: { engine: 'file', file_path: dir, secret: SECRET, use_tz: true, time_zone: 'UTC' },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  });
});
