import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import initSqlJs from 'sql.js';
import { PasswordSealer } from '../../../client/src/passwordSealer';
import { refKeyEnvironment } from '../../../client/src/refKey';
import { discoverProjects, maskSessionKey, openStore, PyDatetime, PyDecimal, PyDict, PyOrderedDict, PySet, PyTuple, signSessionCookie, type PyValue, type SessionStore } from '../../../engine/src';
import { TRUST_UNSEEN_VARIABLE } from '../../../engine/src/stores/sqlite/openByOthers';
import { PasswordCipher } from '../../../server/src/passwordCipher';
import { sessionDocumentVersion } from '../../../server/src/sessionDocument';
import { ProjectModel } from '../../../server/src/projectModel';
import { refKeyFromEnvironment } from '../../../server/src/refKey';
import { StoreRegistry } from '../../../server/src/storeRegistry';
import { writeEmptySessionTable } from '../engine/stores/sqliteFixture';

/** A Django project whose settings name `engine`, in a fresh temporary folder. */
function project(engine: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-registry-'));
  fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
  fs.mkdirSync(path.join(root, 'site'));
  fs.writeFileSync(path.join(root, 'site', 'settings.py'), `SECRET_KEY = "k"\nUSE_TZ = False\nSESSION_ENGINE = "django.contrib.sessions.backends.${engine}"\n`);
  return root;
}

function registry(root: string, log: string[] = [], cipher?: PasswordCipher): StoreRegistry {
  const settings = { storeUrl: '', settingsModules: {} };
  return new StoreRegistry(new ProjectModel(() => [root], () => settings), () => [root], (m) => log.push(m), cipher);
}

const SETTINGS = { storeUrl: '', settingsModules: {} };

/**
 * A db-engine project on a SQLite file holding `users` sessions per user id, written the way
 * Django writes them. Keys sort by user (`u<id><n>…`) and differ in their first characters, which page cursors keep.
 */
