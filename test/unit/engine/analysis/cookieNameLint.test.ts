import * as assert from 'node:assert/strict';
import { lintProjectSettings } from '../../../../engine/src/analysis';
import { projectWithSettings } from '../project/settingsProject';

const SETTINGS = `SECRET_KEY = '${'k'.repeat(50)}'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n`;

/** DS202's messages and quick-fix texts for a settings module ending with `SESSION_COOKIE_NAME = ${literal}`. */
async function ds202(literal: string): Promise<[string, string | undefined][]> {
  const project = await projectWithSettings(`${SETTINGS}SESSION_COOKIE_NAME = ${literal}\n`);
  return (await lintProjectSettings(project, { env: {} })).filter((d) => d.code === 'DS202').map((d) => [d.message, d.fix?.edits[0]?.newText]);
}

describe('DS202 for a SESSION_COOKIE_NAME Python refuses as a cookie name', () => {
  it('names the CookieError Django raises, and offers a name it takes', async () => {
    assert.deepEqual(await ds202('"session id"'), [
      [
        "SESSION_COOKIE_NAME 'session id' is no cookie name Python takes (a cookie name holds only letters, digits and !#$%&'*+-.^_`|~:): Django's set_cookie raises CookieError(\"Illegal key 'session id'\") on every response that sends the session cookie; use 'session_id'.",
        "'session_id'",
      ],
    ]);
    assert.deepEqual(await ds202('"Expires"'), [
      [
        "SESSION_COOKIE_NAME 'Expires' is no cookie name Python takes (it is a cookie attribute's name): Django's set_cookie raises CookieError(\"Attempt to set a reserved key 'Expires'\") on every response that sends the session cookie; use 'session_expires'.",
        "'session_expires'",
      ],
    ]);
    assert.deepEqual((await ds202('""')).map(([, fix]) => fix), ["'sessionid'"]);
  });

  it('takes the names http.cookies takes', async () => {
    for (const literal of ['"sessionid"', '"app:sess"', '"__Host-sid"', '"a.b~c"']) {
      assert.deepEqual(await ds202(literal), [], literal);
    }
  });
});
