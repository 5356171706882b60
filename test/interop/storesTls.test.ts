import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { MysqlDriver } from '../../engine/src/stores/mysql/mysqlDriver';
import { PgDriver } from '../../engine/src/stores/postgres/pgDriver';
import type { DatabaseTls } from '../../engine/src/stores/sql/databaseTls';
import { cli } from './cliRun';
import { MARIADB, MARIADB_TLS, POSTGRES, POSTGRES_TLS, requireService, runTag, TLS_DIR } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

const CA = path.join(TLS_DIR, 'ca.crt');
const OTHER_CA = path.join(TLS_DIR, 'other-ca.crt');
const CLIENT = { cert: path.join(TLS_DIR, 'client.crt'), key: path.join(TLS_DIR, 'client.key') };
const SECRET = 'stores-tls-secret-key-0123456789-abcdefghijklmnopqrstuv';

/** Whether PostgreSQL says this connection is encrypted. */
async function pgEncrypted(driver: PgDriver): Promise<boolean> {
  const rows = await driver.all('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()', []);
  return rows[0]?.ssl === true;
}

async function mysqlEncrypted(driver: MysqlDriver): Promise<boolean> {
  const rows = await driver.all("SHOW SESSION STATUS LIKE 'Ssl_version'", []);
  return typeof rows[0]?.Value === 'string' && rows[0].Value !== '';
}

/** Connects, reports whether the connection is encrypted, and closes; a refused connection rejects. */
async function pgConnect(host: string, port: number, tls: DatabaseTls | undefined, env: NodeJS.ProcessEnv = {}, database = 'postgres'): Promise<boolean> {
  const driver = await PgDriver.open({ host, port, name: database, user: 'root', ...(tls ? { tls } : {}) }, env);
  try {
    return await pgEncrypted(driver);
  } finally {
    await driver.close();
  }
}

/** Over TCP even to `localhost` (the name the test certificate holds), which would otherwise mean the Unix socket. */
async function mysqlConnect(host: string, port: number, tls: DatabaseTls | undefined, user = 'root'): Promise<boolean> {
  const driver = await MysqlDriver.open({ host, port, protocol: 'tcp', name: 'mysql', user, ...(tls ? { tls } : {}) }, {});
  try {
    return await mysqlEncrypted(driver);
  } finally {
    await driver.close();
  }
}

