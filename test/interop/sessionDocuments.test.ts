import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TRUST_UNSEEN_VARIABLE } from '../../engine/src/stores/sqlite/openByOthers';
import { ProjectModel } from '../../server/src/projectModel';
import { StoreRegistry } from '../../server/src/storeRegistry';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'session-documents-interop-key-0123456789-abcdefghij';
const SETTINGS = { storeUrl: '', settingsModules: {} };

interface Loaded {
  key: string;
  exists: boolean;
  json: string | null;
}

/**
 * What the editor's session documents write, read back by real Django 3.2 from the same SQLite
 * file: the document is the server's, edited as a user would and saved through the same request.
 */
describe('session documents against real Django', function () {
  let root: string;
  let config: object;
  let registry: StoreRegistry;
  let trust: string | undefined;
  const django = <T extends unknown[]>(ops: object[]) => runDjangoScript<T>('stores_django.py', [JSON.stringify(config)], ops);

  before(function () {
    requireDjango(this);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-documents-'));
    fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
    fs.mkdirSync(path.join(root, 'site'));
    fs.writeFileSync(
      path.join(root, 'site', 'settings.py'),
      `SECRET_KEY = "${SECRET}"\nUSE_TZ = True\nTIME_ZONE = "UTC"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n`,
    );
    config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: path.join(root, 'db.sqlite3') }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
    // The files are this test's own (see test/unit/engine/stores/sqlJsTrust.ts): the sql.js write guard may trust that.
    trust = process.env[TRUST_UNSEEN_VARIABLE];
    process.env[TRUST_UNSEEN_VARIABLE] = '1';
    registry = new StoreRegistry(new ProjectModel(() => [root], () => SETTINGS), () => [root], () => undefined);
  });

  after(async () => {
    await registry?.dispose();
    if (trust === undefined) {
      delete process.env[TRUST_UNSEEN_VARIABLE];
    } else {
      process.env[TRUST_UNSEEN_VARIABLE] = trust;
    }
    if (root) {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  /** A session Django creates, opened as a document: its store, ref, key and text. */
  async function opened(data: string) {
    const [, [created]] = django<[null, Array<{ key: string }>]>([{ op: 'migrate' }, { op: 'create', specs: [{ data, expiry: null }] }]);
    const [store] = await registry.listStores(SETTINGS, true);
    const row = (await registry.listSessions({ storeId: store!.id, limit: 100, maskKeys: true })).sessions.find((s) => s.displayKey.startsWith(created!.key.slice(0, 4)));
    assert.ok(row, 'the session Django created is listed');
    const session = { storeId: store!.id, ref: row.ref };
    const { text } = await registry.sessionDocument({ ...session, maskKeys: true }, SETTINGS);
    assert.ok(text !== undefined && text.includes('// version '), 'an editable document');
    return { session, key: created!.key, text };
  }

  const withBody = (text: string, body: string) => `${text.split('\n').filter((line) => line.startsWith('//')).join('\n')}\n${body}\n`;

  it('saves an edited document that Django then loads as written: big ints, 1.0 and non-ASCII text kept', async () => {
    const { session, key, text } = await opened('{"cart": [1, 2.5, "Zo\\u00eb"], "n": 1}');
    const edited = '{\n  "cart": [1, 2.5, "Zo\\u00eb", "a\\u00f1adido"],\n  "big": 12345678901234567890123,\n  "ratio": 1.0,\n  "n": 2\n}';
    await registry.saveSessionDocument({ ...session, text: withBody(text, edited) }, SETTINGS);
    const [loaded] = django<[Loaded[]]>([{ op: 'load', keys: [key] }]);
    assert.deepEqual(loaded, [{ key, exists: true, json: '{"cart":[1,2.5,"Zo\\u00eb","a\\u00f1adido"],"big":12345678901234567890123,"ratio":1.0,"n":2}' }]);
  });

  it("refuses to save over a change Django made after the document was read, and Django's change stays", async () => {
    const { session, key, text } = await opened('{"n": 1}');
    const [saved] = django<[boolean]>([{ op: 'update', key, set: { n: 3 } }]);
    assert.equal(saved, true);
    await assert.rejects(registry.saveSessionDocument({ ...session, text: withBody(text, '{"n": 2}') }, SETTINGS), /Django changed this session after the document was read, so nothing was written/);
    const [loaded] = django<[Loaded[]]>([{ op: 'load', keys: [key] }]);
    assert.equal(loaded[0]!.json, '{"n":3}');
  });
});
