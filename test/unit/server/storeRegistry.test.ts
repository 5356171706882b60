import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { PasswordSealer } from '../../../client/src/passwordSealer';
import { discoverProjects, maskSessionKey, openStore, PyDict } from '../../../engine/src';
import { TRUST_UNSEEN_VARIABLE } from '../../../engine/src/stores/sqlite/openByOthers';
import { PasswordCipher } from '../../../server/src/passwordCipher';
import { ProjectModel } from '../../../server/src/projectModel';
import { StoreRegistry } from '../../../server/src/storeRegistry';

/** A Django project whose settings name `engine`, in a fresh temporary folder. */
function project(engine: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-registry-'));
  fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
  fs.mkdirSync(path.join(root, 'site'));
  fs.writeFileSync(path.join(root, 'site', 'settings.py'), `SECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.${engine}"\n`);
  return root;
}

function registry(root: string, log: string[] = [], cipher?: PasswordCipher): StoreRegistry {
  const settings = { storeUrl: '', settingsModule: '' };
  return new StoreRegistry(new ProjectModel(() => [root], () => settings), () => [root], (m) => log.push(m), cipher);
}

const SETTINGS = { storeUrl: '', settingsModule: '' };

/**
 * A db-engine project on a SQLite file holding `users` sessions per user id, written the way
 * Django writes them. Keys sort by user (`u<id><n>…`) and differ in their first characters, which page cursors keep.
 */
async function sqliteProject(users: Record<string, number>): Promise<string> {
  const root = project('db');
  fs.appendFileSync(path.join(root, 'site', 'settings.py'), "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n");
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const empty = new SQL.Database();
  empty.exec('CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL);');
  fs.writeFileSync(path.join(root, 'db.sqlite3'), empty.export());
  empty.close();
  // One session per user through the engine, then copies of its row: thousands of writes through sql.js would take minutes.
  const [found] = await discoverProjects(root);
  const store = await openStore(found!.stores[0]!, { env: { ...process.env, [TRUST_UNSEEN_VARIABLE]: '1' } });
  const raws = new Map<string, string>();
  for (const user of Object.keys(users)) {
    raws.set(user, (await store.save(`u${user}-first000000000`, new PyDict([['_auth_user_id', user]]), { create: true })).raw as string);
    await store.delete(`u${user}-first000000000`);
  }
  await store.close();
  const db = new SQL.Database(fs.readFileSync(path.join(root, 'db.sqlite3')));
  for (const [user, count] of Object.entries(users)) {
    for (let i = 0; i < count; i++) {
      db.run('INSERT INTO django_session VALUES (?, ?, ?)', [`u${user}${String(i).padStart(5, '0')}sessionkey`, raws.get(user)!, '2099-01-01 00:00:00']);
    }
  }
  fs.writeFileSync(path.join(root, 'db.sqlite3'), db.export());
  db.close();
  return root;
}