describe('database TLS (real PostgreSQL and MariaDB that refuse plain connections)', function () {
  describe('PostgreSQL', function () {
    before(async function () {
      await requireService(this, POSTGRES_TLS);
      await requireService(this, POSTGRES);
    });

    it('verify-full checks the chain and the host name, as libpq does', async () => {
      assert.equal(await pgConnect('localhost', 5433, { mode: 'verify-full', rootCert: CA }), true);
      // The certificate names localhost only.
      await assert.rejects(pgConnect('127.0.0.1', 5433, { mode: 'verify-full', rootCert: CA }), /Cannot connect to PostgreSQL at 127\.0\.0\.1:5433.*IP: 127\.0\.0\.1 is not in the cert's list.*sslmode=verify-full/s);
      await assert.rejects(pgConnect('localhost', 5433, { mode: 'verify-full', rootCert: OTHER_CA }), /certificate.*sslmode=verify-full/is);
      // Without a root certificate only Node's bundled CAs count, and they do not know the test CA.
      await assert.rejects(pgConnect('localhost', 5433, { mode: 'verify-full' }), /certificate/i);
    });

    it('verify-ca checks the chain only; require checks nothing unless given a root certificate', async () => {
      assert.equal(await pgConnect('127.0.0.1', 5433, { mode: 'verify-ca', rootCert: CA }), true);
      await assert.rejects(pgConnect('127.0.0.1', 5433, { mode: 'verify-ca', rootCert: OTHER_CA }), /certificate/i);
      assert.equal(await pgConnect('127.0.0.1', 5433, { mode: 'require' }), true);
      await assert.rejects(pgConnect('127.0.0.1', 5433, { mode: 'require', rootCert: OTHER_CA }), /certificate/i);
    });

    it('prefer (the default) encrypts where the server can, and falls back where it cannot', async () => {
      assert.equal(await pgConnect('127.0.0.1', 5433, undefined), true);
      assert.equal(await pgConnect('127.0.0.1', 5432, undefined), false);
      assert.equal(await pgConnect('127.0.0.1', 5433, { mode: 'allow' }), true);
      await assert.rejects(pgConnect('127.0.0.1', 5433, { mode: 'disable' }), /no encryption.*sslmode=disable/s);
      await assert.rejects(pgConnect('127.0.0.1', 5432, { mode: 'require' }), /does not support SSL/);
      // Refused over TLS for another reason (no client certificate), prefer does not go on to send the login in the clear.
      await assert.rejects(pgConnect('127.0.0.1', 5433, { mode: 'prefer' }, {}, 'djs_clientcert'), (err: Error) => /with TLS: /.test(err.message) && !/without TLS/.test(err.message));
    });

    it('takes libpq variables when the settings or URL say nothing, and refuses a bad PGSSLMODE', async () => {
      assert.equal(await pgConnect('localhost', 5433, undefined, { PGSSLMODE: 'verify-full', PGSSLROOTCERT: CA }), true);
      await assert.rejects(pgConnect('127.0.0.1', 5433, undefined, { PGSSLMODE: 'verify-full', PGSSLROOTCERT: CA }), /not in the cert's list/);
      await assert.rejects(pgConnect('127.0.0.1', 5433, undefined, { PGSSLMODE: 'strict' }), /PGSSLMODE "strict" is not an sslmode/);
      // An explicit sslmode wins over the environment; settings with files but no mode take PGSSLMODE, as libpq does.
      assert.equal(await pgConnect('127.0.0.1', 5432, { mode: 'prefer' }, { PGSSLMODE: 'require' }), false);
      await assert.rejects(pgConnect('127.0.0.1', 5433, { rootCert: CA }, { PGSSLMODE: 'verify-full' }), /not in the cert's list.*sslmode=verify-full/s);
      assert.equal(await pgConnect('localhost', 5433, { rootCert: CA }, { PGSSLMODE: 'verify-full' }), true);
      // libpq 16's sslrootcert=system: the bundled CAs, which do not know the test CA, and nothing weaker than verify-full.
      await assert.rejects(pgConnect('localhost', 5433, { rootCert: 'system' }), /certificate.*sslmode=verify-full/is);
      await assert.rejects(pgConnect('localhost', 5433, { mode: 'require', rootCert: 'system' }), /sslrootcert=system needs sslmode=verify-full/);
    });

    it('says what to check by what went wrong last, the password only when the server refused it', async () => {
      // The server has no TLS, which prefer allows for: what the connection without it met is all there is to say.
      await assert.rejects(pgConnect('127.0.0.1', 5432, undefined, {}, 'djs_no_such_database'), /: database "djs_no_such_database" does not exist\. Check the URL's user and database name\.$/);
      await assert.rejects(pgConnect('127.0.0.1', 5999, undefined), /nothing answers at 127\.0\.0\.1:5999 \(the connection was refused.*Check that the server runs and the URL's host and port are right\.$/);
      await assert.rejects(pgConnect('localhost', 5433, { mode: 'verify-full', rootCert: OTHER_CA }), /Check the TLS settings \(sslmode, sslrootcert\)/);
      // Something else on the port, which hangs up: node-postgres calls that an SSL failure.
      const hangUp = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve));
      const port = (hangUp.address() as AddressInfo).port;
      try {
        await assert.rejects(pgConnect('127.0.0.1', port, undefined), /took the connection but closed it without answering as PostgreSQL does.*Check that the server runs and the URL's host and port are right\.$/);
      } finally {
        hangUp.close();
      }
    });

    it('sends a client certificate to a server that requires one, and names an unreadable file', async () => {
      const tls: DatabaseTls = { mode: 'verify-full', rootCert: CA };
      await assert.rejects(pgConnect('localhost', 5433, tls, {}, 'djs_clientcert'), /certificate/i);
      assert.equal(await pgConnect('localhost', 5433, { ...tls, ...CLIENT }, {}, 'djs_clientcert'), true);
      await assert.rejects(pgConnect('localhost', 5433, { mode: 'verify-full', rootCert: '/nonexistent/ca.pem' }), /Cannot read the root certificate \(sslrootcert\) \/nonexistent\/ca\.pem: ENOENT/);
    });
  });

  describe('MariaDB', function () {
    before(async function () {
      await requireService(this, MARIADB_TLS);
      await requireService(this, MARIADB);
    });

    it('verify-full checks the chain and the host name; verify-ca the chain only', async () => {
      assert.equal(await mysqlConnect('localhost', 3307, { mode: 'verify-full', rootCert: CA }), true);
      // mysql2 checks an IP address's certificate names only after logging in: verify-full refuses one before connecting.
      await assert.rejects(mysqlConnect('127.0.0.1', 3307, { mode: 'verify-full', rootCert: CA }), /sslmode=verify-full cannot check a MySQL server's certificate against the address 127\.0\.0\.1 before logging in/);
      assert.equal(await mysqlConnect('127.0.0.1', 3307, { mode: 'verify-ca', rootCert: CA }), true);
      await assert.rejects(mysqlConnect('localhost', 3307, { mode: 'verify-ca', rootCert: OTHER_CA }), /certificate/i);
      assert.equal(await mysqlConnect('127.0.0.1', 3307, { mode: 'require' }), true);
    });

    it('prefer (the default) encrypts where the server can, and falls back where it cannot', async () => {
      assert.equal(await mysqlConnect('127.0.0.1', 3307, undefined), true);
      assert.equal(await mysqlConnect('127.0.0.1', 3306, undefined), false);
      await assert.rejects(mysqlConnect('127.0.0.1', 3307, { mode: 'disable' }), /insecure transport|Access denied/i);
      await assert.rejects(mysqlConnect('127.0.0.1', 3306, { mode: 'require' }), /does not support secure connection/);
      await assert.rejects(mysqlConnect('127.0.0.1', 3307, { mode: 'prefer' }, 'certuser'), (err: Error) => /with TLS: Access denied/.test(err.message) && !/without TLS/.test(err.message));
      // A refused user on a server without TLS: the refusal and where its password comes from, not the TLS prefer tried first.
      await assert.rejects(mysqlConnect('127.0.0.1', 3306, undefined, 'djs_no_such_user4'), /Cannot connect to MySQL at 127\.0\.0\.1:3306\/mysql as djs_no_such_user4: Access denied for user 'djs_no_such_user4'@'[^']+' \(using password: NO\)\. Check the user and \$MYSQL_PWD \(in VS Code: Set Store Password…\)\.$/);
    });

    it('sends a client certificate to a user that requires one', async () => {
      await assert.rejects(mysqlConnect('localhost', 3307, { mode: 'verify-full', rootCert: CA }, 'certuser'), /Access denied/);
      assert.equal(await mysqlConnect('localhost', 3307, { mode: 'verify-full', rootCert: CA, ...CLIENT }, 'certuser'), true);
    });
  });

  /** Django connects with its OPTIONS, and the CLI finds the same TLS in the settings file without running it. */
  describe('with real Django and TLS options read from settings', function () {
    let project: string;

    before(async function () {
      requireDjango(this);
      await requireService(this, POSTGRES_TLS);
      await requireService(this, MARIADB_TLS);
      project = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-tls-'));
    });
    after(() => fs.rmSync(project, { recursive: true, force: true }));

    /**
     * Writes a project whose settings hold `databaseSource(CA)`, lets Django create a session in
     * it, and checks the CLI reads and flushes it; then, with the unrelated CA in the same
     * settings, that the CLI refuses the server, which shows the settings' TLS options are used.
     */
    async function roundTrip(name: string, database: object, databaseSource: (ca: string) => string): Promise<void> {
      const dir = path.join(project, name);
      fs.mkdirSync(path.join(dir, 'conf'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
      fs.writeFileSync(path.join(dir, 'conf', '__init__.py'), '');
      const settings = (ca: string) => `SECRET_KEY = '${SECRET}'\nUSE_TZ = True\nTIME_ZONE = 'UTC'\nDATABASES = {'default': ${databaseSource(ca)}}\n`;
      fs.writeFileSync(path.join(dir, 'conf', 'settings.py'), settings(CA));
      const config = { engine: 'db', secret: SECRET, use_tz: true, time_zone: 'UTC', database };
      const [, created] = runDjangoScript<[null, Array<{ key: string }>]>('stores_django.py', [JSON.stringify(config)], [
        { op: 'migrate' },
        { op: 'create', specs: [{ data: '{"over":"tls"}', expiry: null }] },
      ]);
      const key = created[0]!.key;
      const shown = await cli(['--project', dir, '--json', 'show', key]);
      assert.equal(shown.code, 0, shown.err);
      assert.deepEqual((JSON.parse(shown.out) as { data: unknown }).data, { over: 'tls' });
      const flushed = await cli(['--project', dir, 'flush', key]);
      assert.equal(flushed.code, 0, flushed.err);
      const [loaded] = runDjangoScript<[Array<{ exists: boolean }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'load', keys: [key] }]);
      assert.equal(loaded[0]!.exists, false);
      fs.writeFileSync(path.join(dir, 'conf', 'settings.py'), settings(OTHER_CA));
      const refused = await cli(['--project', dir, 'count']);
      assert.notEqual(refused.code, 0);
      assert.match(refused.err, /certificate/i);
    }

    it('PostgreSQL with sslmode=verify-full and sslrootcert', async () => {
      const db = runTag();
      const admin = new Client({ host: '127.0.0.1', port: 5433, user: 'root', database: 'postgres', ssl: { rejectUnauthorized: false } });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${db}`);
      try {
        const options = { sslmode: 'verify-full', sslrootcert: CA };
        await roundTrip(
          'pg',
          { ENGINE: 'django.db.backends.postgresql', NAME: db, USER: 'root', HOST: 'localhost', PORT: '5433', OPTIONS: options },
          (ca) => `{'ENGINE': 'django.db.backends.postgresql', 'NAME': '${db}', 'USER': 'root', 'HOST': 'localhost', 'PORT': '5433', 'OPTIONS': {'sslmode': 'verify-full', 'sslrootcert': '${ca}'}}`,
        );
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        await admin.end();
      }
    });

    it("MariaDB with mysqlclient's ssl dict", async () => {
      const db = runTag();
      const admin = await createConnection({ host: '127.0.0.1', port: 3307, user: 'root', password: '', ssl: { rejectUnauthorized: false } });
      await admin.query(`CREATE DATABASE ${db}`);
      try {
        await roundTrip(
          'mysql',
          { ENGINE: 'django.db.backends.mysql', NAME: db, USER: 'root', HOST: '127.0.0.1', PORT: '3307', OPTIONS: { ssl: { ca: CA } } },
          (ca) => `{'ENGINE': 'django.db.backends.mysql', 'NAME': '${db}', 'USER': 'root', 'HOST': '127.0.0.1', 'PORT': '3307', 'OPTIONS': {'ssl': {'ca': '${ca}'}}}`,
        );
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${db}`);
        await admin.end();
      }
    });
  });
});
