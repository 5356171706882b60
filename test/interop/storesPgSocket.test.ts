import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { isLocalStore, openStore, parseStoreUrl, storeLocation, storeUrlDefaults } from '../../engine/src';
import { discoverProjects } from '../../engine/src/project';
import { PgDriver } from '../../engine/src/stores/postgres/pgDriver';
import { tempProject } from '../unit/engine/project/tempProject';
import { pgAdmin, POSTGRES, requireService, runTag, skipOrFail } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'stores-pg-socket-secret-key-0123456789-abcdefghijklmnop';

describe("PostgreSQL with an empty HOST is reached as Django reaches it, through libpq's Unix socket", function () {
  this.timeout(60_000);
  const name = runTag();

  before(async function () {
    await requireService(this, POSTGRES);
    requireDjango(this);
    if (!['/var/run/postgresql', '/tmp'].some((dir) => fs.existsSync(`${dir}/.s.PGSQL.5432`))) {
      skipOrFail(this, 'the PostgreSQL on port 5432 has no Unix socket in /var/run/postgresql or /tmp, so an empty HOST cannot be tested');
    }
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  });

  after(async () => {
    await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  let django: { key: string; server_addr: string | null };

  it('reads the session Django wrote over the socket, over the socket, as the user running it', async () => {
    django = runDjangoScript<{ key: string; server_addr: string | null }>('pg_socket_session.py', [], { secret_key: SECRET, name });
    assert.equal(django.server_addr, null, 'Django connected over the Unix socket');
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': `SECRET_KEY = "${SECRET}"\nUSE_TZ = True\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "${name}", "HOST": ""}}\n`,
    });
    const [project] = await discoverProjects(root, { env: {} });
    const descriptor = project!.stores[0]!;
    assert.deepEqual(descriptor.database, { vendor: 'postgresql', host: '', name });
    assert.ok(isLocalStore(descriptor), 'a socket is on this machine');
    const target = descriptor.database;
    assert.ok(target?.vendor === 'postgresql');
    const driver = await PgDriver.open(target, {});
    try {
      // As libpq: no address (a Unix socket), and the user running this, whom peer authentication would check.
      assert.deepEqual(await driver.all('SELECT inet_server_addr() AS addr, current_user AS "user"', []), [{ addr: null, user: os.userInfo().username }]);
    } finally {
      await driver.close();
    }
    // libpq ignores sslmode over a socket, so psycopg2 connects there even with verify-full.
    await (await PgDriver.open({ ...target, tls: { mode: 'verify-full' } }, {})).close();
    const store = await openStore(descriptor, { env: {} });
    try {
      const record = await store.get(django.key);
      assert.ok(record?.decoded.ok, 'the session Django wrote decodes');
      assert.deepEqual(record.decoded.session.data.get('cart'), [1n, 2n]);
    } finally {
      await store.close();
    }
  });

  it('takes postgres:///db, or the socket directory percent-encoded as the host, as libpq does: over the socket', async () => {
    const dir = ['/var/run/postgresql', '/tmp'].find((d) => fs.existsSync(`${d}/.s.PGSQL.5432`))!;
    for (const url of [`postgres:///${name}`, `postgres://${encodeURIComponent(dir)}/${name}`]) {
      const descriptor = parseStoreUrl(url, '/', { ...storeUrlDefaults(undefined), secretKeys: [SECRET], useTz: true, timeZone: 'UTC' });
      assert.equal(storeLocation(descriptor), `postgresql:///${name}?host=${dir}`, url);
      assert.ok(isLocalStore(descriptor), url);
      const target = descriptor.database;
      assert.ok(target?.vendor === 'postgresql');
      const driver = await PgDriver.open(target, {});
      try {
        assert.deepEqual(await driver.all('SELECT inet_server_addr() AS addr', []), [{ addr: null }], url);
      } finally {
        await driver.close();
      }
      const store = await openStore(descriptor, { env: {} });
      try {
        const record = await store.get(django.key);
        assert.deepEqual(record?.decoded.ok && record.decoded.session.data.get('cart'), [1n, 2n], url);
      } finally {
        await store.close();
      }
    }
  });
});
