import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore, StoreError } from '../../../../engine/src';
import { TRUSTING_ENV } from '../stores/sqlJsTrust';
import { projectWithSettings } from './settingsProject';

const SQLITE = 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n';
const SESSIONS_OFF = `SECRET_KEY = "k"\n${SQLITE}INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]\nMIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n`;

describe('settings that leave sessions off', () => {
  it('notes a db engine without django.contrib.sessions and MIDDLEWARE without SessionMiddleware, where both are known', async () => {
    const project = await projectWithSettings(SESSIONS_OFF);
    assert.deepEqual(
      project.problems.map((p) => [p.message, p.location?.line]),
      [
        ['INSTALLED_APPS has no django.contrib.sessions, so no migration creates the session table the db engine keeps sessions in', 3],
        ['MIDDLEWARE has no django.contrib.sessions.middleware.SessionMiddleware, so requests get no session: the project may not use sessions at all', 4],
      ],
    );
    assert.equal(project.stores[0]?.sessionsAppMissing, true);
    const on = await projectWithSettings(`SECRET_KEY = "k"\n${SQLITE}INSTALLED_APPS = ["django.contrib.sessions.apps.SessionsConfig"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n`);
    assert.deepEqual([on.problems, on.stores[0]?.sessionsAppMissing], [[], undefined]);
    // A project's subclass under its own name is a session middleware too (CommCare's SelectiveSessionMiddleware).
    const subclass = await projectWithSettings(`SECRET_KEY = "k"\n${SQLITE}INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["corehq.middleware.SelectiveSessionMiddleware"]\n`);
    assert.deepEqual(subclass.problems, []);
    // And one whose name says nothing, found through its bases, as DS209–DS211 find it.
    const sessions = 'from django.contrib.sessions import middleware\n\n\nclass PerDomain(middleware.SessionMiddleware):\n    pass\n';
    const sticky = 'from .sessions import PerDomain\n\n\nclass Sticky(PerDomain):\n    pass\n';
    const files = { 'core/__init__.py': '', 'core/sessions.py': sessions, 'core/sticky.py': sticky, 'core/plain.py': 'class Plain:\n    pass\n' };
    const settings = (middleware: string) => `SECRET_KEY = "k"\n${SQLITE}INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["${middleware}"]\n`;
    assert.deepEqual((await projectWithSettings(settings('core.sessions.PerDomain'), files)).problems, []);
    assert.deepEqual((await projectWithSettings(settings('core.sticky.Sticky'), files)).problems, []);
    assert.deepEqual(
      (await projectWithSettings(settings('core.plain.Plain'), files)).problems.map((p) => p.message),
      ['MIDDLEWARE has no django.contrib.sessions.middleware.SessionMiddleware, so requests get no session: the project may not use sessions at all'],
    );
    // A cache engine needs no app; unknown lists say nothing.
    const cache = await projectWithSettings(`import os\nSECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nINSTALLED_APPS = []\nMIDDLEWARE = os.environ["MIDDLEWARE"].split()\n`);
    assert.deepEqual(cache.problems.map((p) => p.message).filter((m) => /INSTALLED_APPS|MIDDLEWARE has/.test(m)), []);
  });

  it('says why the session table is missing instead of advising a migrate that creates none', async () => {
    const project = await projectWithSettings(SESSIONS_OFF);
    const root = path.dirname(path.dirname(project.stores[0]!.source!.file));
    fs.writeFileSync(path.join(root, 'db.sqlite3'), Buffer.alloc(0));
    await assert.rejects(
      openStore(project.stores[0]!, { sqliteDriver: 'sqljs', env: TRUSTING_ENV }),
      (e: unknown) => e instanceof StoreError && e.code === 'missing-table' && /django\.contrib\.sessions is not in INSTALLED_APPS, so no migration creates it: add the app and run "python manage\.py migrate"/.test(e.message),
    );
  });
});
