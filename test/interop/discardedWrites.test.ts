import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintSessionKeys, SessionKeyIndex } from '../../engine/src/analysis';
import { inMemoryDjango, PYTHON, requireDjango } from './realDjango';

/** Views that write a key and then call something; which keys survive is for real Django to say. */
const VIEWS = `from django.contrib import auth
from django.contrib.auth import login, logout as auth_logout
from django.contrib.auth.decorators import login_required

BACKEND = "django.contrib.auth.backends.ModelBackend"


def sign_out(request, other):
    request.session["goodbye"] = "see you"
    auth_logout(request)


@login_required
def impersonate(request, other):
    request.session["impersonator_id"] = request.user.pk
    login(request, other, backend=BACKEND)


def impersonate_by_value(request, other):
    request.session["hijacker"] = request.user.pk
    auth.login(request, other, backend=BACKEND)


def anonymous_login(request, other):
    request.session["cart"] = "kept"
    login(request, other, backend=BACKEND)


def flushed(request, other):
    request.session["flash"] = 1
    request.session.flush()


def cycled(request, other):
    request.session["after_cycle"] = 1
    request.session.cycle_key()


def logout_in_branch(request, other):
    request.session["maybe"] = 1
    if other is None:
        return None
    auth_logout(request)
`;

/** Runs each view on a real request, logged in as `admin` where `logged_in`, and says which of its keys the session still holds. */
function survivors(dir: string): Record<string, boolean> {
  const script = [
    ...inMemoryDjango(dir, 'discarded-writes-'),
    'from django.contrib.auth import login',
    'from django.contrib.auth.models import AnonymousUser, User',
    'from django.contrib.sessions.backends.db import SessionStore',
    'from django.test import RequestFactory',
    'import views',
    'admin = User.objects.create_user("admin", password="x")',
    'other = User.objects.create_user("other", password="x")',
    'cases = {"sign_out": ("goodbye", True), "impersonate": ("impersonator_id", True), "impersonate_by_value": ("hijacker", True),',
    '         "anonymous_login": ("cart", False), "flushed": ("flash", True), "cycled": ("after_cycle", True), "logout_in_branch": ("maybe", True)}',
    'out = {}',
    'for name, (key, logged_in) in cases.items():',
    '    request = RequestFactory().get("/")',
    '    request.session = SessionStore()',
    '    request.user = AnonymousUser()',
    '    if logged_in:',
    '        login(request, admin, backend=views.BACKEND)',
    '    getattr(views, name)(request, other)',
    '    out[key] = key in request.session',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, boolean>;
}

describe('DS110: a write that a later logout(), flush() or login() throws away, against real Django', function () {
  this.timeout(60_000);
  before(function () {
    requireDjango(this);
  });

  it('reports the keys real Django loses on every path, and none it keeps', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-discarded-'));
    let django: Record<string, boolean>;
    try {
      fs.writeFileSync(path.join(dir, 'views.py'), VIEWS);
      django = survivors(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const lost = Object.keys(django).filter((key) => !django[key]);
    assert.deepEqual(lost.sort(), ['flash', 'goodbye', 'hijacker', 'impersonator_id', 'maybe']);
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/views.py', VIEWS);
    const reported = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
      .filter((d) => d.code === 'DS110')
      .map((d) => /^Session key '(\w+)'/.exec(d.message)?.[1]);
    // `maybe` is lost on the path Django took here, but a path that returns first keeps it: not reported.
    assert.deepEqual(reported.sort(), lost.filter((key) => key !== 'maybe').sort());
  });
});
