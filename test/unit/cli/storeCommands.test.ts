import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { b64urlEncode, encodeSessionData, PyDict, timestampSign } from '../../../engine/src';
import { SqlSessionStore } from '../../../engine/src/stores/sql/sqlSessionStore';
import { cli } from '../../interop/cliRun';
import { sqliteFromFixture } from '../engine/stores/sqliteFixture';
import { TRUSTING_ENV } from '../engine/stores/sqlJsTrust';
import { tempProject } from '../engine/project/tempProject';

/**
 * Ctrl-C (or `signal`) as soon as a command starts listening for it, as a user would press it
 * during a long deletion.
 */
async function withCtrlC<T>(body: () => Promise<T>, signal: NodeJS.Signals = 'SIGINT'): Promise<T> {
  const press = (event: string | symbol) => {
    if (event === signal) {
      queueMicrotask(() => process.emit(signal));
    }
  };
  process.on('newListener', press);
  try {
    return await body();
  } finally {
    process.removeListener('newListener', press);
  }
}

/** The time settings a URL alone assumes, said outright: clear-expired on SQLite refuses to guess them. */
const TIME_SETTINGS = 'use_tz=false&time_zone=America/Chicago';

/**
 * Ctrl-C (or `signal`) just after the first store's `method` returned: its deletion was written
 * in full, and the signal arrives before the next store is opened.
 */
async function withLateCtrlC<T>(method: 'clearExpired' | 'deleteByUser', body: () => Promise<T>, signal: NodeJS.Signals = 'SIGINT'): Promise<T> {
  const original = SqlSessionStore.prototype[method] as (this: SqlSessionStore, ...args: unknown[]) => Promise<number>;
  let calls = 0;
  SqlSessionStore.prototype[method] = async function (this: SqlSessionStore, ...args: unknown[]) {
    const deleted = await original.apply(this, args);
    if (calls++ === 0) {
      process.emit(signal);
    }
    return deleted;
  };
  try {
    return await body();
  } finally {
    SqlSessionStore.prototype[method] = original as never;
  }
}

/** A Django project whose conf/settings.py is `settings`, as manage.py names it; returns its directory. */
function projectWithSettings(settings: string): string {
  return tempProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
    'conf/__init__.py': '',
    'conf/settings.py': settings,
  });
}

