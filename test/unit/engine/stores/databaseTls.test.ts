import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseStoreUrl, StoreError } from '../../../../engine/src';
import { discoverProjects } from '../../../../engine/src/project';
import { connectAttempts, type DatabaseTls, type TlsMode } from '../../../../engine/src/stores/sql/databaseTls';
import { storeLocation } from '../../../../engine/src/stores/storeLocation';
import { tempProject } from '../project/tempProject';

const defaults = { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };
const badUrl = (err: unknown) => err instanceof StoreError && err.code === 'bad-url';

/** The TLS of the store a project's settings describe, and the problems met reading them. */
async function settingsTls(settings: string, env: NodeJS.ProcessEnv = {}): Promise<{ tls: DatabaseTls | undefined; opened: boolean; problems: string[] }> {
  const dir = tempProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
    'conf/__init__.py': '',
    'conf/settings.py': `import os\nimport dj_database_url\nSECRET_KEY = 'x'\n${settings}\n`,
  });
  try {
    const [found] = await discoverProjects(dir, { env });
    const database = found!.stores[0]?.database;
    return {
      tls: database && database.vendor !== 'sqlite' ? database.tls : undefined,
      opened: database !== undefined,
      problems: found!.problems.map((p) => p.message.replace(dir, '<dir>')),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const pg = (options: string) => `DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'HOST': 'db.example.com', 'OPTIONS': {${options}}}}`;
const mysql = (options: string) => `DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'shop', 'HOST': 'db.example.com', 'OPTIONS': {${options}}}}`;

describe('database TLS settings', () => {
  it('connects as libpq does for each sslmode: what to try, in which order, and how much to check', () => {
    const shape = (tls: DatabaseTls & { mode: TlsMode }) => connectAttempts(tls).map((a) => (a.tls ? a.verify : 'plain'));
    assert.deepEqual(shape({ mode: 'disable' }), ['plain']);
    assert.deepEqual(shape({ mode: 'allow' }), ['plain', 'none']);
    assert.deepEqual(shape({ mode: 'prefer' }), ['none', 'plain']);
    assert.deepEqual(shape({ mode: 'require' }), ['none']);
    assert.deepEqual(shape({ mode: 'verify-ca' }), ['chain']);
    assert.deepEqual(shape({ mode: 'verify-full' }), ['identity']);
    const ca = path.join(tempProject({ 'ca.pem': 'not really a certificate\n' }), 'ca.pem');
    try {
      // libpq: require with a root certificate checks the chain, as verify-ca.
      assert.deepEqual(shape({ mode: 'require', rootCert: ca }), ['chain']);
      const [attempt] = connectAttempts({ mode: 'verify-full', rootCert: ca });
      assert.equal(attempt?.tls && attempt.ca?.toString(), 'not really a certificate\n');
    } finally {
      fs.rmSync(path.dirname(ca), { recursive: true });
    }
    assert.throws(() => connectAttempts({ mode: 'verify-full', rootCert: '/nonexistent/root.crt' }), /Cannot read the root certificate \(sslrootcert\) \/nonexistent\/root\.crt: ENOENT/);
  });

  it('reads sslmode= and certificate files from postgres and mysql URLs, relative to the base folder', () => {
    const tlsOf = (url: string) => {
      const database = parseStoreUrl(url, '/proj', defaults).database;
      return database?.vendor === 'sqlite' ? undefined : database?.tls;
    };
    assert.deepEqual(tlsOf('postgres://app@db.example.com/shop?sslmode=verify-full&sslrootcert=certs/ca.pem'), { mode: 'verify-full', rootCert: '/proj/certs/ca.pem' });
    assert.deepEqual(tlsOf('mysql://app@db.example.com/shop?sslmode=require&sslcert=/c/client.pem&sslkey=/c/client.key'), { mode: 'require', cert: '/c/client.pem', key: '/c/client.key' });
    assert.equal(tlsOf('postgres://app@db.example.com/shop'), undefined);
    assert.throws(() => parseStoreUrl('postgres://app@db/shop?sslmode=strict', '/', defaults), (err) => badUrl(err) && /sslmode=strict is not an sslmode; use disable, allow, prefer, require, verify-ca, verify-full/.test((err as Error).message));
    assert.throws(() => parseStoreUrl('postgres://app@db/shop?sslrootcert=ca.pem', '/', defaults), (err) => badUrl(err) && /need sslmode=/.test((err as Error).message));
    assert.deepEqual(tlsOf('postgres://app@db.example.com/shop?sslrootcert=system'), { rootCert: 'system' }, "libpq 16's system roots, which imply verify-full");
    assert.throws(() => parseStoreUrl('sqlite:db.sqlite3?sslmode=require', '/', defaults), (err) => badUrl(err) && /sqlite URLs take no sslmode= parameter/.test((err as Error).message));
    assert.throws(() => parseStoreUrl('redis://localhost:6379/0?sslmode=require', '/', defaults), badUrl);
  });

  it("reads psycopg's OPTIONS, resolving relative files against the project", async () => {
    const full = await settingsTls(pg("'sslmode': 'verify-full', 'sslrootcert': 'certs/ca.pem', 'sslcert': '/c/client.pem', 'sslkey': '/c/client.key'"));
    assert.match(full.tls?.rootCert ?? '', /\/certs\/ca\.pem$/);
    assert.deepEqual({ ...full.tls, rootCert: undefined }, { mode: 'verify-full', rootCert: undefined, cert: '/c/client.pem', key: '/c/client.key' });
    assert.deepEqual((await settingsTls(pg("'sslmode': 'require'"))).tls, { mode: 'require' });
    assert.deepEqual((await settingsTls(pg("'connect_timeout': 5"))).tls, undefined);
    // A root certificate alone leaves the mode to libpq's default (PGSSLMODE where the store opens, else prefer).
    assert.deepEqual((await settingsTls(pg("'sslrootcert': '/ca.pem'"))).tls, { rootCert: '/ca.pem' });
    assert.deepEqual((await settingsTls(pg("'sslrootcert': 'system'"))).tls, { rootCert: 'system' }, "libpq 16's system roots are no file");
  });

  it("reads mysqlclient's ssl dict and ssl_mode", async () => {
    assert.deepEqual((await settingsTls(mysql("'ssl': {'ca': '/ca.pem'}"))).tls, { mode: 'verify-ca', rootCert: '/ca.pem' });
    assert.deepEqual((await settingsTls(mysql("'ssl': {'cert': '/c.pem', 'key': '/c.key'}"))).tls, { mode: 'require', cert: '/c.pem', key: '/c.key' });
    assert.deepEqual((await settingsTls(mysql("'ssl_mode': 'VERIFY_IDENTITY', 'ssl': {'ca': '/ca.pem'}"))).tls, { mode: 'verify-full', rootCert: '/ca.pem' });
    assert.deepEqual((await settingsTls(mysql("'ssl_mode': 'DISABLED'"))).tls, { mode: 'disable' });
    const capath = await settingsTls(mysql("'ssl': {'capath': '/etc/ssl/certs'}"));
    assert.equal(capath.opened, false);
    assert.ok(capath.problems.some((p) => /\['ssl'\] should be a dict of ca, cert and key \(capath cannot be used here\)/.test(p)), capath.problems.join('\n'));
  });

  it('opens no store when the TLS it asks for cannot be read statically, and says why', async () => {
    const unread = await settingsTls(pg("'sslmode': os.environ['PGSSLMODE_FOR_APP']"));
    assert.equal(unread.opened, false);
    assert.ok(unread.problems.some((p) => /\['sslmode'\]: needs environment variable PGSSLMODE_FOR_APP/.test(p)), unread.problems.join('\n'));
    assert.ok(unread.problems.some((p) => /is not opened: its TLS options cannot all be read statically/.test(p)));
    assert.deepEqual((await settingsTls(pg("'sslmode': os.environ['PGSSLMODE_FOR_APP']"), { PGSSLMODE_FOR_APP: 'verify-ca' })).tls, { mode: 'verify-ca' });
    const wrong = await settingsTls(pg("'sslmode': 'strict'"));
    assert.equal(wrong.opened, false);
    assert.ok(wrong.problems.some((p) => /\['sslmode'\] should be one of disable, allow, prefer, require, verify-ca, verify-full/.test(p)));
  });

  it("reads dj-database-url's query string and ssl_require", async () => {
    assert.deepEqual((await settingsTls("DATABASES = {'default': dj_database_url.parse('postgres://app@db.example.com/shop?sslmode=verify-full&sslrootcert=/ca.pem')}")).tls, { mode: 'verify-full', rootCert: '/ca.pem' });
    assert.deepEqual((await settingsTls("DATABASES = {'default': dj_database_url.parse('postgres://app@db.example.com/shop', ssl_require=True)}")).tls, { mode: 'require' });
    assert.deepEqual((await settingsTls("DATABASES = {'default': dj_database_url.parse('mysql://app@db.example.com/shop?ssl-ca=/ca.pem')}")).tls, { mode: 'verify-ca', rootCert: '/ca.pem' });
    assert.equal((await settingsTls("DATABASES = {'default': dj_database_url.parse('postgres://app@db.example.com/shop', ssl_require=os.environ['FORCE_TLS'])}")).opened, false);
  });

  it('shows the sslmode where the store is named', () => {
    assert.equal(storeLocation(parseStoreUrl('postgres://app@db.example.com:6432/shop?sslmode=verify-full', '/', defaults)), 'postgresql://app@db.example.com:6432/shop?sslmode=verify-full');
    assert.equal(storeLocation(parseStoreUrl('mysql://app@db.example.com/shop', '/', defaults)), 'mysql://app@db.example.com/shop');
  });
});
