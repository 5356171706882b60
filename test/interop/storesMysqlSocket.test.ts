import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isLocalStore, openStore, pythonJsonParse, storeLocation, type StoreDescriptor } from '../../engine/src';
import { discoverProjects } from '../../engine/src/project';
import { mysqlDefaultSocket } from '../../engine/src/stores/mysql/mysqlDefaults';
import { MysqlDriver } from '../../engine/src/stores/mysql/mysqlDriver';
import { tempProject } from '../unit/engine/project/tempProject';
import { cli } from './cliRun';
import { MARIADB, mysqlAdmin, requireService, runTag, skipOrFail } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'stores-mysql-socket-secret-key-0123456789-abcdefghijklmn';

/** Real Django 3.2 with `database` as DATABASES['default'], running `ops` (see python/stores_django.py). */
function django<T extends unknown[]>(database: object, ops: object[]): T {
  return runDjangoScript<T>('stores_django.py', [JSON.stringify({ engine: 'db', database, secret: SECRET, use_tz: true, time_zone: 'UTC' })], ops);
}

/** The store our engine finds statically in a project whose settings.py gives `database` (JSON is a Python dict literal here). */
async function storeFromSettings(database: object, files: Record<string, string> = {}): Promise<{ root: string; descriptor: StoreDescriptor }> {
  const root = tempProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
    'app/__init__.py': '',
    'app/settings.py': `SECRET_KEY = "${SECRET}"\nUSE_TZ = True\nTIME_ZONE = "UTC"\nDATABASES = {"default": ${JSON.stringify(database)}}\n`,
    ...files,
  });
  const [project] = await discoverProjects(root, { env: {} });
  assert.deepEqual(project!.problems, []);
  return { root, descriptor: project!.stores[0]! };
}

/** How the server sees our connection: `localhost` over a Unix socket, `address:port` over TCP; and as whom. */
async function serverSide(descriptor: StoreDescriptor): Promise<{ host: string; user: string }[]> {
  assert.ok(descriptor.database?.vendor === 'mysql');
  const driver = await MysqlDriver.open(descriptor.database, {});
  try {
    return (await driver.all('SELECT host, user FROM information_schema.processlist WHERE id = CONNECTION_ID()', [])) as { host: string; user: string }[];
  } finally {
    await driver.close();
  }
}