describe('StoreRegistry', () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('says, for a signed_cookies project, where its sessions are and how to read one from VS Code', async () => {
    const root = project('signed_cookies');
    roots.push(root);
    const stores = registry(root);
    const [store] = await stores.listStores({ storeUrl: '', settingsModule: '' }, false);
    assert.equal(store?.engine, 'signed_cookies');
    await assert.rejects(stores.listSessions({ storeId: store.id, limit: 10, maskKeys: true }), (err: Error) => {
      assert.match(err.message, /in the visitor's browser/);
      assert.match(err.message, /developer tools/);
      assert.match(err.message, /django-sessions decode-cookie VALUE/);
      assert.doesNotMatch(err.message, /sign-cookie/);
      return true;
    });
  });

  it('names the djangoSessions.store.url setting when the SQLite file is not there', async () => {
    const root = project('db');
    roots.push(root);
    fs.appendFileSync(path.join(root, 'site', 'settings.py'), "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'missing.sqlite3'}}\n");
    const stores = registry(root);
    const [store] = await stores.listStores(SETTINGS, false);
    await assert.rejects(stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true }), (err: Error) => {
      assert.match(err.message, /name the right file with the djangoSessions\.store\.url setting/);
      return true;
    });
    await stores.dispose();
  });

  describe('across a refresh', () => {
    let trust: string | undefined;
    before(() => {
      // These temp files are this test's alone (see sqlJsTrust.ts): the sql.js write guard may trust that.
      trust = process.env[TRUST_UNSEEN_VARIABLE];
      process.env[TRUST_UNSEEN_VARIABLE] = '1';
    });
    after(() => {
      if (trust === undefined) {
        delete process.env[TRUST_UNSEEN_VARIABLE];
      } else {
        process.env[TRUST_UNSEEN_VARIABLE] = trust;
      }
    });

    it('keeps the refs and page tokens it handed out, so a picker open meanwhile still works', async () => {
      const root = await sqliteProject({ 1: 3 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const first = await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true });
      assert.ok(first.nextPage);
      await stores.listStores(SETTINGS, true);
      const ref = first.sessions[0]!.ref;
      assert.equal((await stores.getSession({ storeId: store!.id, ref, maskKeys: true })).session?.ref, ref);
      const next = await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true, page: first.nextPage });
      assert.equal(next.sessions.length, 1);
      await stores.editSession({ storeId: store!.id, ref, edit: { kind: 'flush' } });
      const flushed = await stores.getSession({ storeId: store!.id, ref, maskKeys: true });
      assert.deepEqual([flushed.session, flushed.unlisted], [undefined, undefined], 'a flushed session reads as gone, not as an unlisted row');
      await stores.dispose();
    });

    it('shows a whole session as a read-only JSONC document, and says when it is gone or no longer listed', async () => {
      const root = await sqliteProject({ 7: 2 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const [first, second] = (await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true })).sessions;
      const key = 'u700001sessionkey';
      assert.equal(first!.displayKey, maskSessionKey(key));
      assert.deepEqual(await stores.sessionDocument({ storeId: store!.id, ref: first!.ref, maskKeys: true }, SETTINGS), {
        text: [
          `// Django session ${maskSessionKey(key)} in db · SQLite · db.sqlite3`,
          // A naive 00:00 in Django's default TIME_ZONE, America/Chicago, with USE_TZ unset.
          '// expires 2099-01-01T06:00:00.000Z · user 7 · signature valid',
          '// Read-only: change values from the Sessions view.',
          '{',
          '  "_auth_user_id": "7"',
          '}',
          '',
        ].join('\n'),
      });
      const unmasked = await stores.sessionDocument({ storeId: store!.id, ref: first!.ref, maskKeys: false }, SETTINGS);
      assert.match(unmasked.text!, new RegExp(`^// Django session ${key} in `));
      await stores.editSession({ storeId: store!.id, ref: second!.ref, edit: { kind: 'flush' } });
      assert.deepEqual(await stores.sessionDocument({ storeId: store!.id, ref: second!.ref, maskKeys: true }, SETTINGS), {});
      assert.deepEqual(await stores.sessionDocument({ storeId: store!.id, ref: 'never-handed-out', maskKeys: true }, SETTINGS), { unlisted: true });
      await stores.dispose();
    });

    it('forgets the refs of a store that is gone, and counts only when asked', async () => {
      const root = await sqliteProject({ 1: 2 });
      roots.push(root);
      const settings = { ...SETTINGS };
      const stores = new StoreRegistry(new ProjectModel(() => [root], () => settings), () => [root], () => undefined);
      const [store] = await stores.listStores(settings, false);
      const page = await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true, withTotal: true });
      assert.equal(page.total, 2);
      assert.equal((await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true })).total, undefined);
      settings.storeUrl = `sqlite:///${path.join(root, 'db.sqlite3')}?table=other`;
      const [other] = await stores.listStores(settings, true);
      assert.notEqual(other!.id, store!.id);
      settings.storeUrl = '';
      await stores.listStores(settings, true);
      assert.deepEqual(await stores.getSession({ storeId: store!.id, ref: page.sessions[0]!.ref, maskKeys: true }), { unlisted: true });
      await stores.dispose();
    });

    it('never lets a ref or page token act on another database that now has the same store id', async () => {
      const root = await sqliteProject({ 1: 3 });
      roots.push(root);
      fs.copyFileSync(path.join(root, 'db.sqlite3'), path.join(root, 'copy.sqlite3'));
      const settings = { ...SETTINGS, storeUrl: `sqlite:///${path.join(root, 'db.sqlite3')}` };
      const stores = new StoreRegistry(new ProjectModel(() => [root], () => settings), () => [root], () => undefined);
      const [store] = await stores.listStores(settings, false);
      const page = await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true });
      assert.ok(page.nextPage);
      settings.storeUrl = `sqlite:///${path.join(root, 'copy.sqlite3')}`;
      const [copy] = await stores.listStores(settings, true);
      assert.equal(copy!.id, store!.id, 'the same id, another file');
      const ref = page.sessions[0]!.ref;
      assert.deepEqual(await stores.getSession({ storeId: copy!.id, ref, maskKeys: true }), { unlisted: true });
      await assert.rejects(stores.editSession({ storeId: copy!.id, ref, edit: { kind: 'flush' } }));
      await assert.rejects(stores.listSessions({ storeId: copy!.id, limit: 2, maskKeys: true, page: page.nextPage }));
      assert.equal((await stores.listSessions({ storeId: copy!.id, limit: 10, maskKeys: true, withTotal: true })).total, 3, 'the copy kept every session');
      await stores.dispose();
    });

    it('discovers once for refreshes asked at the same time', async () => {
      const root = project('db');
      roots.push(root);
      const log: string[] = [];
      const stores = registry(root, log);
      const lists = await Promise.all([stores.listStores(SETTINGS, true), stores.listStores(SETTINGS, true), stores.listStores(SETTINGS, false)]);
      assert.deepEqual(
        lists.map((l) => l.map((s) => s.id)),
        [['default'], ['default'], ['default']].map((ids) => ids.map(() => lists[0]![0]!.id)),
      );
      assert.equal(log.filter((m) => m.startsWith('Found ')).length, 1);
      // A change while discovery runs is read by a discovery after it, never beside it.
      const running = stores.listStores(SETTINGS, true);
      stores.invalidate();
      await Promise.all([running, stores.listStores(SETTINGS, false)]);
      assert.equal(log.filter((m) => m.startsWith('Found ')).length, 3);
    });

    it('lets a bulk delete finish on its store when a refresh comes in the middle', async () => {
      // The first scan page (1000 rows) holds user 1's sessions; user 7's are on the next, deleted after the refresh.
      const root = await sqliteProject({ 1: 1000, 7: 5 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      let refresh: Promise<unknown> | undefined;
      const result = await stores.bulkDelete({ storeId: store!.id, userId: '7' }, new AbortController().signal, () => {
        refresh ??= stores.listStores(SETTINGS, true);
      });
      assert.ok(refresh, 'the refresh ran during the bulk delete');
      await refresh;
      assert.deepEqual(result, { deleted: 5, cancelled: false });
      const after = await stores.listSessions({ storeId: store!.id, limit: 1, maskKeys: true, withTotal: true });
      assert.equal(after.total, 1000);
      await stores.dispose();
    });
  });

  it('uses the passwords it can open and logs, without the password, those it cannot', async () => {
    const root = project('db');
    roots.push(root);
    const sealer = new PasswordSealer();
    const log: string[] = [];
    const stores = registry(root, log, PasswordCipher.fromEnvironment(sealer.serverEnvironment()));
    await stores.setPasswords([sealer.seal('PGPASSWORD', 'postgres://app@db/x', 's3cret')]);
    assert.deepEqual(log, []);
    await stores.setPasswords([new PasswordSealer().seal('PGPASSWORD', 'postgres://app@db/x', 's3cret')]);
    assert.equal(log.length, 1);
    assert.match(log[0]!, /\$PGPASSWORD could not be opened/);
    assert.doesNotMatch(log[0]!, /s3cret/);
  });
});
