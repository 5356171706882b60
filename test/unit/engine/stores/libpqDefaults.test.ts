import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { isLocalStore, type StoreDescriptor } from '../../../../engine/src';
import { libpqHost, libpqPort, libpqUser } from '../../../../engine/src/stores/postgres/libpqDefaults';
import { projectWithSettings } from '../project/settingsProject';

const DB = '{"ENGINE": "django.db.backends.postgresql", "NAME": "shop"';

describe("PostgreSQL settings that leave HOST, PORT or USER to libpq's defaults", () => {
  it('keep an empty or missing HOST empty, as Django passes no host to psycopg', async () => {
    for (const databases of [`{"default": ${DB}, "HOST": ""}}`, `{"default": ${DB}}}`, '{"default": dj_database_url.parse("postgres:///shop")}']) {
      const project = await projectWithSettings(`import dj_database_url\nSECRET_KEY = "k"\nDATABASES = ${databases}\n`);
      assert.deepEqual(project.stores[0]?.database, { vendor: 'postgresql', host: '', name: 'shop' }, databases);
    }
  });

  it("fill them in as libpq does: PGHOST, else the Unix socket directory; PGPORT or 5432; PGUSER or this process's user", () => {
    assert.equal(libpqHost('db.internal', 5432, { PGHOST: 'other' }), 'db.internal');
    assert.equal(libpqHost('', 5432, { PGHOST: 'pg.internal' }), 'pg.internal');
    if (process.platform !== 'win32') {
      assert.ok(['/var/run/postgresql', '/tmp'].includes(libpqHost('', 5432, {})));
    }
    assert.deepEqual([libpqPort(undefined, { PGPORT: '6543' }), libpqPort(undefined, {}), libpqPort(5433, { PGPORT: '6543' })], [6543, 5432, 5433]);
    assert.deepEqual([libpqUser(undefined, { PGUSER: 'app' }), libpqUser(undefined, {}), libpqUser('django', { PGUSER: 'app' })], ['app', os.userInfo().username, 'django']);
  });

  it('count as local when they reach a socket, and not when PGHOST names another machine', () => {
    const descriptor = (host: string) => ({ database: { vendor: 'postgresql', host, name: 'shop' } }) as StoreDescriptor;
    const saved = process.env.PGHOST;
    try {
      delete process.env.PGHOST;
      assert.deepEqual([isLocalStore(descriptor('')), isLocalStore(descriptor('/var/run/postgresql')), isLocalStore(descriptor('db.example.com'))], [true, true, false]);
      process.env.PGHOST = 'db.example.com';
      assert.equal(isLocalStore(descriptor('')), false);
    } finally {
      if (saved === undefined) {
        delete process.env.PGHOST;
      } else {
        process.env.PGHOST = saved;
      }
    }
  });
});
