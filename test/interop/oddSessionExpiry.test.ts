import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects, openStore, PyDict, StoreError, type SessionStore } from '../../engine/src';
import { tempProject } from '../unit/engine/project/tempProject';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { requireDjango52, runInProject } from './realDjango';

/** A Django 5.2 project of `engine` sessions, its sessions in files or in SQLite. */
function project(engine: 'file' | 'db'): string {
  return tempProject(
    {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/__init__.py': '',
      'proj/settings.py': [
        'import os',
        `SECRET_KEY = "odd-expiry-${'k'.repeat(40)}"`,
        'INSTALLED_APPS = ["django.contrib.sessions"]',
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(os.path.dirname(os.path.dirname(__file__)), "db.sqlite3")}}',
        `SESSION_ENGINE = "django.contrib.sessions.backends.${engine}"`,
        'SESSION_FILE_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "sessions")',
        'USE_TZ = True',
        'LOGGING_CONFIG = None',
        '',
      ].join('\n'),
      'requirements.txt': 'Django==5.2\n',
    },
    'djs_fix1_odd_expiry_',
  );
}

/**
 * Django code that stores one session per `_session_expiry` value, as code setting it in the data
 * does, printing their keys in order, one a line. A db row gets its data by an update, since
 * Django 5.2's own save fails on some of these values.
 */
function created(values: string[]): string {
  return [
    'from importlib import import_module',
    'from django.conf import settings',
    'from django.core.management import call_command',
    'from django.contrib.sessions.models import Session',
    'call_command("migrate", verbosity=0)',
    'SessionStore = import_module(settings.SESSION_ENGINE).SessionStore',
    `for value in ${JSON.stringify(values)}:`,
    '    s = SessionStore()',
    '    s["cart"] = [1, 2]',
    '    s.create()',
    '    if settings.SESSION_ENGINE.endswith(".db"):',
    '        Session.objects.filter(session_key=s.session_key).update(session_data=s.encode({"cart": [1, 2], "_session_expiry": value}))',
    '    else:',
    '        s["_session_expiry"] = value',
    '        s.save()',
    '    print(s.session_key)',
  ].join('\n');
}

/** A year from now, as UTC ISO text ending in Z, which Python 3.11's datetime.fromisoformat reads. */
const NEXT_YEAR_Z = new Date(Date.now() + 365 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('interop: _session_expiry values Django 4.1+ reads unusually, as Django 5.2 reads them', function () {
  this.timeout(120_000);
  let django: string;
  const roots: string[] = [];
  before(function () {
    django = requireDjango52(this);
  });
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  async function store(root: string): Promise<SessionStore> {
    const [found] = await discoverProjects(root, { env: {} });
    return openStore(found!.stores[0]!, { env: TRUSTING_ENV });
  }

  it('file engine: clear-expired deletes what clearsessions deletes, keeping a session whose expiry is ISO text ending in Z, and reads its expiry as Django does', async () => {
    const root = project('file');
    roots.push(root);
    fs.mkdirSync(path.join(root, 'sessions'));
    const [zulu, empty] = runInProject(root, created([NEXT_YEAR_Z, '']), django).split('\n');
    // Both saved a month ago: past SESSION_COOKIE_AGE by their files' times.
    const month = Date.now() / 1000 - 30 * 86_400;
    for (const file of fs.readdirSync(path.join(root, 'sessions'))) {
      fs.utimesSync(path.join(root, 'sessions', file), month, month);
    }
    const copy = `${root}/sessions-django`;
    fs.cpSync(path.join(root, 'sessions'), copy, { recursive: true, preserveTimestamps: true });
    const kept = runInProject(root, `from django.conf import settings\nsettings.SESSION_FILE_PATH = ${JSON.stringify(copy)}\nfrom django.core.management import call_command\ncall_command("clearsessions")\nimport os\nprint(" ".join(sorted(os.listdir(${JSON.stringify(copy)}))))`, django);
    assert.equal(kept, `sessionid${zulu}`, 'Django keeps the session whose expiry is a year away, and deletes the one the file time expired');

    const sessions = await store(root);
    try {
      const listed = await sessions.get(zulu!);
      assert.equal(listed?.expired, false);
      assert.equal(listed?.expireDate?.toISOString(), new Date(NEXT_YEAR_Z).toISOString());
      assert.equal((await sessions.get(empty!))?.expired, true, 'an empty expiry is the default: the file time plus SESSION_COOKIE_AGE');
      assert.equal(await sessions.clearExpired(), 1);
    } finally {
      await sessions.close();
    }
    assert.deepEqual(fs.readdirSync(path.join(root, 'sessions')), [`sessionid${zulu}`]);
    assert.equal(runInProject(root, `from django.contrib.sessions.backends.file import SessionStore\nprint(SessionStore(${JSON.stringify(zulu)}).load()["cart"])`, django), '[1, 2]');
  });

  it('db engine: an edit writes the expire_date Django saves for an expiry ending in Z, and refuses, writing nothing, where Django cannot save the session at all (an empty expiry)', async () => {
    const root = project('db');
    roots.push(root);
    const [zulu, empty] = runInProject(root, created([NEXT_YEAR_Z, '']), django).split('\n');
    const save = (key: string) =>
      runInProject(root, `from django.contrib.sessions.backends.db import SessionStore\ns = SessionStore(${JSON.stringify(key)})\ns["django"] = 1\ntry:\n    s.save()\n    print(s.get_expiry_date().isoformat())\nexcept Exception as e:\n    print(type(e).__name__)`, django);
    assert.equal(save(empty!), 'ValueError', 'Django 5.2 cannot save a db session whose _session_expiry is empty');
    const djangoDate = save(zulu!);
    assert.equal(new Date(djangoDate).toISOString(), new Date(NEXT_YEAR_Z).toISOString());

    const sessions = await store(root);
    try {
      const edited = await sessions.update(zulu!, (data) => data.set('ours', 1n));
      assert.equal(edited.expireDate?.toISOString(), new Date(NEXT_YEAR_Z).toISOString(), 'the expire_date Django writes');
      assert.equal((await sessions.get(zulu!))?.expireDate?.toISOString(), new Date(NEXT_YEAR_Z).toISOString());
      const before = (await sessions.get(empty!))!;
      await assert.rejects(sessions.update(empty!, (data: PyDict) => data.set('ours', 1n)), (err: unknown) => {
        assert.ok(err instanceof StoreError);
        assert.equal(err.code, 'write-refused');
        assert.match(err.message, /^Nothing was changed: the session's _session_expiry is "", which Django 5\.2 cannot compute an expiry date from \(it raises ValueError\), so Django fails to save this session too; set its expiry first\.$/);
        return true;
      });
      assert.equal((await sessions.get(empty!))?.raw, before.raw);
      // Setting the expiry is the way out, and Django saves the session again after it.
      await sessions.setExpiry(empty!, { kind: 'default' });
    } finally {
      await sessions.close();
    }
    assert.doesNotMatch(save(empty!), /Error/);
  });
});