describe('CLI store commands over several stores, and cancelled deletions', () => {
  let first: string;
  let second: string;
  beforeEach(async () => {
    first = await sqliteFromFixture('sessions.sql');
    second = await sqliteFromFixture('sessions.sql');
  });

  it('list pages every store it is given, each under a heading, and in one JSON document', async () => {
    const text = await cli(['--store', `sqlite://${first}`, '--store', `sqlite://${second}`, 'list', '--limit', '2']);
    assert.equal(text.code, 0, text.err);
    const lines = text.out.trim().split('\n');
    assert.deepEqual(
      lines.filter((l) => l.startsWith('== ')),
      [`== url:sqlite ${first}`, `== url:sqlite#2 ${second}`],
    );
    assert.equal(lines.filter((l) => l.startsWith('-- more: --store <this store> --cursor ')).length, 2);
    const json = await cli(['--store', `sqlite://${first}`, '--store', `sqlite://${second}`, '--json', 'list', '--limit', '10']);
    const doc = JSON.parse(json.out) as { stores: Array<{ sessions: unknown[] }> };
    assert.deepEqual(
      doc.stores.map((s) => s.sessions.length),
      [5, 5],
    );
  });

  it('a key that names no session, such as one copied masked from list, points to list --show-keys', async () => {
    const listed = await cli(['--store', `sqlite://${first}`, 'list', '--limit', '1']);
    const masked = listed.out.split(/\s/)[0];
    assert.match(masked, /^\w{4}•{8}$/);
    for (const command of [['show', masked], ['get', masked, 'cart'], ['flush', masked, '--yes'], ['set', masked, 'cart', '1', '--yes']]) {
      const r = await cli(['--store', `sqlite://${first}?${TIME_SETTINGS}`, ...command]);
      assert.equal(r.code, 1, `${command.join(' ')}: ${r.err}`);
      assert.match(r.err, /That key is masked, as list prints it; django-sessions list --show-keys prints the full keys\.\n$/, command.join(' '));
    }
    const prefix = await cli(['--store', `sqlite://${first}?${TIME_SETTINGS}`, 'expire', masked.slice(0, 4), '--in', '10']);
    assert.equal(prefix.code, 2, prefix.err);
    assert.match(prefix.err, /at least 8 characters; check the key you passed\. django-sessions list --show-keys prints the full keys\.\n$/);
    const several = await cli(['--store', `sqlite://${first}`, '--store', `sqlite://${second}`, 'show', 'nosuchsession0000']);
    assert.equal(several.code, 1);
    assert.match(several.err, /No session with that key in url:sqlite, url:sqlite#2\. django-sessions list --show-keys prints the full keys\.\n$/);
  });

  it('numbers repeated URL ids the same in text, JSON, progress and --yes messages', async () => {
    const both = ['--store', `sqlite://${first}`, '--store', `sqlite://${second}`];
    assert.deepEqual((await cli([...both, 'count'])).out.trim().split('\n'), ['url:sqlite\t5', 'url:sqlite#2\t5']);
    const redis = JSON.parse((await cli(['--store', 'redis://127.0.0.1:6379/13', '--store', 'redis://127.0.0.1:6379/14', '--json', 'stores'])).out);
    assert.deepEqual(redis.stores.map((s: { id: string }) => s.id), ['url:redis', 'url:redis#2']);
    const remote = await cli(['--store', 'postgres://app@127.0.0.1/shop', '--store', 'postgres://app@db.example.com/shop', 'clear-expired']);
    assert.equal(remote.code, 2);
    assert.match(remote.err, /changes url:postgres#2 on a non-local host; add --yes/);
    const wasTTY = process.stderr.isTTY;
    process.stderr.isTTY = true;
    try {
      const r = await cli([...both, 'logout-user', '42'], TRUSTING_ENV);
      // The fixture's damaged row may be anyone's: exit 4 says the user may still be logged in.
      assert.equal(r.code, 4, r.err);
      assert.match(r.err, /url:sqlite#2: sessions checked: 5…/);
    } finally {
      process.stderr.isTTY = wasTTY;
    }
  });

  it('logout-user and clear-expired change no store when a later one cannot be reached or lacks its sessions', async () => {
    for (const command of [['logout-user', '1'], ['clear-expired']]) {
      const file = await sqliteFromFixture('sessions.sql');
      const before = (await cli(['--store', `sqlite://${file}`, 'count'])).out;
      for (const bad of [`sqlite://${file}?table=no_such_table`, `file://${path.join(os.tmpdir(), 'djs-no-such-session-dir')}`]) {
        const r = await cli(['--store', `sqlite://${file}?${TIME_SETTINGS}`, '--store', `${bad}${bad.includes('?') ? '&' : '?'}${TIME_SETTINGS}`, ...command], TRUSTING_ENV);
        assert.equal(r.code, 3, `${command[0]} with ${bad}: ${r.err}`);
        assert.equal(r.out, '', 'nothing to report: nothing was changed');
        assert.equal((await cli(['--store', `sqlite://${file}`, 'count'])).out, before, `${command[0]} with ${bad}: the first store was left alone`);
      }
    }
  });

  it('list refuses --cursor with several stores, since a cursor belongs to one', async () => {
    const r = await cli(['--store', `sqlite://${first}`, '--store', `sqlite://${second}`, 'list', '--cursor', 'abc']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--cursor .*one store/);
  });

  it('clear-expired shows its progress on a terminal stderr, never on stdout, even with --json', async () => {
    const wasTTY = process.stderr.isTTY;
    process.stderr.isTTY = true;
    try {
      const r = await cli(['--store', `sqlite://${first}?${TIME_SETTINGS}`, '--json', 'clear-expired'], TRUSTING_ENV);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /\r\x1b\[Kexpired sessions deleted: 1…\r\x1b\[K$/);
      assert.deepEqual(JSON.parse(r.out), { stores: [{ store: 'url:sqlite', deleted: 1 }] });
    } finally {
      process.stderr.isTTY = wasTTY;
    }
  });

  it('logout-user reports a Ctrl-C as clear-expired does: "(cancelled)", exit 3, and reports later stores as skipped', async () => {
    for (const command of [['logout-user', '1'], ['clear-expired']]) {
      const what = command[0] === 'logout-user' ? 'sessions of user 1' : 'expired sessions';
      const r = await withCtrlC(() => cli(['--store', `sqlite://${first}?${TIME_SETTINGS}`, '--store', `sqlite://${second}?${TIME_SETTINGS}`, ...command]));
      assert.equal(r.code, 3, `${command[0]}: ${r.err}`);
      assert.deepEqual(r.out.trim().split('\n'), [`url:sqlite\t0 ${what} deleted (cancelled)`, `url:sqlite#2\t0 ${what} deleted (skipped after Ctrl-C)`]);
      const json = await withCtrlC(() => cli(['--store', `sqlite://${first}?${TIME_SETTINGS}`, '--json', ...command]));
      assert.equal(json.code, 3);
      assert.equal(JSON.parse(json.out).stores[0].cancelled, true);
    }
  });

  it('after a Ctrl-C just as a store finished, leaves later stores alone but reports them skipped, with exit 3', async () => {
    const runs = [
      { method: 'clearExpired', command: ['clear-expired'], what: (n: number) => `${n} expired session${n === 1 ? '' : 's'}`, done: { deleted: 1 }, target: ['--expired'] },
      { method: 'deleteByUser', command: ['logout-user', '1'], what: (n: number) => `${n} session${n === 1 ? '' : 's'} of user 1`, done: { deleted: 1, undecodable: 1 }, target: ['--user', '1'] },
    ] as const;
    for (const { method, command, what, done, target } of runs) {
      for (const json of [false, true]) {
        const files = [await sqliteFromFixture('sessions.sql'), await sqliteFromFixture('sessions.sql')];
        const stores = files.flatMap((file) => ['--store', `sqlite://${file}?${TIME_SETTINGS}`]);
        const r = await withLateCtrlC(method, () => cli([...stores, ...(json ? ['--json'] : []), ...command], TRUSTING_ENV));
        const label = `${command[0]}${json ? ' --json' : ''}`;
        assert.equal(r.code, 3, `${label}: ${r.err}`);
        if (json) {
          assert.deepEqual(JSON.parse(r.out), { stores: [{ store: 'url:sqlite', ...done }, { store: 'url:sqlite#2', deleted: 0, skipped: true }] }, label);
        } else {
          const unchecked = 'undecodable' in done ? '; 1 session could not be decoded and was not checked (list shows why), so the user may still be logged in there' : '';
          const first = `url:sqlite\t${what(done.deleted)} deleted${unchecked}`;
          assert.deepEqual(r.out.trim().split('\n'), [first, `url:sqlite#2\t${what(0)} deleted (skipped after Ctrl-C)`], label);
        }
        const left = await cli(['--store', `sqlite://${files[1]}`, 'count', ...target]);
        assert.equal(left.out.trim(), '1', `${label}: the second store was left alone`);
      }
    }
  });
});

describe('CLI deletions stopped by SIGTERM or SIGHUP (a CI timeout, docker stop, a closed terminal)', () => {
  it('stop as at Ctrl-C, report what was deleted and what was skipped, and exit as the signal would (128 + its number)', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      for (const [method, command, what] of [
        ['clearExpired', ['clear-expired'], (n: number) => `${n} expired session${n === 1 ? '' : 's'}`],
        ['deleteByUser', ['logout-user', '1'], (n: number) => `${n} session${n === 1 ? '' : 's'} of user 1`],
      ] as const) {
        const files = [await sqliteFromFixture('sessions.sql'), await sqliteFromFixture('sessions.sql')];
        const stores = files.flatMap((file) => ['--store', `sqlite://${file}?${TIME_SETTINGS}`]);
        const label = `${signal} ${command[0]}`;
        const late = await withLateCtrlC(method, () => cli([...stores, ...command], TRUSTING_ENV), signal);
        assert.equal(late.code, code, `${label}: ${late.err}`);
        assert.match(late.out, new RegExp(`^url:sqlite\t${what(1)} deleted.*\nurl:sqlite#2\t${what(0)} deleted \\(skipped after ${signal}\\)\n$`), label);
        const early = await withCtrlC(() => cli(['--store', `sqlite://${files[1]}?${TIME_SETTINGS}`, '--json', ...command], TRUSTING_ENV), signal);
        assert.equal(early.code, code, `${label}: ${early.err}`);
        assert.deepEqual(JSON.parse(early.out).stores[0], { store: 'url:sqlite', deleted: 0, cancelled: true }, label);
        const text = await withCtrlC(() => cli(['--store', `sqlite://${files[1]}?${TIME_SETTINGS}`, ...command], TRUSTING_ENV), signal);
        assert.equal(text.out, `${what(0)} deleted (cancelled by ${signal})\n`, label);
      }
    }
  });
});

describe('CLI logout-user --dry-run', () => {
  it('lists the sessions logout-user would delete, keys masked, counts those it could not check, and deletes none', async () => {
    const db = await sqliteFromFixture('sessions.sql');
    // Two more sessions of user 1, copies of the fixture's one, one of them expired.
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    const copy = new SQL.Database(fs.readFileSync(db));
    copy.run("INSERT INTO django_session SELECT 'userone0000000000000000000000006', session_data, '2099-03-01 00:00:00' FROM django_session WHERE session_key = 'compressed0000000000000000000002'");
    copy.run("INSERT INTO django_session SELECT 'userone0000000000000000000000007', session_data, '2001-01-01 00:00:00' FROM django_session WHERE session_key = 'compressed0000000000000000000002'");
    fs.writeFileSync(db, copy.export());
    copy.close();
    const store = ['--store', `sqlite://${db}?use_tz=true`];
    const text = await cli([...store, 'logout-user', '1', '--dry-run'], TRUSTING_ENV);
    assert.deepEqual([text.code, text.err], [0, '']);
    const lines = text.out.trim().split('\n');
    assert.equal(lines[0], '3 sessions of user 1 would be deleted (1 of them expired); 1 session could not be decoded and was not checked (list shows why), so the user may still be logged in there afterwards');
    assert.deepEqual(lines.slice(1).sort(), ['  comp••••••••  2099-01-02T00:00:00.000Z', '  user••••••••  2001-01-01T00:00:00.000Z (expired)', '  user••••••••  2099-03-01T00:00:00.000Z']);
    const json = await cli([...store, '--json', 'logout-user', '1', '--dry-run'], TRUSTING_ENV);
    assert.equal(json.code, 0, json.err);
    const [preview] = (JSON.parse(json.out) as { stores: Array<{ store: string; count: number; undecodable: number; sessions: Array<{ session_key: string; expired: boolean }> }> }).stores;
    assert.deepEqual([preview!.store, preview!.count, preview!.undecodable], ['url:sqlite', 3, 1]);
    assert.deepEqual(preview!.sessions.map((s) => [s.session_key, s.expired]).sort(), [['compressed0000000000000000000002', false], ['userone0000000000000000000000006', false], ['userone0000000000000000000000007', true]]);
    assert.equal((await cli([...store, 'count'], TRUSTING_ENV)).out, '7\n', 'nothing was deleted');
    // The run deletes what the preview listed.
    const run = await cli([...store, 'logout-user', '1'], TRUSTING_ENV);
    assert.match(run.out, /^3 sessions of user 1 deleted;/);
    assert.equal((await cli([...store, 'count'], TRUSTING_ENV)).out, '4\n');
  });

  it('says why it found none, as logout-user does', async () => {
    const db = await sqliteFromFixture('sessions.sql');
    const r = await cli(['--store', `sqlite://${db}?use_tz=true`, 'logout-user', 'alice', '--dry-run'], TRUSTING_ENV);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^0 sessions of user alice would be deleted;/);
    assert.match(r.err, /note: url:sqlite: no session is logged in as "alice": _auth_user_id holds the user's primary key/);
  });
});

describe('CLI logout-user on a project whose own auth keeps the user elsewhere', () => {
  it("warns where no session holds _auth_user_id, rather than report the user logged out (Seahub's _auth_user_name)", async () => {
    const key = 'k'.repeat(50);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-logout-'));
    try {
      for (const sessionKey of ['alice000000000000000000000000001', 'alice000000000000000000000000002']) {
        fs.writeFileSync(path.join(dir, `sessionid${sessionKey}`), encodeSessionData(new PyDict([['_auth_user_name', 'alice@example.com']]), { secretKeys: [key] }));
      }
      const r = await cli(['--store', `file://${dir}`, 'logout-user', 'alice@example.com'], { DJANGO_SECRET_KEY: key });
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /warning: url:file: none of its 2 sessions holds _auth_user_id, where django\.contrib\.auth keeps the logged-in user; if the project logs users in under another key, logout-user cannot find them/);
      fs.writeFileSync(path.join(dir, 'sessionidbob00000000000000000000000000003'), encodeSessionData(new PyDict([['_auth_user_id', '3']]), { secretKeys: [key] }));
      assert.doesNotMatch((await cli(['--store', `file://${dir}`, 'logout-user', '9'], { DJANGO_SECRET_KEY: key })).err, /warning/);
      // A username where _auth_user_id holds the primary key finds nothing: the note says why.
      const byName = await cli(['--store', `file://${dir}`, 'logout-user', 'bob'], { DJANGO_SECRET_KEY: key });
      assert.match(byName.err, /note: url:file: no session is logged in as "bob": _auth_user_id holds the user's primary key \(usually a number, User\.objects\.get\(username="bob"\)\.pk\), not the username/);
      assert.doesNotMatch((await cli(['--store', `file://${dir}`, 'logout-user', '9'], { DJANGO_SECRET_KEY: key })).err, /no session is logged in as/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("reads a URL naming the settings' cached_db table as that store, refusing changes while its cache is not known", async () => {
    const db = await sqliteFromFixture('sessions.sql');
    const project = projectWithSettings(
      [
        'import os',
        "SECRET_KEY = 'k'",
        "SESSION_ENGINE = 'django.contrib.sessions.backends.cached_db'",
        `DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ${JSON.stringify(db)}}}`,
        "CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': os.environ['REDIS_URL']}}",
        '',
      ].join('\n'),
    );
    try {
      const args = ['--project', project, '--store', `sqlite://${db}`];
      const stores = await cli([...args, '--json', 'stores'], TRUSTING_ENV);
      assert.equal((JSON.parse(stores.out) as { stores: { engine: string }[] }).stores[0]!.engine, 'cached_db');
      assert.equal((await cli([...args, 'count'], TRUSTING_ENV)).out.trim(), '5', 'read from the table');
      const refused = await cli([...args, 'set', 'plainjson00000000000000000000001', 'x', '1'], TRUSTING_ENV);
      assert.equal(refused.code, 3);
      assert.match(refused.err, /The settings keep these sessions with cached_db .*, whose cache they do not name statically: .*Nothing was changed; name the cache too/);
      // Found in the settings alone, the store is read from its table the same way.
      assert.equal((await cli(['--project', project, 'count'], TRUSTING_ENV)).out.trim(), '5');
      const fromSettings = await cli(['--project', project, 'clear', 'plainjson00000000000000000000001', '--yes'], TRUSTING_ENV);
      assert.equal(fromSettings.code, 3);
      assert.match(fromSettings.err, /The session cache cannot be read from the settings \(CACHES\['default'\]\['LOCATION'\]: needs environment variable REDIS_URL\): .*nothing was changed; name the cache with a store URL/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
  it("says what Django does with data it cannot read: a list loads and fails the request, a pickle refused here may load there", async () => {
    const key = 'k'.repeat(50);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-undecodable-'));
    try {
      const list = timestampSign(b64urlEncode(Buffer.from('[1,2]')), key, 'django.contrib.sessions.SessionStore', 'sha256', Date.now() / 1000);
      fs.writeFileSync(path.join(dir, 'sessionidlistdata000000000000000000001'), list);
      // A pickled complex number: a global the reader refuses to call (protocol 2, copyreg-free REDUCE).
      const pickle = Buffer.from('80027d71005801000000637101635f5f6275696c74696e5f5f0a636f6d706c65780a7102473ff0000000000000473ff0000000000000867103527104732e', 'hex');
      fs.writeFileSync(path.join(dir, 'sessionidpickled00000000000000000000001'), timestampSign(b64urlEncode(pickle), key, 'django.contrib.sessions.SessionStore', 'sha256', Date.now() / 1000));
      const env = { DJANGO_SECRET_KEY: key };
      const listed = await cli(['--store', `file://${dir}`, 'show', 'listdata000000000000000000001'], env);
      assert.equal(listed.code, 4);
      assert.match(listed.err, /Django loads it as it is, and a request that uses the session then fails \(a server error\), so delete it/);
      const project = projectWithSettings(
        `SECRET_KEY = '${key}'\nSESSION_ENGINE = 'django.contrib.sessions.backends.file'\nSESSION_FILE_PATH = ${JSON.stringify(dir)}\nSESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'\n`,
      );
      const pickled = await cli(['--project', project, 'show', 'pickled00000000000000000000001'], {});
      assert.equal(pickled.code, 4, pickled.err);
      assert.match(pickled.err, /refused here, since reading it would run code, but Django unpickles it and may well load it/);
      fs.rmSync(project, { recursive: true, force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("says a signature fails perhaps only because the key is the settings' default for a variable not set here (cookiecutter-django's local.py)", async () => {
    const dir = projectWithSettings('');
    try {
      fs.mkdirSync(path.join(dir, 'sessions'));
      fs.writeFileSync(
        path.join(dir, 'conf', 'settings.py'),
        `import os\nSECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "local-default-key")\nSESSION_ENGINE = "django.contrib.sessions.backends.file"\nSESSION_FILE_PATH = ${JSON.stringify(path.join(dir, 'sessions'))}\n`,
      );
      // Django ran with DJANGO_SECRET_KEY set, so it signed with that key.
      fs.writeFileSync(path.join(dir, 'sessions', 'sessionidsignedelsewhere000000000001'), encodeSessionData(new PyDict([['a', 1n]]), { secretKeys: ['the-real-key'.padEnd(50, 'x')] }));
      const shown = await cli(['--project', dir, 'show', 'signedelsewhere000000000001'], {});
      assert.equal(shown.code, 4);
      assert.match(shown.err, /the SECRET_KEY here is the settings' default for DJANGO_SECRET_KEY, which is not set here: if Django runs with DJANGO_SECRET_KEY set, it signs with that key; set it where VS Code or the CLI runs/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
