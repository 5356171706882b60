import * as assert from 'node:assert/strict';
import { refusedCookieName } from '../../engine/src/analysis/lint/cookieName';
import { django52, requireDjango, runDjangoScript } from './realDjango';
import { skipOrFail } from './localServices';

/** Names with each character class http.cookies treats apart, reserved attributes in any case, and names it takes. */
const NAMES = ['sessionid', 'session id', 'a,b', 'a;b', 'a=b', 'sess"x', 'ab:c', "it's", 'a/b', 'a[b]', 'é', '', 'x\ty', 'expires', 'Path', 'MAX-AGE', 'samesite', 'expiresx', '!#$%&*+-.^_`|~'];

describe('interop: the session cookie names DS202 refuses are those Django cannot set', function () {
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
      const django = runDjangoScript<Record<string, string | null>>('cookie_names.py', [], NAMES, dir.dir);
      for (const name of NAMES) {
        const refused = refusedCookieName(name);
        assert.equal(refused && `${refused.error}`, django[name] ?? undefined, JSON.stringify(name));
      }
    });
  }
});
