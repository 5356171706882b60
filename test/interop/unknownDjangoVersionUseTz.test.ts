import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './cliRun';
import { requireDjango, requireDjango52, runDjangoScript } from './realDjango';

const SECRET = 'unknown-version-use-tz-secret-key-0123456789abcdef';

/**
 * Settings that leave USE_TZ to Django's default, which Django 5.0 turned from False to True: as
 * long as the project's Django version is not known, nothing that depends on it is changed.
 * Here Django 5.2 (installed by `Django>=4.2`) keeps an SQLite session for another hour, which
 * read as USE_TZ = False in Tokyo time would have expired 9 hours ago.
 */
describe('interop: a project that leaves USE_TZ to a default its Django version does not tell', function () {
  this.timeout(180_000);
  let dir52: string | undefined;
  let root: string;
  let config: object;
  let key: string;

  before(function () {
    requireDjango(this);
    dir52 = requireDjango52(this);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-unknown-version-'));
    const db = path.join(root, 'db.sqlite3');
    fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n');
    fs.mkdirSync(path.join(root, 'proj'));
    fs.writeFileSync(path.join(root, 'proj', '__init__.py'), '');
    fs.writeFileSync(
      path.join(root, 'proj', 'settings.py'),
      `SECRET_KEY = '${SECRET}'\nTIME_ZONE = 'Asia/Tokyo'\nINSTALLED_APPS = ['django.contrib.sessions']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': '${db}'}}\n`,
    );
    fs.writeFileSync(path.join(root, 'requirements.txt'), 'Django>=4.2\n');
    config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: db }, secret: SECRET, use_tz: null, time_zone: 'Asia/Tokyo' };
    const [, created] = runDjangoScript<[null, Array<{ key: string }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'migrate' }, { op: 'create', specs: [{ data: '{"cart":1}', expiry: 3600 }] }], dir52);
    key = created[0]!.key;
  });
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));

  const loads = (): boolean => runDjangoScript<[Array<{ exists: boolean }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'load', keys: [key] }], dir52)[0][0]!.exists;

  it('refuses clear-expired and an expiry change, saying why, and Django still has the session', async () => {
    const cleared = await cli(['--project', root, 'clear-expired']);
    assert.equal(cleared.code, 3, cleared.err);
    assert.match(cleared.err, /Nothing was deleted: SQLite keeps expire_date as a date without a time zone.*USE_TZ is not set, and its default is False before Django 5\.0 and True from 5\.0, which >=4\.2 in requirements\.txt both allow/);
    const listed = await cli(['--project', root, 'list']);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.err, /note: .*expiry dates assume USE_TZ = False/);
    const expired = await cli(['--project', root, 'expire', key, '--in', '7200']);
    assert.equal(expired.code, 3, expired.err);
    assert.match(expired.err, /Nothing was changed/);
    assert.equal(loads(), true, 'Django 5.2 still loads the session');
  });

  it('once the version is pinned, clears nothing Django keeps and writes an expiry Django reads', async () => {
    fs.writeFileSync(path.join(root, 'requirements.txt'), 'Django==5.2\n');
    const cleared = await cli(['--project', root, '--json', 'clear-expired']);
    assert.equal(cleared.code, 0, cleared.err);
    assert.doesNotMatch(cleared.err, /assume/);
    const expired = await cli(['--project', root, 'expire', key, '--in', '7200']);
    assert.equal(expired.code, 0, expired.err);
    const [expiry] = runDjangoScript<[Record<string, [number, unknown]>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'expiry', keys: [key] }], dir52);
    const seconds = expiry[key]![0] - Date.now() / 1000;
    assert.ok(seconds > 7100 && seconds <= 7200, `Django 5.2 reads the session as expiring in ${seconds} s`);
    assert.equal(loads(), true);
  });
});
