import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeSessionData, openStore, parseStoreUrl, PyDict, StoreError, storeUrlDefaults } from '../../../../engine/src';
import { discoverProjects } from '../../../../engine/src/project';
import { tempProject } from '../project/tempProject';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const KEY = 'plainjson00000000000000000000001';
const refused = (err: unknown) => err instanceof StoreError && err.code === 'write-refused' && /SESSION_COOKIE_AGE, which cannot be read from the settings statically \(needs environment variable SESSION_AGE\)/.test(err.message);

describe('SESSION_COOKIE_AGE the settings set but do not say statically', () => {
  let dir: string;
  before(async () => {
    dir = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
      'conf/__init__.py': '',
      'conf/settings.py': `import os\nSECRET_KEY = '${'k'.repeat(50)}'\nUSE_TZ = True\nSESSION_COOKIE_AGE = int(os.environ['SESSION_AGE'])\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n`,
    });
    fs.copyFileSync(await sqliteFromFixture('sessions.sql'), path.join(dir, 'db.sqlite3'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses writes that would take the expiry from it, and allows those that set their own', async () => {
    const [project] = await discoverProjects(dir, { env: {} });
    const descriptor = project!.stores[0]!;
    assert.match(descriptor.cookieAgeUnknown ?? '', /needs environment variable SESSION_AGE/);
    const store = await openStore(descriptor, { sqliteDriver: 'sqljs', env: TRUSTING_ENV });
    try {
      await assert.rejects(store.update(KEY, (data) => data.set('x', 1n)), refused);
      await assert.rejects(store.setExpiry(KEY, { kind: 'default' }), refused);
      const record = await store.setExpiry(KEY, { kind: 'seconds', seconds: 600 });
      assert.ok(Math.abs(record.expireDate!.getTime() - Date.now() - 600_000) < 5000);
      await store.update(KEY, (data) => data.set('x', 1n));
    } finally {
      await store.close();
    }
  });

  it('is taken from cookie_age= in a store URL, which must be whole seconds', async () => {
    const [project] = await discoverProjects(dir, { env: {} });
    const defaults = storeUrlDefaults(project!.stores[0]);
    assert.equal(parseStoreUrl('sqlite:db.sqlite3', dir, defaults).cookieAgeUnknown !== undefined, true, 'a URL alone inherits the unknown age');
    const descriptor = parseStoreUrl('sqlite:db.sqlite3?cookie_age=3600', dir, defaults);
    assert.deepEqual([descriptor.cookieAgeSeconds, descriptor.cookieAgeUnknown], [3600, undefined]);
    const store = await openStore(descriptor, { sqliteDriver: 'sqljs', env: TRUSTING_ENV });
    try {
      await store.setExpiry(KEY, { kind: 'default' });
      const record = await store.get(KEY);
      assert.ok(Math.abs(record!.expireDate!.getTime() - Date.now() - 3_600_000) < 5000, `${record!.expireDate?.toISOString()}`);
    } finally {
      await store.close();
    }
    for (const bad of ['0', '-5', '1.5', 'hour']) {
      assert.throws(() => parseStoreUrl(`sqlite:db.sqlite3?cookie_age=${bad}`, dir, defaults), (err: unknown) => err instanceof StoreError && err.code === 'bad-url' && /is not a whole number of seconds/.test(err.message));
    }
  });
});

describe('a file store whose SESSION_COOKIE_AGE is not said statically', () => {
  it('takes no session as expired by a guessed age, and will not expire one by backdating its file', async () => {
    const dir = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
      'conf/__init__.py': '',
      'conf/settings.py': `import os\nSECRET_KEY = '${'k'.repeat(50)}'\nUSE_TZ = True\nSESSION_ENGINE = 'django.contrib.sessions.backends.file'\nSESSION_FILE_PATH = 'sessions'\nSESSION_COOKIE_AGE = int(os.environ['SESSION_AGE'])\n`,
    });
    try {
      fs.mkdirSync(path.join(dir, 'sessions'));
      const file = path.join(dir, 'sessions', `sessionid${KEY}`);
      fs.writeFileSync(file, encodeSessionData(new PyDict([['cart', 1n]]), { secretKeys: ['k'.repeat(50)] }));
      // Twenty days old: past Django's default two weeks, but maybe not past the project's age.
      const twentyDaysAgo = Date.now() / 1000 - 20 * 86400;
      fs.utimesSync(file, twentyDaysAgo, twentyDaysAgo);
      const [project] = await discoverProjects(dir, { env: {} });
      const store = await openStore(project!.stores[0]!);
      try {
        const [listed] = (await store.list({ limit: 10 })).sessions;
        assert.deepEqual([listed?.key, listed?.expireDate, listed?.expired], [KEY, undefined, false]);
        assert.equal(await store.count({ state: 'expired' }), 0);
        assert.equal(await store.clearExpired(), 0);
        await assert.rejects(store.setExpiry(KEY, { kind: 'now' }), (err: unknown) => err instanceof StoreError && err.code === 'write-refused' && /backdates its file by SESSION_COOKIE_AGE/.test(err.message));
        assert.ok(fs.existsSync(file));
        assert.equal(await store.delete(KEY), true);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a file store named by a URL without cookie_age=', () => {
  it("takes no session without its own expiry as expired by Django's default age, until the URL gives the project's", async () => {
    const dir = tempProject({});
    try {
      const file = path.join(dir, `sessionid${KEY}`);
      fs.writeFileSync(file, encodeSessionData(new PyDict([['cart', 1n]]), { secretKeys: ['k'.repeat(50)] }));
      const twentyDaysAgo = Date.now() / 1000 - 20 * 86400;
      fs.utimesSync(file, twentyDaysAgo, twentyDaysAgo);
      const open = (query: string) => openStore(parseStoreUrl(`file://${dir}?use_tz=true${query}`, '/', { ...storeUrlDefaults(undefined), secretKeys: ['k'.repeat(50)] }));
      const guessed = await open('');
      try {
        assert.deepEqual([(await guessed.get(KEY))?.expired, await guessed.clearExpired()], [false, 0], 'two weeks are only assumed');
        await assert.rejects(guessed.setExpiry(KEY, { kind: 'now' }), (err: unknown) => err instanceof StoreError && /backdates its file by SESSION_COOKIE_AGE, which is not known \(no settings were read for this store URL\)/.test(err.message));
      } finally {
        await guessed.close();
      }
      const told = await open('&cookie_age=1209600');
      try {
        assert.equal((await told.get(KEY))?.expired, true);
        assert.equal(await told.clearExpired(), 1);
      } finally {
        await told.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
