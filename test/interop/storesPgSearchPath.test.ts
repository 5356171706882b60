import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, parseStoreUrl } from '../../engine/src';
import { cli } from './cliRun';
import { pgAdmin, POSTGRES, requireService, runTag } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'stores-search-path-secret-key-0123456789-abcdefghijk';
const SEARCH_PATH = '-c search_path=appx';

interface Created {
  key: string;
}

/**
 * A PostgreSQL project whose `OPTIONS['options']` sets a search_path keeps its sessions in that
 * schema's django_session, as real Django makes and uses it. Another project's public.django_session
 * in the same database must never be read, written or cleared in its place.
 */
describe('interop: PostgreSQL search_path from OPTIONS options, URL options= and table=schema.name, PGOPTIONS', function () {
  this.timeout(120_000);
  const name = runTag();
  const database = (options?: string) => ({ ENGINE: 'django.db.backends.postgresql', NAME: name, USER: 'root', HOST: '127.0.0.1', PORT: 5432, ...(options ? { OPTIONS: { options } } : {}) });
  const config = (options?: string) => ({ engine: 'db', database: database(options), secret: SECRET, use_tz: true, time_zone: 'UTC' });
  const django = <T extends unknown[]>(options: string | undefined, ops: object[]) => runDjangoScript<T>('stores_django.py', [JSON.stringify(config(options))], ops);
  const specs = (who: string) => [
    { data: JSON.stringify({ who }), expiry: null },
    { data: JSON.stringify({ who: `${who}-old` }), expiry: -60 },
  ];
  let appx: string[];
  let publicKeys: string[];
  let dir: string;

  before(async function () {
    requireDjango(this);
    await requireService(this, POSTGRES);
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    const { Client } = await import('pg');
    const c = new Client({ host: '127.0.0.1', user: 'root', database: name });
    await c.connect();
    await c.query('CREATE SCHEMA appx');
    await c.end();
    publicKeys = django<[null, Created[]]>(undefined, [{ op: 'migrate' }, { op: 'create', specs: specs('public') }])[1].map((s) => s.key);
    appx = django<[null, Created[]]>(SEARCH_PATH, [{ op: 'migrate' }, { op: 'create', specs: specs('appx') }])[1].map((s) => s.key);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-search-path-'));
  });

  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  /** A project whose settings give DATABASES['default']['OPTIONS'] as `options` (Python source). */
  function project(options: string): string {
    const root = fs.mkdtempSync(path.join(dir, 'project-'));
    fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
    fs.mkdirSync(path.join(root, 'conf'));
    fs.writeFileSync(path.join(root, 'conf', '__init__.py'), '');
    fs.writeFileSync(
      path.join(root, 'conf', 'settings.py'),
      `import socket\nSECRET_KEY = '${SECRET}'\nUSE_TZ = True\nTIME_ZONE = 'UTC'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': '${name}', 'USER': 'root', 'HOST': '127.0.0.1', 'OPTIONS': ${options}}}\n`,
    );
    return root;
  }

  async function listed(args: string[]): Promise<string[]> {
    const result = await cli([...args, '--json', 'list']);
    assert.equal(result.code, 0, result.err);
    return (JSON.parse(result.out) as { stores: Array<{ sessions: Array<{ session_key: string }> }> }).stores[0]!.sessions.map((s) => s.session_key).sort();
  }

  it("reads, writes and clears only the schema's table when the settings set the search_path", async () => {
    const base = ['--project', project(`{'options': '${SEARCH_PATH}'}`)];
    assert.deepEqual(await listed(base), [...appx].sort());
    const set = await cli([...base, 'set', appx[0]!, 'cart', '[1]']);
    assert.equal(set.code, 0, set.err);
    const [loaded] = django<[Array<{ json: string }>]>(SEARCH_PATH, [{ op: 'load', keys: [appx[0]] }]);
    assert.deepEqual(JSON.parse(loaded[0]!.json), { who: 'appx', cart: [1] });
    const cleared = await cli([...base, 'clear-expired']);
    assert.equal(cleared.code, 0, cleared.err);
    assert.equal(cleared.out.trim(), '1 expired session deleted');
    assert.deepEqual(django<[string[]]>(SEARCH_PATH, [{ op: 'keys' }])[0], [appx[0]]);
    assert.deepEqual(django<[string[]]>(undefined, [{ op: 'keys' }])[0], [...publicKeys].sort(), "public.django_session, expired row included, is untouched");
  });

  it('finds the table through a URL with table=appx.django_session or options=, and through PGOPTIONS', async () => {
    const url = `postgres://root@127.0.0.1:5432/${name}?use_tz=true`;
    assert.deepEqual(await listed(['--store', `${url}&table=appx.django_session`]), [appx[0]]);
    assert.deepEqual(await listed(['--store', `${url}&options=${encodeURIComponent(SEARCH_PATH)}`]), [appx[0]]);
    // A search_path naming a schema without the table is named in the error: the public one may well have it.
    const empty = await cli(['--store', `${url}&options=${encodeURIComponent('-c search_path=nosuchschema')}`, 'count'], { DJANGO_SECRET_KEY: SECRET });
    assert.equal(empty.code, 3);
    assert.match(empty.err, /has no django_session table in the search_path its options set \(-c search_path=nosuchschema\)\./);
    const store = await openStore(parseStoreUrl(url, '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { env: { PGOPTIONS: SEARCH_PATH } });
    try {
      assert.deepEqual((await store.list({ limit: 10 })).sessions.map((s) => s.key), [appx[0]]);
    } finally {
      await store.close();
    }
  });

  it('opens no store when OPTIONS options cannot be read statically, and says why', async () => {
    const base = ['--project', project("{'options': '-c search_path=' + socket.gethostname()}")];
    const stores = await cli([...base, 'stores']);
    assert.match(stores.out, /OPTIONS'\]\['options'\] cannot be read statically/);
    const list = await cli([...base, 'list']);
    assert.notEqual(list.code, 0);
    assert.match(list.err, /search_path/);
  });
});
