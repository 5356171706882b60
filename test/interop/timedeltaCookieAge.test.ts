import * as assert from 'node:assert/strict';
import { django52, requireDjango, runDjangoScript } from './realDjango';
import { skipOrFail } from './localServices';

/** Why DS202 refuses `SESSION_COOKIE_AGE = timedelta(...)`: every engine fails the response that saves a session. */
describe('interop: Django cannot save a session whose SESSION_COOKIE_AGE is a timedelta', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  for (const version of ['3.2', '5.2'] as const) {
    it(`Django ${version}`, function () {
      const dir = version === '5.2' ? django52() : {};
      if (version === '5.2' && !dir.dir) {
        skipOrFail(this, `Django 5.2 is missing: ${dir.why}`);
      }
      const failures = runDjangoScript<Record<string, string | null>>('timedelta_cookie_age.py', [], null, dir.dir);
      assert.deepEqual(Object.keys(failures), ['db', 'cache', 'file', 'signed_cookies']);
      for (const [engine, failure] of Object.entries(failures)) {
        assert.match(failure ?? 'saved', /^TypeError: /, engine);
      }
    });
  }
});
