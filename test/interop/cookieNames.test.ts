import * as assert from 'node:assert/strict';
import { refusedCookieName } from '../../engine/src/analysis/lint/cookieName';
import { itOnEachDjango, requireDjango, runDjangoScript } from './realDjango';

/** Names with each character class http.cookies treats apart, reserved attributes in any case, and names it takes. */
const NAMES = ['sessionid', 'session id', 'a,b', 'a;b', 'a=b', 'sess"x', 'ab:c', "it's", 'a/b', 'a[b]', 'é', '', 'x\ty', 'expires', 'Path', 'MAX-AGE', 'samesite', 'expiresx', '!#$%&*+-.^_`|~'];

describe('interop: the session cookie names DS202 refuses are those Django cannot set', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  itOnEachDjango((djangoPath) => {
    const django = runDjangoScript<Record<string, string | null>>('cookie_names.py', [], NAMES, djangoPath);
    for (const name of NAMES) {
      const refused = refusedCookieName(name);
      assert.equal(refused && `${refused.error}`, django[name] ?? undefined, JSON.stringify(name));
    }
  });
});
