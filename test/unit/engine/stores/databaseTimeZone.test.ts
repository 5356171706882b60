import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { openStore, parseStoreUrl, StoreError } from '../../../../engine/src';
import { discoverProjects } from '../../../../engine/src/project';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const defaults = { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };

/** A project whose settings say USE_TZ and DATABASES['default'], returning its store's database and the problems found. */
async function project(useTz: boolean, databaseExtra: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-dbtz-'));
  try {
    fs.writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
    fs.mkdirSync(path.join(dir, 'conf'));
    fs.writeFileSync(path.join(dir, 'conf', '__init__.py'), '');
    fs.writeFileSync(
      path.join(dir, 'conf', 'settings.py'),
      `SECRET_KEY = 'x'\nUSE_TZ = ${useTz ? 'True' : 'False'}\nTIME_ZONE = 'America/Chicago'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'${databaseExtra}}}\n`,
    );
    const [found] = await discoverProjects(dir, {});
    return { database: found!.stores[0]!.database, problems: found!.problems.map((p) => p.message) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("a database's own TIME_ZONE (DATABASES[alias]['TIME_ZONE'])", () => {
  it('is read from the settings with USE_TZ, and reported as a problem without it or when unknown', async () => {
    assert.equal((await project(true, ", 'TIME_ZONE': 'Asia/Kathmandu'")).database?.timeZone, 'Asia/Kathmandu');
    assert.equal((await project(true, ", 'TIME_ZONE': None")).database?.timeZone, undefined);
    const withoutUseTz = await project(false, ", 'TIME_ZONE': 'Asia/Kathmandu'");
    assert.equal(withoutUseTz.database?.timeZone, undefined);
    assert.ok(withoutUseTz.problems.some((p) => /TIME_ZONE.*USE_TZ is False/.test(p)));
    assert.ok((await project(true, ", 'TIME_ZONE': 'Mars/Olympus'")).problems.some((p) => /Mars\/Olympus.*not a time zone/.test(p)));
  });

  it('is given to a store URL as db_time_zone=, for databases only', () => {
    assert.deepEqual(parseStoreUrl('sqlite:db.sqlite3?db_time_zone=Europe/Paris', '/proj', defaults).database, { vendor: 'sqlite', path: '/proj/db.sqlite3', timeZone: 'Europe/Paris' });
    assert.equal(parseStoreUrl('mysql://root@localhost/shop?db_time_zone=Asia/Kathmandu&table=t', '/', defaults).database?.timeZone, 'Asia/Kathmandu');
    const badUrl = (e: unknown) => e instanceof StoreError && e.code === 'bad-url';
    assert.throws(() => parseStoreUrl('sqlite:db.sqlite3?db_time_zone=Mars/Olympus', '/', defaults), badUrl);
    assert.throws(() => parseStoreUrl('file:///tmp/s?db_time_zone=Europe/Paris', '/', defaults), badUrl);
  });

  it('places naive expire_date text in that zone when USE_TZ is on, both reading and writing', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const store = await openStore(parseStoreUrl(`sqlite://${file}?db_time_zone=Asia/Kathmandu`, '/', defaults), { sqliteDriver: 'sqljs', env: TRUSTING_ENV });
    try {
      const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
      const stored = new SQL.Database(fs.readFileSync(file)).exec("SELECT expire_date FROM django_session WHERE session_key = 'plainjson00000000000000000000001'")[0]!.values[0]![0] as string;
      const read = await store.get('plainjson00000000000000000000001');
      // Kathmandu is UTC+05:45: the stored wall-clock time is 5 h 45 min ahead of the moment.
      assert.equal(read!.expireDate!.getTime(), Date.parse(`${stored.replace(' ', 'T')}Z`) - (5 * 60 + 45) * 60_000);
      const moment = new Date(Date.UTC(2030, 0, 1, 12, 0, 0));
      await store.setExpiry('plainjson00000000000000000000001', { kind: 'at', date: moment });
      const written = new SQL.Database(fs.readFileSync(file)).exec("SELECT expire_date FROM django_session WHERE session_key = 'plainjson00000000000000000000001'")[0]!.values[0]![0];
      assert.equal(written, '2030-01-01 17:45:00');
    } finally {
      await store.close();
    }
  });
});