describe("MariaDB through its Unix socket, wherever Django's mysqlclient reaches it", function () {
  this.timeout(120_000);
  const name = runTag();
  const user = `${name}u`;
  const password = randomBytes(12).toString('hex');
  let socket: string;

  before(async function () {
    await requireService(this, MARIADB);
    requireDjango(this);
    socket = mysqlDefaultSocket({});
    if (!fs.existsSync(socket)) {
      skipOrFail(this, `the MariaDB on port 3306 has no Unix socket at ${socket}, so connections without a host cannot be tested`);
    }
    // root logs in over the socket by unix_socket authentication; this user by password, which an option file holds.
    await mysqlAdmin(async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      await c.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
      await c.query(`GRANT ALL ON ${name}.* TO '${user}'@'localhost'`);
    });
    django({ ENGINE: 'django.db.backends.mysql', NAME: name, HOST: '127.0.0.1', USER: 'root' }, [{ op: 'migrate' }]);
  });

  after(async () => {
    await mysqlAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.query(`DROP USER IF EXISTS '${user}'@'localhost'`);
    });
  });

  /** Django writes a session, our engine lists it and edits it, and Django reads the edit. */
  async function roundTrip(database: object, descriptor: StoreDescriptor, marker: string): Promise<void> {
    const [created] = django<[{ key: string }[]]>(database, [{ op: 'create', specs: [{ data: JSON.stringify({ marker }), expiry: null }] }]);
    const key = created[0]!.key;
    const store = await openStore(descriptor, { env: {} });
    try {
      const page = await store.list({ limit: 1000 });
      assert.ok(page.sessions.some((s) => s.key === key), 'the session Django wrote is listed');
      await store.update(key, (d) => void d.set('edited', pythonJsonParse(`"${marker}"`)));
    } finally {
      await store.close();
    }
    const [loaded] = django<[{ json: string }[]]>(database, [{ op: 'load', keys: [key] }]);
    assert.deepEqual(JSON.parse(loaded[0]!.json), { marker, edited: marker });
  }

  it('with HOST and USER empty: the default socket, as the user running it; the CLI edits it without --yes and shows the socket', async () => {
    const database = { ENGINE: 'django.db.backends.mysql', NAME: name, HOST: '', USER: '' };
    assert.deepEqual(django<[string]>(database, [{ op: 'host_info' }]), ['Localhost via UNIX socket']);
    const { root, descriptor } = await storeFromSettings(database);
    assert.deepEqual(descriptor.database, { vendor: 'mysql', host: '', name });
    assert.equal(storeLocation(descriptor), `mysql:///${name}?unix_socket=${socket}`);
    assert.ok(isLocalStore(descriptor), 'a socket is on this machine');
    assert.deepEqual(await serverSide(descriptor), [{ host: 'localhost', user: os.userInfo().username }]);
    await roundTrip(database, descriptor, 'empty-host');

    const [created] = django<[{ key: string }[]]>(database, [{ op: 'create', specs: [{ data: '{"cart":[1]}', expiry: null }] }]);
    const key = created[0]!.key;
    const stores = await cli(['--project', root, '--json', 'stores']);
    assert.equal(stores.code, 0, stores.err);
    assert.equal((JSON.parse(stores.out) as { stores: { location: string }[] }).stores[0]!.location, `mysql:///${name}?unix_socket=${socket}`);
    const set = await cli(['--project', root, 'set', key, 'via_cli', '"yes"']);
    assert.equal(set.code, 0, set.err);
    const [loaded] = django<[{ json: string }[]]>(database, [{ op: 'load', keys: [key] }]);
    assert.deepEqual(JSON.parse(loaded[0]!.json), { cart: [1], via_cli: 'yes' });
  });

  it('with HOST the socket path', async () => {
    const database = { ENGINE: 'django.db.backends.mysql', NAME: name, HOST: socket, USER: 'root' };
    assert.deepEqual(django<[string]>(database, [{ op: 'host_info' }]), ['Localhost via UNIX socket']);
    const { descriptor } = await storeFromSettings(database);
    assert.deepEqual(descriptor.database, { vendor: 'mysql', host: '', socket, name, user: 'root' });
    assert.equal(storeLocation(descriptor), `mysql://root@/${name}?unix_socket=${socket}`);
    assert.deepEqual(await serverSide(descriptor), [{ host: 'localhost', user: 'root' }]);
    await roundTrip(database, descriptor, 'socket-host');
  });

  it("with OPTIONS read_default_file: the option file's socket, user, database and password", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-mycnf-'));
    const cnf = path.join(dir, 'my.cnf');
    fs.writeFileSync(cnf, `[client]\nuser = root\n[client-server]\nsocket = ${socket}\n[django]\nuser = ${user}\npassword = "${password}"\ndatabase = ${name}\n`);
    const database = { ENGINE: 'django.db.backends.mysql', NAME: '', OPTIONS: { read_default_file: cnf, read_default_group: 'django' } };
    assert.deepEqual(django<[string]>(database, [{ op: 'host_info' }]), ['Localhost via UNIX socket']);
    const { descriptor } = await storeFromSettings(database);
    assert.deepEqual(descriptor.database, { vendor: 'mysql', host: '', socket, name, user, optionSource: { file: cnf, group: 'django' } });
    assert.equal(storeLocation(descriptor), `mysql://${user}@/${name}?unix_socket=${socket}`);
    assert.deepEqual(await serverSide(descriptor), [{ host: 'localhost', user }]);
    await roundTrip(database, descriptor, 'option-file');
    // The password is the option file's, read on connecting: without it the server refuses.
    fs.writeFileSync(cnf, `[django]\nuser = ${user}\ndatabase = ${name}\nsocket = ${socket}\n`);
    await assert.rejects(openStore(descriptor, { env: {} }), /Cannot connect to MySQL through the socket .* as .*: Access denied/);
  });
});
