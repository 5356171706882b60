import * as assert from 'node:assert/strict';
import { itOnEachDjango, requireDjango, runDjangoScript } from './realDjango';

/** Why DS202 refuses `SESSION_COOKIE_AGE = timedelta(...)`: every engine fails the response that saves a session. */
describe('interop: Django cannot save a session whose SESSION_COOKIE_AGE is a timedelta', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  itOnEachDjango((djangoPath) => {
    const failures = runDjangoScript<Record<string, string | null>>('timedelta_cookie_age.py', [], null, djangoPath);
    assert.deepEqual(Object.keys(failures), ['db', 'cache', 'file', 'signed_cookies']);
    for (const [engine, failure] of Object.entries(failures)) {
      assert.match(failure ?? 'saved', /^TypeError: /, engine);
    }
  });
});
