import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintSessionKeys, SessionKeyIndex } from '../../engine/src/analysis';
import { inMemoryDjango, itOnEachDjango, PYTHON, requireDjango } from './realDjango';

/** Views that put a user into the session by hand, each a different way; whom Django then takes as logged in is for real Django to say. */
const VIEWS = `from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

BACKEND = "django.contrib.auth.backends.ModelBackend"


def id_only(request, user):
    request.session["_auth_user_id"] = str(user.pk)


def id_and_backend(request, user):
    request.session[SESSION_KEY] = str(user.pk)
    request.session[BACKEND_SESSION_KEY] = BACKEND


def id_and_hash(request, user):
    request.session.update({auth.SESSION_KEY: str(user.pk), auth.HASH_SESSION_KEY: user.get_session_auth_hash()})


def all_three(request, user):
    request.session[SESSION_KEY] = str(user.pk)
    request.session[BACKEND_SESSION_KEY] = BACKEND
    request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()


def with_login(request, user):
    auth.login(request, user, backend=BACKEND)
`;

/** Runs each view on a session holding a cart, saves it, and says whether the next request with that session is the user's, and keeps the cart. */
function nextRequests(dir: string, djangoPath: string | undefined): Record<string, { loggedIn: boolean; cartKept: boolean }> {
  const script = [
    ...inMemoryDjango(dir, 'hand-written-login-'),
    'from django.contrib.auth import get_user',
    'from django.contrib.auth.models import AnonymousUser, User',
    'from django.contrib.sessions.backends.db import SessionStore',
    'from django.test import RequestFactory',
    'import views',
    'user = User.objects.create_user("ada", password="x")',
    'out = {}',
    'for name in ["id_only", "id_and_backend", "id_and_hash", "all_three", "with_login"]:',
    '    request = RequestFactory().get("/")',
    '    request.session = SessionStore()',
    '    request.session["cart"] = [1]',
    '    request.user = AnonymousUser()',
    '    getattr(views, name)(request, user)',
    '    request.session.save()',
    '    following = RequestFactory().get("/")',
    '    following.session = SessionStore(request.session.session_key)',
    '    out[name] = {"loggedIn": get_user(following).is_authenticated, "cartKept": "cart" in following.session}',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', ...(djangoPath ? { env: { ...process.env, PYTHONPATH: djangoPath } } : {}) });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, { loggedIn: boolean; cartKept: boolean }>;
}

describe('DS112: a login written by hand, against real Django', function () {
  this.timeout(60_000);
  before(function () {
    requireDjango(this);
  });

  itOnEachDjango(async (djangoPath) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-hand-login-'));
    let django: Record<string, { loggedIn: boolean; cartKept: boolean }>;
    try {
      fs.writeFileSync(path.join(dir, 'views.py'), VIEWS);
      django = nextRequests(dir, djangoPath);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const anonymous = Object.keys(django).filter((view) => !django[view]!.loggedIn);
    assert.deepEqual(anonymous.sort(), ['id_and_backend', 'id_and_hash', 'id_only']);
    // With the backend but no hash, Django flushes the session: the user's other values go too, as the message says.
    assert.deepEqual(Object.keys(django).filter((view) => !django[view]!.cartKept), ['id_and_backend']);

    const index = await SessionKeyIndex.create();
    const file = '/p/shop/views.py';
    index.updateFile(file, VIEWS);
    const lines = VIEWS.split('\n');
    const viewAt = (line: number) => lines.slice(0, line + 1).reverse().find((l) => l.startsWith('def '))!.slice(4).split('(')[0]!;
    const findings = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS112');
    assert.deepEqual(findings.map((d) => viewAt(d.range.start.line)).sort(), anonymous.sort());
    const flushed = findings.filter((d) => / flushes it, losing every value in it/.test(d.message)).map((d) => viewAt(d.range.start.line));
    assert.deepEqual(flushed, ['id_and_backend']);
  });
});
