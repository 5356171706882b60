import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { expiryValueProblem } from '../../engine/src';
import { PYTHON, requireDjango } from './realDjango';

/**
 * What Django 3.2 makes of `_session_expiry` seconds when the session is saved again just before
 * they run out: the expiry date it computes then, or the exception it raises.
 */
function djangoSavedAgain(seconds: bigint[]): string[] {
  const script = [
    'import json, sys',
    'from datetime import timedelta',
    'import django',
    'from django.conf import settings',
    'settings.configure(SECRET_KEY="expiry-saves-" + "x" * 40, USE_TZ=True, INSTALLED_APPS=["django.contrib.sessions"])',
    'django.setup()',
    'from django.utils import timezone',
    'from django.contrib.sessions.backends.signed_cookies import SessionStore',
    'out = []',
    'for n in json.load(sys.stdin):',
    '    store = SessionStore()',
    '    store.set_expiry(n)',
    '    try:',
    '        out.append(store.get_expiry_date(modification=timezone.now() + timedelta(seconds=n - 60)).isoformat())',
    '    except (OverflowError, ValueError) as e:',
    '        out.append(type(e).__name__)',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(seconds.map(Number)), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as string[];
}

describe('_session_expiry seconds that later saves carry past year 9999, against real Django', function () {
  this.timeout(60_000);
  before(function () {
    requireDjango(this);
  });

  it('are refused where Django, saving the session again before they run out, would fail, and taken where it would not', () => {
    const context = { useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600, djangoVersion: '3.2' };
    const now = new Date();
    const refused = 200_000_000_000n;
    const taken = 100_000_000_000n;
    assert.match(expiryValueProblem(refused, context, now)!, /past year 9999/);
    assert.equal(expiryValueProblem(taken, context, now), undefined);
    const [failed, fine] = djangoSavedAgain([refused, taken]);
    assert.match(failed!, /^(OverflowError|ValueError)$/);
    assert.match(fine!, /^[5-9]\d{3}-/);
  });
});
