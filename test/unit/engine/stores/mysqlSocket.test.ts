import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isLocalStore, parseStoreUrl, storeLocation } from '../../../../engine/src';
import { mysqlDefaultSocket, mysqlEndpoint, mysqlUser } from '../../../../engine/src/stores/mysql/mysqlDefaults';
import { readMysqlOptionFiles } from '../../../../engine/src/stores/mysql/mysqlOptionFile';
import { projectWithSettings } from '../project/settingsProject';
import { tempProject } from '../project/tempProject';

const defaults = { secretKeys: ['s'], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };
const SOCKET = '/var/lib/mysql/custom.sock';

/** The database of a project whose settings.py holds `databases`, with `files` beside it. */
async function databaseOf(databases: string, files: Record<string, string> = {}) {
  const project = await projectWithSettings(`import os\nimport dj_database_url\nimport environ\nenv = environ.Env()\nSECRET_KEY = "k"\nDATABASES = ${databases}\n`, files, { DATABASE_URL: 'mysql://app@%2Fsrv%2Fmysql.sock/shop' });
  return { database: project.stores[0]?.database, problems: project.problems.map((p) => p.message) };
}

describe('MySQL connects where libmariadb connects for Django', () => {
  it('takes the Unix socket for no host or exactly localhost, whatever the port, and TCP otherwise', () => {
    const env = { MYSQL_UNIX_PORT: '/env/mysqld.sock', MYSQL_TCP_PORT: '3310' };
    assert.deepEqual(mysqlEndpoint({ host: '' }, env), { socket: '/env/mysqld.sock' });
    assert.deepEqual(mysqlEndpoint({ host: 'localhost', port: 3399 }, env), { socket: '/env/mysqld.sock' });
    assert.deepEqual(mysqlEndpoint({ host: 'localhost', socket: SOCKET }, env), { socket: SOCKET });
    assert.deepEqual(mysqlEndpoint({ host: '127.0.0.1', socket: SOCKET }, env), { host: '127.0.0.1', port: 3310 });
    assert.deepEqual(mysqlEndpoint({ host: 'LOCALHOST' }, {}), { host: 'LOCALHOST', port: 3306 });
    assert.deepEqual(mysqlEndpoint({ host: '', protocol: 'tcp', socket: SOCKET }, {}), { host: 'localhost', port: 3306 });
    assert.deepEqual(mysqlEndpoint({ host: 'db.internal', port: 3307 }, env), { host: 'db.internal', port: 3307 });
    assert.ok(['/run/mysqld/mysqld.sock', '/var/run/mysqld/mysqld.sock', '/tmp/mysql.sock'].includes(mysqlDefaultSocket({})));
    assert.deepEqual([mysqlUser(undefined), mysqlUser('app')], [os.userInfo().username, 'app']);
  });

  it('reads option files as libmariadb does: its groups in file order, quotes, escapes, includes', () => {
    const dir = tempProject({
      'included.cnf': '[client]\nport = 3311\n',
      'conf.d/b.cnf': '[client]\nuser = from_b\n',
      'conf.d/a.cnf': '[client]\nuser = from_a\n',
      'conf.d/ignored.txt': '[client]\nuser = ignored\n',
    });
    fs.writeFileSync(
      path.join(dir, 'my.cnf'),
      [
        '# a comment',
        '[mysqld]',
        'socket = /server/only.sock',
        '[client]',
        'user = first',
        'password = "p\\sw\\\\d\\q"',
        "database = 'shop'   # not a comment",
        '[other]',
        'host = other.example',
        '[client-server]',
        `socket = ${SOCKET}`,
        '[client-mariadb]',
        'port = 3312x',
        '[mysql]',
        'database = cli_only',
        `!includedir ${path.join(dir, 'conf.d')}`,
      ].join('\n'),
    );
    const read = (group?: string) => readMysqlOptionFiles({ file: path.join(dir, 'my.cnf'), ...(group ? { group } : {}) }, {});
    const client = { user: 'from_b', password: 'p w\\d\\q', database: "shop'   # not a comment", socket: SOCKET, port: 3312 };
    assert.deepEqual(read(), client);
    assert.deepEqual(read('other'), { ...client, host: 'other.example' });
    fs.writeFileSync(path.join(dir, 'top.cnf'), `host = before.any.group\n[client]\nuser = never\n`);
    assert.deepEqual(readMysqlOptionFiles({ file: path.join(dir, 'top.cnf') }, {}), {});
    fs.writeFileSync(path.join(dir, 'ssl.cnf'), `[client]\n!include ${path.join(dir, 'included.cnf')}\nssl-ca = /ca.pem\nssl-verify-server-cert\nprotocol = 1\n`);
    assert.deepEqual(readMysqlOptionFiles({ file: path.join(dir, 'ssl.cnf') }, {}), { port: 3311, tls: 'ssl-ca', protocol: 'tcp' });
    fs.writeFileSync(path.join(dir, 'named.cnf'), '[client]\nprotocol = tcp\n');
    assert.deepEqual(readMysqlOptionFiles({ file: path.join(dir, 'named.cnf') }, {}), {}, 'libmariadb reads the protocol as a number: tcp is 0, the default');
    assert.deepEqual(readMysqlOptionFiles({ file: path.join(dir, 'missing.cnf') }, {}), {});
    fs.writeFileSync(path.join(dir, '.my.cnf'), '[client]\nuser = home\n[app]\ndatabase = home_db\n');
    // Without a file, the machine's own (/etc/my.cnf, /etc/mysql/my.cnf) come first, then ~/.my.cnf.
    const machine = readMysqlOptionFiles({ group: 'app' }, {});
    assert.deepEqual(readMysqlOptionFiles({ group: 'app' }, { HOME: dir, MYSQL_HOME: path.join(dir, 'none') }), { ...machine, user: 'home', database: 'home_db' });
  });

  it("reads settings as Django's mysql backend passes them to mysqlclient", async () => {
    const db = (fields: string) => `{"default": {"ENGINE": "django.db.backends.mysql", "NAME": "shop", ${fields}}}`;
    assert.deepEqual((await databaseOf(db('"HOST": "", "USER": ""'))).database, { vendor: 'mysql', host: '', name: 'shop' });
    assert.deepEqual((await databaseOf(db(`"HOST": "${SOCKET}", "PORT": "3307"`))).database, { vendor: 'mysql', host: '', socket: SOCKET, port: 3307, name: 'shop' });
    assert.deepEqual((await databaseOf(db('"HOST": "localhost", "USER": "app"'))).database, { vendor: 'mysql', host: 'localhost', name: 'shop', user: 'app' });
    assert.deepEqual((await databaseOf(db(`"HOST": "127.0.0.1", "OPTIONS": {"unix_socket": "${SOCKET}", "user": "opt", "port": 3308}`))).database, {
      vendor: 'mysql',
      host: '127.0.0.1',
      socket: SOCKET,
      port: 3308,
      name: 'shop',
      user: 'opt',
    });
    assert.deepEqual((await databaseOf('{"default": dj_database_url.parse("mysql://app@/shop?unix_socket=/srv/m.sock")}')).database, { vendor: 'mysql', host: '', socket: '/srv/m.sock', name: 'shop', user: 'app' });
    assert.deepEqual((await databaseOf('{"default": env.db()}')).database, { vendor: 'mysql', host: '', socket: '/srv/mysql.sock', name: 'shop', user: 'app', passwordRef: 'DATABASE_URL' });
  });

  it('fills what settings leave out from the option file read_default_file names, relative to the project', async () => {
    const files = { 'conf/my.cnf': `[client]\nuser = filed\ndatabase = filed_db\nport = 3309\nsocket = ${SOCKET}\npassword = secret\n[site]\nhost = db.internal\n` };
    const entry = (options: string, fields = '"NAME": ""') => `{"default": {"ENGINE": "django.db.backends.mysql", ${fields}, "OPTIONS": {${options}}}}`;
    const { database } = await databaseOf(entry('"read_default_file": "conf/my.cnf"'), files);
    assert.ok(database?.vendor === 'mysql');
    assert.deepEqual({ ...database, optionSource: undefined }, { vendor: 'mysql', host: '', socket: SOCKET, port: 3309, name: 'filed_db', user: 'filed', optionSource: undefined });
    assert.match(database.optionSource?.file ?? '', /^\/.*\/conf\/my\.cnf$/);
    assert.equal('password' in database, false, 'the password is read on connecting, never kept');
    const site = await databaseOf(entry('"read_default_file": "conf/my.cnf", "read_default_group": "site"', '"NAME": "shop", "USER": "app"'), files);
    assert.ok(site.database?.vendor === 'mysql');
    assert.deepEqual([site.database.host, site.database.port, site.database.user, site.database.name], ['db.internal', 3309, 'app', 'shop']);
  });

  it('opens no store when an option deciding the connection cannot be read, or the option file asks for TLS over TCP', async () => {
    const unread = await databaseOf('{"default": {"ENGINE": "django.db.backends.mysql", "NAME": "shop", "OPTIONS": {"unix_socket": os.environ["SOCK"]}}}');
    assert.equal(unread.database, undefined);
    assert.ok(unread.problems.some((p) => p.startsWith("DATABASES['default']['OPTIONS']['unix_socket'] cannot be read statically")), unread.problems.join('\n'));
    const files = { 'tls.cnf': '[client]\nssl-ca = /ca.pem\n' };
    const tcp = await databaseOf('{"default": {"ENGINE": "django.db.backends.mysql", "NAME": "shop", "HOST": "db.internal", "OPTIONS": {"read_default_file": "tls.cnf"}}}', files);
    assert.equal(tcp.database, undefined);
    assert.ok(tcp.problems.some((p) => p.includes('its option file sets ssl-ca')), tcp.problems.join('\n'));
    const socket = await databaseOf('{"default": {"ENGINE": "django.db.backends.mysql", "NAME": "shop", "OPTIONS": {"read_default_file": "tls.cnf"}}}', files);
    assert.equal(socket.database?.vendor, 'mysql');
  });

  it('takes store URLs for sockets as dj-database-url writes them, shows the socket, and counts it as local', () => {
    const saved = process.env.MYSQL_UNIX_PORT;
    process.env.MYSQL_UNIX_PORT = '/env/mysqld.sock';
    try {
      const cases: [string, object, string][] = [
        [`mysql://app@/shop?unix_socket=${SOCKET}`, { vendor: 'mysql', host: '', socket: SOCKET, name: 'shop', user: 'app' }, `mysql://app@/shop?unix_socket=${SOCKET}`],
        ['mysql://app@%2Fsrv%2Fmysql.sock/shop', { vendor: 'mysql', host: '', socket: '/srv/mysql.sock', name: 'shop', user: 'app' }, 'mysql://app@/shop?unix_socket=/srv/mysql.sock'],
        ['mysql://app@localhost:3307/shop', { vendor: 'mysql', host: 'localhost', port: 3307, name: 'shop', user: 'app' }, 'mysql://app@/shop?unix_socket=/env/mysqld.sock'],
        ['mysql:///shop', { vendor: 'mysql', host: '', name: 'shop' }, 'mysql:///shop?unix_socket=/env/mysqld.sock'],
        ['postgres://%2Fvar%2Frun%2Fpostgresql/shop', { vendor: 'postgresql', host: '/var/run/postgresql', name: 'shop' }, 'postgresql:///shop?host=/var/run/postgresql'],
        ['postgres://app@/shop?host=/tmp', { vendor: 'postgresql', host: '/tmp', name: 'shop', user: 'app' }, 'postgresql://app@/shop?host=/tmp'],
      ];
      for (const [url, database, location] of cases) {
        const d = parseStoreUrl(url, '/', defaults);
        assert.deepEqual(JSON.parse(JSON.stringify(d.database)), database, url);
        assert.equal(storeLocation(d), location, url);
        assert.equal(isLocalStore(d), true, url);
      }
      const local = parseStoreUrl('mysql://app@localhost/shop?protocol=tcp', '/', defaults);
      assert.deepEqual([storeLocation(local), isLocalStore(local)], ['mysql://app@localhost/shop?protocol=tcp', true]);
      assert.throws(() => parseStoreUrl('postgres://app@/shop?protocol=tcp', '/', defaults), /protocol=tcp is not taken; mysql URLs take protocol=tcp/);
      const tcp = parseStoreUrl('mysql://app@db.internal/shop?unix_socket=/srv/mysql.sock&sslmode=require', '/', defaults);
      assert.deepEqual([storeLocation(tcp), isLocalStore(tcp)], ['mysql://app@db.internal/shop?sslmode=require', false]);
      assert.throws(() => parseStoreUrl('mysql://app@/shop?host=/tmp', '/', defaults), /host= names the socket of postgres URLs; mysql URLs take unix_socket=/);
      assert.throws(() => parseStoreUrl('postgres://app@/shop?unix_socket=/tmp/x', '/', defaults), /unix_socket= names the socket of mysql URLs; postgres URLs take host=/);
    } finally {
      if (saved === undefined) {
        delete process.env.MYSQL_UNIX_PORT;
      } else {
        process.env.MYSQL_UNIX_PORT = saved;
      }
    }
  });
});
