import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../../../engine/src';
import { lintProjectSettings } from '../../../../engine/src/analysis';
import { projectWithSettings } from '../project/settingsProject';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const KEY = 'plainjson00000000000000000000001';
const SETTINGS = `SECRET_KEY = '${'k'.repeat(50)}'\nUSE_TZ = True\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n`;

describe('a float SESSION_COOKIE_AGE, which Django takes as it takes an int', () => {
  it('is the age of the store, which saves with it, and no lint error', async () => {
    const project = await projectWithSettings(`${SETTINGS}SESSION_COOKIE_AGE = 60 * 60 * 24 * 365 / 2\n`);
    const descriptor = project.stores[0]!;
    assert.deepEqual([descriptor.cookieAgeSeconds, descriptor.cookieAgeUnknown, project.problems], [15768000, undefined, []]);
    assert.deepEqual(await lintProjectSettings(project, { env: {} }), []);
    fs.copyFileSync(await sqliteFromFixture('sessions.sql'), path.join(project.root, 'db.sqlite3'));
    const store = await openStore(descriptor, { sqliteDriver: 'sqljs', env: TRUSTING_ENV });
    try {
      const record = await store.update(KEY, (data) => data.set('x', 1n));
      assert.ok(Math.abs(record.expireDate!.getTime() - Date.now() - 15768000_000) < 5000, record.expireDate?.toISOString());
    } finally {
      await store.close();
    }
  });

  it('is read from timedelta(...).total_seconds()', async () => {
    for (const [expression, seconds] of [['timedelta(days=1).total_seconds()', 86400], ['datetime.timedelta(1, 30, hours=2).total_seconds()', 93630], ['int(timedelta(weeks=2).total_seconds())', 1209600]] as const) {
      const project = await projectWithSettings(`import datetime\nfrom datetime import timedelta\n${SETTINGS}SESSION_COOKIE_AGE = ${expression}\n`);
      assert.deepEqual([project.stores[0]?.cookieAgeSeconds, project.problems], [seconds, []], expression);
    }
  });

  it('is no timedelta: DS202 says it must be seconds, with the int to write', async () => {
    const lint = async (expression: string) => {
      const project = await projectWithSettings(`import datetime, os\nfrom datetime import timedelta\n${SETTINGS}SESSION_COOKIE_AGE = ${expression}\n`);
      return (await lintProjectSettings(project, { env: {} })).filter((d) => d.code === 'DS202').map((d) => [d.message, d.fix?.edits[0]?.newText]);
    };
    const error = 'Django raises TypeError on every response that saves a session';
    assert.deepEqual(await lint('timedelta(days=1)'), [[`SESSION_COOKIE_AGE must be seconds (an int), not a timedelta: ${error}; write int(timedelta(days=1).total_seconds()) or 86400.`, '86400']]);
    assert.deepEqual(await lint('datetime.timedelta(minutes=30)'), [[`SESSION_COOKIE_AGE must be seconds (an int), not a timedelta: ${error}; write int(datetime.timedelta(minutes=30).total_seconds()) or 1800.`, '1800']]);
    assert.deepEqual(await lint('timedelta(hours=int(os.environ["HOURS"]))'), [[`SESSION_COOKIE_AGE must be seconds (an int), not a timedelta: ${error}; write int(timedelta(hours=int(os.environ["HOURS"])).total_seconds()).`, 'int(timedelta(hours=int(os.environ["HOURS"])).total_seconds())']]);
    assert.deepEqual(await lint('int(timedelta(days=1).total_seconds())'), []);
  });

  it("is shown as Python writes a float where a setting's type is wrong", async () => {
    const project = await projectWithSettings(`${SETTINGS}SESSION_COOKIE_HTTPONLY = 1.0\nSESSION_COOKIE_AGE = "3600"\n`);
    assert.deepEqual((await lintProjectSettings(project, { env: {} })).filter((d) => d.code === 'DS202').map((d) => d.message), [
      'SESSION_COOKIE_HTTPONLY must be True or False, not 1.0.',
      "SESSION_COOKIE_AGE must be an int or float (seconds), not '3600'.",
    ]);
  });
});