async function sqliteProject(users: Record<string, number>, settings = ''): Promise<string> {
  const root = project('db');
  fs.appendFileSync(path.join(root, 'site', 'settings.py'), `DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n${settings}`);
  await writeEmptySessionTable(path.join(root, 'db.sqlite3'));
  // One session per user through the engine, then copies of its row: thousands of writes through sql.js would take minutes.
  const [found] = await discoverProjects(root);
  const store = await openStore(found!.stores[0]!, { env: { ...process.env, [TRUST_UNSEEN_VARIABLE]: '1' } });
  const raws = new Map<string, string>();
  for (const user of Object.keys(users)) {
    raws.set(user, (await store.save(`u${user}-first000000000`, new PyDict([['_auth_user_id', user]]), { create: true })).raw as string);
    await store.delete(`u${user}-first000000000`);
  }
  await store.close();
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
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

/** The project's store as Django would reach it, beside the registry: for writes the registry did not make. */
async function djangoSide(root: string): Promise<SessionStore> {
  const [found] = await discoverProjects(root);
  return openStore(found!.stores[0]!, { env: process.env });
}

/** Lets the sql.js write guard trust these tests' temporary files, which no one else opens (see sqlJsTrust.ts). */
function trustTemporaryFiles(): void {
  let trust: string | undefined;
  before(() => {
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
}

/** The stored version a document's text names, from its `// version` line. */
function versionOf(text: string): string {
  const version = /^\/\/ version ([0-9a-f]{32})$/m.exec(text)?.[1];
  assert.ok(version, `a version line in ${text}`);
  return version;
}

/** A session document's text with its data replaced by `body`, its comment header kept. */
function withBody(text: string, body: string): string {
  return `${text.split('\n').filter((line) => line.startsWith('//')).join('\n')}\n${body}\n`;
}

describe('StoreRegistry', () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('says, for a signed_cookies project, where its sessions are and how to read one from VS Code', async () => {
    const root = project('signed_cookies');
    roots.push(root);
    const stores = registry(root);
    const [store] = await stores.listStores({ storeUrl: '', settingsModules: {} }, false);
    assert.equal(store?.engine, 'signed_cookies');
    await assert.rejects(stores.listSessions({ storeId: store.id, limit: 10, maskKeys: true }), (err: Error) => {
      assert.match(err.message, /in the visitor's browser/);
      assert.match(err.message, /developer tools/);
      assert.match(err.message, /django-sessions decode-cookie VALUE/);
      assert.doesNotMatch(err.message, /sign-cookie/);
      return true;
    });
  });

  it("decodes a pasted signed_cookies session cookie as the project's Django reads it, and says why Django would not take one", async () => {
    const root = project('signed_cookies');
    roots.push(root);
    const stores = registry(root);
    const [store] = await stores.listStores(SETTINGS, false);
    const context = { secretKeys: { values: ['k'] }, serializer: 'json' as const, cookieAgeSeconds: 1209600 };
    const cookie = signSessionCookie(new PyDict([['_auth_user_id', '7'], ['cart', [1n, 2n]]]), context);
    const decode = async (value: string): Promise<string> => {
      const read = await stores.decodeCookie({ storeId: store!.id, value }, SETTINGS);
      assert.ok('text' in read, 'a signed_cookies cookie is decoded, not looked up');
      return read.text;
    };
    const text = await decode(` "${cookie}" `);
    assert.match(text, /^\/\/ A session cookie of signed_cookies/);
    assert.match(text, /\/\/ signature valid · signed \S+ · Django takes it until \S+ · user 7\n/);
    assert.match(text, /"cart": \[\n\s+1,\n\s+2\n\s+\]/);
    const old = signSessionCookie(new PyDict([['a', 1n]]), context, Date.now() / 1000 - 1209600 - 60);
    assert.match(await decode(old), /Django would start an empty session instead: Signature age 12096\d\d > 1209600 seconds/);
    const forged = signSessionCookie(new PyDict([['a', 1n]]), { ...context, secretKeys: { values: ['other'] } });
    assert.match(await decode(forged), /Django would start an empty session instead: .*signature/i);
    await stores.dispose();
  });

  it('says why it found no store: no project at all, or what the project\'s settings lack', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-nothing-'));
    roots.push(empty);
    const none = registry(empty);
    assert.deepEqual(await none.listStores(SETTINGS, false), []);
    const nothing = await none.whyNoStores(SETTINGS);
    assert.match(nothing.whyNone[0]!, /^No Django project found: no manage\.py of Django's \(one that imports django or sets DJANGO_SETTINGS_MODULE, itself or through modules of the project it imports\) in /);
    assert.equal(nothing.noProject, true);
    await none.dispose();
    // Flask-Script's manage.py is no Django project's: the status bar hears that there is none.
    fs.writeFileSync(path.join(empty, 'manage.py'), 'from flask_script import Manager\nfrom app import app\nManager(app).run()\n');
    const flask = registry(empty);
    assert.deepEqual(await flask.whyNoStores(SETTINGS), { whyNone: nothing.whyNone, noProject: true });
    await flask.dispose();
    const root = project('db');
    roots.push(root);
    fs.writeFileSync(path.join(root, 'manage.py'), 'import sys\nfrom django.core.management import execute_from_command_line\n');
    const unnamed = registry(root);
    assert.deepEqual(await unnamed.listStores(SETTINGS, false), []);
    const lacking = await unnamed.whyNoStores(SETTINGS);
    assert.match(lacking.whyNone.join('\n'), /DJANGO_SETTINGS_MODULE/);
    assert.equal(lacking.noProject, false);
    await unnamed.dispose();
    const found = registry(project('db'));
    await found.listStores(SETTINGS, false);
    assert.deepEqual(await found.whyNoStores(SETTINGS), { whyNone: [], noProject: false });
    await found.dispose();
  });

  it("names where each settings problem is on the store's notes, so the view can say which line to fix", async () => {
    const root = project('db');
    roots.push(root);
    fs.appendFileSync(path.join(root, 'site', 'settings.py'), 'INSTALLED_APPS = ["django.contrib.sessions"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n');
    const stores = registry(root);
    const [store] = await stores.listStores(SETTINGS, false);
    const syntax = store!.notes.find((note) => /^site\/settings\.py:4: syntax error in the settings; this part is skipped$/.test(note.text));
    assert.ok(syntax, store!.notes.map((note) => note.text).join('\n'));
    assert.deepEqual(syntax.source, { uri: pathToFileURL(path.join(root, 'site', 'settings.py')).toString(), line: 4 }, 'the view opens the line');
    await stores.dispose();
  });

  it('keeps the stores of two workspace folders with the same name apart, in their ids and their labels', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-two-apps-'));
    const folders = ['shop', 'blog'].map((name) => {
      const folder = path.join(parent, name, 'app');
      fs.mkdirSync(folder, { recursive: true });
      fs.cpSync(project('db'), folder, { recursive: true });
      return folder;
    });
    const stores = new StoreRegistry(new ProjectModel(() => folders, () => SETTINGS), () => folders, () => undefined);
    const listed = await stores.listStores(SETTINGS, false);
    assert.deepEqual(listed.map((s) => s.id).sort(), ['blog/app/db:default', 'shop/app/db:default']);
    // Their rows must be told apart too, not two "db · SQLite · db.sqlite3".
    assert.deepEqual(listed.map((s) => s.label).sort(), ['blog/app › db', 'shop/app › db']);
    await stores.dispose();
    fs.rmSync(parent, { recursive: true, force: true });
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

  it("sets an expiry at a date without a zone in the project's TIME_ZONE, and one with a zone as it says", async () => {
    const root = await sqliteProject({ 1: 1 }, "USE_TZ = True\nTIME_ZONE = 'Asia/Kathmandu'\n");
    roots.push(root);
    trustTemporaryFiles();
    const stores = registry(root);
    const [store] = await stores.listStores(SETTINGS, false);
    const [session] = (await stores.listSessions({ storeId: store!.id, limit: 1, maskKeys: true })).sessions;
    const expiryAfter = async (iso: string) => {
      await stores.editSession({ storeId: store!.id, ref: session!.ref, edit: { kind: 'setExpiry', expiry: { kind: 'at', iso } } });
      return (await stores.listSessions({ storeId: store!.id, limit: 1, maskKeys: true })).sessions[0]!.expireDate;
    };
    // Kathmandu is UTC+05:45.
    assert.equal(await expiryAfter('2030-01-01T12:00'), '2030-01-01T06:15:00.000Z');
    assert.equal(await expiryAfter('2030-01-01T12:00:00+01:00'), '2030-01-01T11:00:00.000Z');
    // The microseconds typed reach the stored expire_date, which a Date alone would cut to milliseconds.
    const storedExpiry = async (iso: string) => {
      await expiryAfter(iso);
      const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
      const db = new SQL.Database(fs.readFileSync(path.join(root, 'db.sqlite3')));
      const [row] = db.exec('SELECT expire_date FROM django_session');
      db.close();
      return row!.values[0]![0];
    };
    assert.equal(await storedExpiry('2030-01-01T12:00:00.123456+01:00'), '2030-01-01 11:00:00.123456');
    assert.equal(await storedExpiry('2030-01-01T12:00:00.654321'), '2030-01-01 06:15:00.654321');
    await assert.rejects(stores.editSession({ storeId: store!.id, ref: session!.ref, edit: { kind: 'setExpiry', expiry: { kind: 'at', iso: 'next tuesday' } } }), /is not a date and time: .*or without one for Asia\/Kathmandu/);
    await stores.dispose();
  });

  describe('across a refresh', () => {
    trustTemporaryFiles();

    it("names a session by the same ref in a server started again for the workspace, so a session document VS Code restored after a reload reads and saves it", async () => {
      const root = await sqliteProject({ 7: 1 });
      roots.push(root);
      // The workspace state a reloaded window finds again.
      const kept = new Map<string, unknown>();
      const state = { get: <T>(name: string) => kept.get(name) as T | undefined, update: async (name: string, value: unknown) => void kept.set(name, value) };
      const server = async () => new StoreRegistry(new ProjectModel(() => [root], () => SETTINGS), () => [root], () => undefined, undefined, refKeyFromEnvironment({ ...(await refKeyEnvironment(state as never)) }));
      const list = async (stores: StoreRegistry) => (await stores.listSessions({ storeId: 'db:default', limit: 10, maskKeys: true })).sessions;
      const before = await server();
      await before.listStores(SETTINGS, false);
      const [row] = await list(before);
      const opened = await before.sessionDocument({ storeId: 'db:default', ref: row!.ref, maskKeys: true }, SETTINGS);
      await before.dispose();

      const after = await server();
      await after.listStores(SETTINGS, false);
      // The view lists the store as the window comes back; the restored document then names a session it knows.
      assert.deepEqual((await list(after)).map((s) => s.ref), [row!.ref]);
      const restored = { storeId: 'db:default', ref: row!.ref };
      assert.equal((await after.sessionDocument({ ...restored, maskKeys: true }, SETTINGS)).text, opened.text);
      await after.saveSessionDocument({ ...restored, text: opened.text!.replace('"7"', '"8"') }, SETTINGS);
      assert.equal((await after.getSession({ ...restored, maskKeys: true })).session?.userId, '8');
      await after.dispose();

      const elsewhere = new StoreRegistry(new ProjectModel(() => [root], () => SETTINGS), () => [root], () => undefined);
      await elsewhere.listStores(SETTINGS, false);
      await list(elsewhere);
      assert.equal((await elsewhere.sessionDocument({ ...restored, maskKeys: true }, SETTINGS)).unlisted, true, 'a server with a key of its own knows nothing of the ref');
      await elsewhere.dispose();
    });

    it('leaves no store watched when it is disposed while a discovery runs', async () => {
      const root = await sqliteProject({ 1: 1 });
      roots.push(root);
      const stores = registry(root);
      const reports: string[] = [];
      stores.onSessionsChanged((id) => reports.push(id));
      const discovering = stores.listStores(SETTINGS, true);
      await stores.dispose();
      await discovering.catch(() => undefined);
      fs.appendFileSync(path.join(root, 'db.sqlite3'), Buffer.alloc(4096));
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.deepEqual(reports, []);
    });

    it('counts the live sessions holding a key for a rename, and says when the time ran out before it read them all', async () => {
      const root = await sqliteProject({ 1: 2500 });
      roots.push(root);
      const stores = registry(root);
      assert.deepEqual(await stores.storedWithKey('_auth_user_id', SETTINGS, 60_000), [{ store: 'db · SQLite · db.sqlite3', holding: 2500, complete: true, read: 2500 }]);
      assert.deepEqual(await stores.storedWithKey('cart', SETTINGS, 60_000), [], 'a whole search that finds none: nothing to say');
      // No time at all: one page is read, and what it found is no answer for the rest.
      assert.deepEqual(await stores.storedWithKey('cart', SETTINGS, 0), [{ store: 'db · SQLite · db.sqlite3', holding: 0, complete: false, read: 2000 }]);
      await stores.dispose();
    });

    it('keeps the refs and page tokens it handed out, so a picker open meanwhile still works', async () => {
      const root = await sqliteProject({ 1: 3 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const first = await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true });
      assert.ok(first.nextPage);
      // Listed again as it was (the view follows Django's changes), the page keeps its token; another filter gets its own.
      assert.equal((await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true })).nextPage, first.nextPage);
      assert.notEqual((await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true, filter: { state: 'active' } })).nextPage, first.nextPage);
      await stores.listStores(SETTINGS, true);
      const ref = first.sessions[0]!.ref;
      assert.equal((await stores.getSession({ storeId: store!.id, ref, maskKeys: true })).session?.ref, ref);
      const next = await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true, page: first.nextPage });
      assert.equal(next.sessions.length, 1);
      // Not spent: the view's Load more and a picker's may hold the same token.
      assert.equal((await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true, page: first.nextPage })).sessions.length, 1);
      await stores.editSession({ storeId: store!.id, ref, edit: { kind: 'flush' } });
      await assert.rejects(stores.editSession({ storeId: store!.id, ref, edit: { kind: 'flush' } }), /already gone .*nothing was deleted/, 'a second flush does not claim to delete');
      const flushed = await stores.getSession({ storeId: store!.id, ref, maskKeys: true });
      assert.deepEqual([flushed.session, flushed.unlisted], [undefined, undefined], 'a flushed session reads as gone, not as an unlisted row');
      await stores.dispose();
    });

    it('answers a cycled key with the session under its new key, whose ref reads it, and nothing for other changes', async () => {
      const root = await sqliteProject({ 4: 1 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const [before] = (await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true })).sessions;
      assert.deepEqual(await stores.editSession({ storeId: store!.id, ref: before!.ref, edit: { kind: 'clear' } }), {});
      const { cycled } = await stores.editSession({ storeId: store!.id, ref: before!.ref, edit: { kind: 'cycleKey' } });
      assert.ok(cycled && cycled.ref !== before!.ref);
      assert.match(cycled.maskedKey, /^[a-z0-9]{4}•{8}$/);
      const [after] = (await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true })).sessions;
      assert.deepEqual([after!.ref, after!.maskedKey], [cycled.ref, cycled.maskedKey], 'the ref names the session the view lists');
      assert.equal((await stores.getSession({ storeId: store!.id, ref: before!.ref, maskKeys: true })).session, undefined, 'the old key is gone');
      await stores.dispose();
    });

    it('shows a whole session as an editable JSONC document naming its version, and says when it is gone or no longer listed', async () => {
      const root = await sqliteProject({ 7: 2 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const [first, second] = (await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true })).sessions;
      const key = 'u700001sessionkey';
      assert.equal(first!.displayKey, maskSessionKey(key));
      const document = await stores.sessionDocument({ storeId: store!.id, ref: first!.ref, maskKeys: true }, SETTINGS);
      assert.deepEqual(document, {
        text: [
          `// Django session ${maskSessionKey(key)} in db · SQLite · db.sqlite3`,
          // A naive 00:00 in Django's default TIME_ZONE, America/Chicago, with USE_TZ unset.
          '// expires 2099-01-01T06:00:00Z · user 7 · signature valid',
          '// Edit the JSON below and save to write it back; nothing is written if Django changed the session meanwhile.',
          `// version ${versionOf(document.text!)}`,
          '{',
          '  "_auth_user_id": "7"',
          '}',
          '',
        ].join('\n'),
        editable: true,
      });
      const unmasked = await stores.sessionDocument({ storeId: store!.id, ref: first!.ref, maskKeys: false }, SETTINGS);
      // Even with masking off the document's text, which hot exit writes to disk, never holds the whole key.
      assert.match(unmasked.text!, new RegExp(`^// Django session ${maskSessionKey(key)} in `));
      assert.ok(!unmasked.text!.includes(key));
      await stores.editSession({ storeId: store!.id, ref: second!.ref, edit: { kind: 'flush' } });
      assert.deepEqual(await stores.sessionDocument({ storeId: store!.id, ref: second!.ref, maskKeys: true }, SETTINGS), {});
      assert.deepEqual(await stores.sessionDocument({ storeId: store!.id, ref: 'never-handed-out', maskKeys: true }, SETTINGS), { unlisted: true });
      await stores.dispose();
    });

    it('lets an unsigned-looking session be edited when the store can sign it: an empty file session', async () => {
      const root = project('file');
      roots.push(root);
      const dir = path.join(root, 'sessions');
      fs.mkdirSync(dir);
      fs.appendFileSync(path.join(root, 'site', 'settings.py'), `SESSION_FILE_PATH = ${JSON.stringify(dir)}\n`);
      fs.writeFileSync(path.join(dir, 'sessionidemptysession0000000000000'), '');
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const [row] = (await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true })).sessions;
      assert.equal(row?.signature, 'unverified');
      const document = await stores.sessionDocument({ storeId: store!.id, ref: row!.ref, maskKeys: true }, SETTINGS);
      assert.equal(document.editable, true, document.text);
      await stores.saveSessionDocument({ storeId: store!.id, ref: row!.ref, text: withBody(document.text!, '{"cart": [1]}') }, SETTINGS);
      assert.match((await stores.sessionDocument({ storeId: store!.id, ref: row!.ref, maskKeys: true }, SETTINGS)).text!, /"cart": \[\n {4}1\n {2}\]/);
      await stores.dispose();
    });

    it('finds the stores again at once while an old connection takes its time to close (a dead peer), and lists with a new one', async () => {
      const root = await sqliteProject({ 1: 1 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true });
      const opened = await (stores as unknown as { stores: Map<string, { opened: { opening: Promise<SessionStore> } }> }).stores.get(store!.id)!.opened.opening;
      opened.close = () => new Promise<void>(() => undefined);
      const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000))]);
      assert.equal(await settled(stores.listStores(SETTINGS, true)), true, 'a refresh does not wait for the close');
      assert.equal((await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true })).sessions.length, 1);
      await stores.dispose();
    });

    it('keeps a page token whose page failed to load, so Load more can try again', async () => {
      const root = await sqliteProject({ 1: 3 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const first = await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true });
      const opened = await (stores as unknown as { stores: Map<string, { opened: { opening: Promise<SessionStore> } }> }).stores.get(store!.id)!.opened.opening;
      const list = opened.list.bind(opened);
      opened.list = () => Promise.reject(new Error('database is locked'));
      await assert.rejects(stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true, page: first.nextPage }), /database is locked/);
      opened.list = list;
      assert.equal((await stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true, page: first.nextPage })).sessions.length, 1);
      await assert.rejects(stores.listSessions({ storeId: store!.id, limit: 2, maskKeys: true, page: 'madeUpToken' }), /no longer available/, 'a token never handed out');
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

    it('lists only the sessions a filter matches, page after page with the filter the first page had, and counts only a filter that needs no decoding', async () => {
      const root = await sqliteProject({ 1: 3, 2: 2 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const storeId = store!.id;
      const first = await stores.listSessions({ storeId, limit: 2, maskKeys: true, withTotal: true, filter: { userId: '1' } });
      assert.deepEqual(first.sessions.map((s) => s.userId), ['1', '1']);
      assert.equal(first.total, undefined, 'a user filter would decode the whole table to count');
      assert.ok(first.scanned !== undefined && first.scanned >= 2);
      // The client's filter on a later page is ignored: a page token continues its own listing.
      const rest = await stores.listSessions({ storeId, limit: 2, maskKeys: true, page: first.nextPage, filter: { userId: '2' } });
      assert.deepEqual(rest.sessions.map((s) => s.userId), ['1']);
      assert.equal(rest.nextPage, undefined);
      const active = await stores.listSessions({ storeId, limit: 10, maskKeys: true, withTotal: true, filter: { state: 'active' } });
      assert.equal(active.total, 5, 'a state filter is counted in SQL');
      const expired = await stores.listSessions({ storeId, limit: 10, maskKeys: true, withTotal: true, filter: { state: 'expired' } });
      assert.deepEqual([expired.sessions.length, expired.total], [0, 0]);
      assert.deepEqual((await stores.listSessions({ storeId, limit: 10, maskKeys: true, filter: { hasKey: '_auth_user_id', text: "'2'" } })).sessions.map((s) => s.userId), ['2', '2']);
      await assert.rejects(stores.listSessions({ storeId, limit: 10, maskKeys: true, filter: { state: 'stale' as 'active' } }), /state is 'active' or 'expired'/);
      await assert.rejects(stores.listSessions({ storeId, limit: 10, maskKeys: true, filter: { userId: 7 as unknown as string } }), /userId must be a non-empty string/);
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

    it("reports a user's bulk delete cancelled only when the cancellation stopped it before the last session was checked", async () => {
      // User 7's sessions are on the second scan page, after user 1's 1000.
      const root = await sqliteProject({ 1: 1000, 7: 5 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const early = new AbortController();
      assert.deepEqual(await stores.bulkDelete({ storeId: store!.id, userId: '7' }, early.signal, () => early.abort()), { deleted: 0, cancelled: true });
      const late = new AbortController();
      const result = await stores.bulkDelete({ storeId: store!.id, userId: '7' }, late.signal, (done) => done === 1005 && late.abort());
      assert.equal(late.signal.aborted, true);
      assert.deepEqual(result, { deleted: 5, cancelled: false });
      await stores.dispose();
    });
  });

  describe("counting a user's sessions before a logout", () => {
    trustTemporaryFiles();

    it('counts what the logout would delete, and gives no count where the store was not read to its end within the budget or before a cancellation', async () => {
      const root = await sqliteProject({ 1: 5000, 7: 3 });
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const params = { storeId: store!.id, userId: '7' };
      assert.deepEqual(await stores.countUserSessions(params, new AbortController().signal, 60_000, () => undefined), { sessions: 3 });
      // Thousands of sessions are not decoded in a millisecond: the view then asks about all of them, uncounted.
      assert.deepEqual(await stores.countUserSessions(params, new AbortController().signal, 1, () => undefined), {});
      const cancel = new AbortController();
      assert.deepEqual(await stores.countUserSessions(params, cancel.signal, 60_000, () => cancel.abort()), {});
      assert.equal((await stores.listSessions({ storeId: store!.id, limit: 1, maskKeys: true, withTotal: true })).total, 5003, 'nothing was deleted');
      await stores.dispose();
    });
  });

  describe('saving a session document', () => {
    trustTemporaryFiles();

    /** A registry on a fresh project with one session of user 7, and that session's document as first read. */
    async function opened(settings = '') {
      const root = await sqliteProject({ 7: 1 }, settings);
      roots.push(root);
      const stores = registry(root);
      const [store] = await stores.listStores(SETTINGS, false);
      const [row] = (await stores.listSessions({ storeId: store!.id, limit: 10, maskKeys: true })).sessions;
      const session = { storeId: store!.id, ref: row!.ref };
      const document = await stores.sessionDocument({ ...session, maskKeys: true }, SETTINGS);
      return { root, stores, session, document, key: 'u700000sessionkey' };
    }

    it("opens the session a db cookie names: its value is the session key, and the ref is the listing's", async () => {
      const { stores, session, key } = await opened();
      assert.deepEqual(await stores.decodeCookie({ storeId: session.storeId, value: ` ${key} ` }, SETTINGS), { session: { ref: session.ref, maskedKey: 'u700••••••••' } });
      await assert.rejects(stores.decodeCookie({ storeId: session.storeId, value: 'nosuchsession0000000' }, SETTINGS), (err: Error & { code?: string }) => err.code === 'not-found' && /holds no session under this cookie's key, so Django starts a new, empty session/.test(err.message));
      await assert.rejects(stores.decodeCookie({ storeId: session.storeId, value: 'abc' }, SETTINGS), (err: Error & { code?: string }) => err.code === 'bad-input' && /holds the session's key/.test(err.message));
      await stores.dispose();
    });

    it('writes the edited data, dropping the comment header and keeping big ints and 1.0, then reads back as the new version', async () => {
      const { stores, session, document } = await opened();
      const text = withBody(document.text!, '{\n  "_auth_user_id": "7",\n  "big": 12345678901234567890123,\n  "ratio": 1.0,\n  "cart": {"1": [2, null, true]}\n}');
      await stores.saveSessionDocument({ ...session, text }, SETTINGS);
      const after = await stores.sessionDocument({ ...session, maskKeys: true }, SETTINGS);
      assert.notEqual(versionOf(after.text!), versionOf(document.text!), 'the document now names the version just written');
      assert.ok(after.text!.endsWith('{\n  "_auth_user_id": "7",\n  "big": 12345678901234567890123,\n  "ratio": 1.0,\n  "cart": {\n    "1": [\n      2,\n      null,\n      true\n    ]\n  }\n}\n'), after.text);
      assert.equal(after.editable, true);
      await stores.dispose();
    });

    it('refuses, writing nothing, when Django wrote to the session after the document was read', async () => {
      const { root, stores, session, document, key } = await opened();
      const django = await djangoSide(root);
      const written = await django.update(key, (data) => data.set('cart', [1n, 2n]));
      await assert.rejects(stores.saveSessionDocument({ ...session, text: withBody(document.text!, '{"_auth_user_id": "7", "mine": 1}') }, SETTINGS), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'conflict');
        assert.match(err.message, /Django changed this session after the document was read, so nothing was written\. Compare it with the session as stored now/);
        return true;
      });
      assert.equal((await django.get(key))?.raw, written.raw, "the row is as Django's write left it");
      await django.close();
      await stores.dispose();
    });

    it('refuses, writing nothing, when only the expiry changed after the document was read: a save would revive an expired session', async () => {
      const { root, stores, session, document, key } = await opened();
      // Through SQLite, as Django's connection writes: a file rewritten whole behind an open
      // connection (a sql.js export, whose change counter stays 1) is not a change SQLite sees.
      const update = spawnSync('/usr/bin/python3', ['-c', "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE django_session SET expire_date = '2001-01-01 00:00:00' WHERE session_key = ?\", (sys.argv[2],)); c.commit()", path.join(root, 'db.sqlite3'), key], { encoding: 'utf8' });
      assert.equal(update.status, 0, update.stderr);
      await assert.rejects(stores.saveSessionDocument({ ...session, text: withBody(document.text!, '{"_auth_user_id": "7", "mine": 1}') }, SETTINGS), /Django changed this session after the document was read/);
      const django = await djangoSide(root);
      assert.equal((await django.get(key))?.expireDate?.toISOString().slice(0, 4), '2001', 'still expired');
      await django.close();
      await stores.dispose();
    });

    it("takes a text still naming the version its own last save replaced, the editor not having reloaded yet, but not once Django wrote", async () => {
      const { root, stores, session, document, key } = await opened();
      await stores.saveSessionDocument({ ...session, text: withBody(document.text!, '{"_auth_user_id": "7", "step": 1}') }, SETTINGS);
      await stores.saveSessionDocument({ ...session, text: withBody(document.text!, '{"_auth_user_id": "7", "step": 2}') }, SETTINGS);
      assert.match((await stores.sessionDocument({ ...session, maskKeys: true }, SETTINGS)).text!, /"step": 2/);
      const django = await djangoSide(root);
      await django.update(key, (data) => data.set('django', 1n));
      await assert.rejects(stores.saveSessionDocument({ ...session, text: withBody(document.text!, '{"_auth_user_id": "7", "step": 3}') }, SETTINGS), /Django changed this session after the document was read/);
      const kept = await django.get(key);
      assert.ok(kept?.decoded.ok);
      assert.deepEqual([kept.decoded.session.data.get('django'), kept.decoded.session.data.get('step')], [1n, 2n], "Django's write stays");
      await django.close();
      await stores.dispose();
    });

    it('refuses text that is not one JSON object below the comment lines, naming the line, and writes nothing', async () => {
      const { root, stores, session, document, key } = await opened();
      const django = await djangoSide(root);
      const raw = (await django.get(key))!.raw;
      const header = document.text!.split('\n').filter((line) => line.startsWith('//')).length;
      const refusals: Array<[string, RegExp]> = [
        ['{\n  "a": 1,\n}', new RegExp(`^Line ${header + 3}, column 1: .*Nothing was written`)],
        ['{"a": 1}\n// a comment after the data', new RegExp(`^Line ${header + 2}, column 1: Extra data\\. `)],
        ['{"a": 1', /^Line \d+, column \d+: /],
        ['[1, 2]', /must be a JSON object/],
        ['', /holds no session data/],
        ['{"_session_expiry": "abc"}', /_session_expiry is text, which only Django 4\.1\+ reads as a date.*nothing was written/],
        ['{"_session_expiry": [1]}', /_session_expiry must be seconds/],
        ['{"_session_expiry": 99999999999999999999}', /_session_expiry puts the expiry beyond the dates Python can hold/],
      ];
      for (const [body, message] of refusals) {
        await assert.rejects(stores.saveSessionDocument({ ...session, text: withBody(document.text!, body) }, SETTINGS), (err: Error & { code?: string }) => {
          assert.equal(err.code, 'bad-input', body);
          assert.match(err.message, message);
          return true;
        });
      }
      assert.equal((await django.get(key))!.raw, raw);
      await django.close();
      await stores.dispose();
    });

    it("marks, as the text is edited, what its save would refuse, in the save's words without its write, and where; nothing for text it takes", async () => {
      const { stores, session, document } = await opened();
      const header = document.text!.split('\n').filter((line) => line.startsWith('//')).length;
      const bodies = ['{\n  "a": 1,\n}', '{"a": 1', '[1, 2]', '', '{\n  "n": 1,\n  "_session_expiry": "abc"\n}'];
      for (const body of bodies) {
        const text = withBody(document.text!, body);
        const refusal = await stores.saveSessionDocument({ ...session, text }, SETTINGS).then(
          () => assert.fail(`saved ${body}`),
          (err: Error) => err.message,
        );
        const { mistake } = await stores.checkSessionDocument({ storeId: session.storeId, text }, SETTINGS);
        // The save's message, without its place (the mark is there) and its word that nothing was written.
        const unwritten = refusal
          .replace(/^Line \d+, column \d+: /, '')
          .replace(/\. Nothing was written: (.)/, (_, first: string) => `. ${first.toUpperCase()}`)
          .replace('; nothing was written.', '.');
        assert.equal(mistake?.message, unwritten, body);
      }
      const check = async (body: string) => (await stores.checkSessionDocument({ storeId: session.storeId, text: withBody(document.text!, body) }, SETTINGS)).mistake?.range;
      assert.deepEqual(await check('{\n  "a": 1,\n}'), { start: { line: header + 2, character: 0 }, end: { line: header + 2, character: 1 } }, 'the brace where a value was expected');
      assert.deepEqual(await check('{\n  "n": 1,\n  "_session_expiry": "abc"\n}'), { start: { line: header + 2, character: 2 }, end: { line: header + 2, character: 26 } }, 'the expiry entry');
      assert.deepEqual(await check(''), { start: { line: header + 1, character: 0 }, end: { line: header + 1, character: 0 } }, 'the last line, after the blank one');
      const withoutVersion = document.text!.replace(/^\/\/ version .*\n/m, '');
      assert.match((await stores.checkSessionDocument({ storeId: session.storeId, text: withoutVersion }, SETTINGS)).mistake!.message, /^The "\/\/ version" line at the top is gone, .*\. Revert the file/);
      assert.deepEqual(await stores.checkSessionDocument({ storeId: session.storeId, text: document.text! }, SETTINGS), {});
      assert.deepEqual(await stores.checkSessionDocument({ storeId: session.storeId, text: withBody(document.text!, '{"_session_expiry": 3600, "cart": [1, 2.0]}') }, SETTINGS), {});
      await stores.dispose();
    });

    it('keeps a session JSON cannot hold read-only (a set, a tuple, an OrderedDict), and refuses to save it', async () => {
      const { root, stores, session, key } = await opened("SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'\n");
      const django = await djangoSide(root);
      for (const value of [new PySet(['a', 'b']), new PyTuple([1n, 2n]), new PyOrderedDict([['z', 1n]])]) {
        const written = await django.update(key, (data) => data.set('held', value));
        const document = await stores.sessionDocument({ ...session, maskKeys: true }, SETTINGS);
        assert.equal(document.editable, false);
        assert.match(document.text!, /^\/\/ Read-only: saving would turn the values JSON cannot hold into strings, lists or plain dicts/m);
        assert.doesNotMatch(document.text!, /Edit the JSON below|^\/\/ version /m);
        // As if the text named the stored version: the server still refuses the save.
        const text = `// version ${sessionDocumentVersion(written, django.descriptor)}\n${document.text!}`;
        await assert.rejects(stores.saveSessionDocument({ ...session, text }, SETTINGS), (err: Error & { code?: string }) => {
          assert.equal(err.code, 'unsupported');
          assert.match(err.message, /Read-only: .*Nothing was written\./);
          return true;
        });
        assert.equal((await django.get(key))!.raw, written.raw);
      }
      await django.close();
      await stores.dispose();
    });

    it('keeps an expired session read-only, since a save would bring back a session Django ended', async () => {
      const { root, stores, session, key } = await opened();
      const django = await djangoSide(root);
      const expired = await django.setExpiry(key, { kind: 'now' });
      const document = await stores.sessionDocument({ ...session, maskKeys: true }, SETTINGS);
      assert.equal(document.editable, false);
      assert.match(document.text!, /^\/\/ Read-only: this session has expired, so Django never loads it again/m);
      const text = `// version ${sessionDocumentVersion(expired, django.descriptor)}\n${document.text!}`;
      await assert.rejects(stores.saveSessionDocument({ ...session, text }, SETTINGS), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'unsupported');
        assert.match(err.message, /Read-only: this session has expired.*Nothing was written\./);
        return true;
      });
      assert.equal((await django.get(key))!.raw, expired.raw);
      await django.close();
      await stores.dispose();
    });

    it('names a session by a version that never holds its key, and refuses a ref it never handed out or a text without its version', async () => {
      const { stores, session, document, key } = await opened();
      const unmasked = await stores.sessionDocument({ ...session, maskKeys: false }, SETTINGS);
      for (const version of [versionOf(document.text!), versionOf(unmasked.text!)]) {
        assert.doesNotMatch(version, new RegExp(key));
        assert.doesNotMatch(version, new RegExp(key.slice(0, 8)));
      }
      await assert.rejects(stores.saveSessionDocument({ ...session, ref: 'never-handed-out', text: document.text! }, SETTINGS), /no longer listed, so nothing was written/);
      const withoutVersion = document.text!.replace(/^\/\/ version .*\n/m, '');
      await assert.rejects(stores.saveSessionDocument({ ...session, text: withoutVersion }, SETTINGS), /"\/\/ version" line at the top is gone.*nothing was written/);
      await stores.dispose();
    });

    it('refuses Edit Value and Remove Value, writing nothing, when Django changed or removed the value after the view showed it; takes them when it did not', async () => {
      const { root, stores, session, key } = await opened();
      const django = await djangoSide(root);
      await django.update(key, (data) => data.set('ratio', 9.5));
      await assert.rejects(stores.editSession({ ...session, edit: { kind: 'setValue', key: 'ratio', json: '1.01', expected: '1.0' } }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'conflict');
        assert.equal(err.message, 'Django changed "ratio" after the view showed it (it is now 9.5); nothing was written. Edit the value again if your change still applies.');
        return true;
      });
      await assert.rejects(stores.editSession({ ...session, edit: { kind: 'deleteValue', key: 'ratio', expected: '1.0' } }), /Django changed "ratio" after the view showed it/);
      const kept = (await django.get(key))!.decoded;
      assert.equal(kept.ok ? kept.session.data.get('ratio') : undefined, 9.5);
      await stores.editSession({ ...session, edit: { kind: 'setValue', key: 'ratio', json: '1.01', expected: '9.5' } });
      await django.update(key, (data) => data.delete('ratio'));
      await assert.rejects(stores.editSession({ ...session, edit: { kind: 'setValue', key: 'ratio', json: '2', expected: '1.01' } }), /Django removed "ratio" after the view showed it; nothing was written/);
      await stores.editSession({ ...session, edit: { kind: 'setValue', key: 'ratio', json: '2' } });
      assert.match((await stores.sessionDocument({ ...session, maskKeys: true }, SETTINGS)).text!, /"ratio": 2\n/);
      await django.close();
      await stores.dispose();
    });

    it('offers for Edit Value only values JSON holds exactly, and refuses one it would write back as another type (a tuple, a dict with int keys, an OrderedDict), writing nothing', async () => {
      const { root, stores, session, key } = await opened("SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'\n");
      const django = await djangoSide(root);
      const coords = new PyTuple([1n, 2n]);
      const votes = new PyDict([[42n, 'up']]);
      const written = await django.update(key, (data) => {
        data.set('coords', coords);
        data.set('votes', votes);
        data.set('path', [new PyTuple(['a', 1n])]);
        data.set('steps', new PyOrderedDict([['z', 1n]]));
        data.set('cart', [1n, 2n]);
      });
      const shown = (await stores.getSession({ ...session, maskKeys: true })).session!.data;
      const node = (name: string) => shown.find((value) => value.key === name)!;
      for (const name of ['coords', 'votes', 'path', 'steps']) {
        assert.equal(node(name).editable, undefined, `${name} is not offered for editing`);
        // Remove Value still refuses when Django changed it after the view showed it.
        assert.ok(node(name).json !== undefined, `${name} carries what the view showed`);
      }
      assert.equal(node('cart').editable, true);
      // The view showed coords as [1,2]; saving that text, even unchanged, would make the tuple a list.
      for (const [name, json] of [['coords', '[1,2]'], ['votes', '{"42":"up"}'], ['path', '[["a",1]]'], ['steps', '{"z":1}']] as const) {
        await assert.rejects(stores.editSession({ ...session, edit: { kind: 'setValue', key: name, json, expected: node(name).json! } }), (err: Error & { code?: string }) => {
          assert.equal(err.code, 'unsupported');
          assert.match(err.message, new RegExp(`^"${name}" holds (a tuple, which|an OrderedDict, which|a dict with parts|a list with parts) JSON cannot hold exactly: .*; nothing was written`));
          return true;
        });
      }
      assert.equal((await django.get(key))!.raw, written.raw);
      // Other values are edited as before, and the tuple stays a tuple.
      await stores.editSession({ ...session, edit: { kind: 'setValue', key: 'cart', json: '[1, 2, 3]', expected: node('cart').json! } });
      const after = (await django.get(key))!.decoded;
      assert.ok(after.ok);
      assert.deepEqual(after.session.data.get('coords'), coords);
      assert.deepEqual(after.session.data.get('cart'), [1n, 2n, 3n]);
      await django.close();
      await stores.dispose();
    });

    it('refuses Remove Value, as a conflict writing nothing, on a value JSON cannot hold (a datetime, a Decimal, a set) that Django changed after the view showed it', async () => {
      const { root, stores, session, key } = await opened("SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'\n");
      const django = await djangoSide(root);
      await django.update(key, (data) => {
        data.set('since', new PyDatetime(2030, 1, 2, 3, 4, 5));
        data.set('total', new PyDecimal('9.50'));
        data.set('tags', new PySet(['a']));
      });
      const shown = (await stores.getSession({ ...session, maskKeys: true })).session!.data;
      const node = (name: string) => shown.find((value) => value.key === name)!;
      const changed: Array<[string, PyValue]> = [
        ['since', new PyDatetime(2031, 1, 2, 3, 4, 5)],
        ['total', new PyDecimal('9.5')],
        ['tags', new PySet(['a', 'b'])],
      ];
      for (const [name, value] of changed) {
        assert.equal(node(name).editable, undefined, `${name} is not offered for editing`);
        const written = await django.update(key, (data) => data.set(name, value));
        // What the client sends: the value as the view carried it.
        const edit = { kind: 'deleteValue' as const, key: name, ...(node(name).json !== undefined ? { expected: node(name).json } : {}) };
        await assert.rejects(stores.editSession({ ...session, edit }), (err: Error & { code?: string }) => {
          assert.equal(err.code, 'conflict', name);
          assert.match(err.message, new RegExp(`^Django changed "${name}" after the view showed it \\(it is now .+\\); nothing was written\\.`));
          return true;
        });
        assert.equal((await django.get(key))!.raw, written.raw, `${name}: Django's value stays`);
      }
      // Shown as it is now, it is removed.
      const now = (await stores.getSession({ ...session, maskKeys: true })).session!.data.find((value) => value.key === 'since')!;
      await stores.editSession({ ...session, edit: { kind: 'deleteValue', key: 'since', expected: now.json! } });
      const after = (await django.get(key))!.decoded;
      assert.ok(after.ok);
      assert.equal(after.session.data.has('since'), false);
      await django.close();
      await stores.dispose();
    });

    it('refuses, through Edit Value too, a _session_expiry Django would fail on', async () => {
      const { stores, session } = await opened();
      await assert.rejects(stores.editSession({ ...session, edit: { kind: 'setValue', key: '_session_expiry', json: '"tomorrow"' } }), /_session_expiry is text.*nothing was written/);
      await stores.editSession({ ...session, edit: { kind: 'setValue', key: '_session_expiry', json: '3600' } });
      assert.match((await stores.sessionDocument({ ...session, maskKeys: true }, SETTINGS)).text!, /"_session_expiry": 3600/);
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
