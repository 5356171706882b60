import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { cli } from './cliRun';
import { itOnEachDjango, requireDjango, runInProject } from './realDjango';
import { sqliteDjangoProject } from './sqliteDjangoProject';

/**
 * Logs user `ada` in by hand with her primary key as an int, as `request.session[SESSION_KEY] =
 * user.pk` does, beside a session of another user that login() made; prints her pk, both keys, and
 * whether Django takes her session as logged in.
 */
const LOG_IN_BY_HAND = [
  'import json',
  'from django.core.management import call_command',
  'call_command("migrate", verbosity=0)',
  'from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user, login',
  'from django.contrib.auth.models import User',
  'from django.contrib.sessions.backends.db import SessionStore',
  'from django.test import RequestFactory',
  'ada = User.objects.create_user("ada", password="x")',
  'bob = User.objects.create_user("bob", password="x")',
  'by_hand = SessionStore()',
  'by_hand.update({SESSION_KEY: ada.pk, BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend", HASH_SESSION_KEY: ada.get_session_auth_hash()})',
  'by_hand.create()',
  'request = RequestFactory().get("/")',
  'request.session = SessionStore()',
  'login(request, bob, backend="django.contrib.auth.backends.ModelBackend")',
  'request.session.save()',
  'following = RequestFactory().get("/")',
  'following.session = SessionStore(by_hand.session_key)',
  'print(json.dumps({"pk": ada.pk, "key": by_hand.session_key, "other": request.session.session_key, "loggedIn": get_user(following).pk == ada.pk}))',
].join('\n');

/** Whether Django takes the session `key` as logged in (as anyone). */
function djangoLogsIn(root: string, key: string, djangoPath: string | undefined): boolean {
  const code = [
    'from django.contrib.auth import get_user',
    'from django.contrib.sessions.backends.db import SessionStore',
    'from django.test import RequestFactory',
    'request = RequestFactory().get("/")',
    `request.session = SessionStore(${JSON.stringify(key)})`,
    'print(get_user(request).is_authenticated)',
  ].join('\n');
  return runInProject(root, code, djangoPath) === 'True';
}

/**
 * Django reads `_auth_user_id` through the primary key's to_python(), so a session that holds the
 * user's pk as an int, not the string login() writes, is that user's: logout-user must find it, or
 * the user stays logged in there after being logged out everywhere.
 */
describe('interop: a session whose _auth_user_id is an int, as code logging users in by hand writes it', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  itOnEachDjango(async (djangoPath) => {
    const settings = ['INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]', 'USE_TZ = True'];
    const root = sqliteDjangoProject('"int-user-id-" + "k" * 40', settings, djangoPath);
    try {
      const made = JSON.parse(runInProject(root, LOG_IN_BY_HAND, djangoPath)) as { pk: number; key: string; other: string; loggedIn: boolean };
      assert.ok(made.loggedIn, 'Django takes the int _auth_user_id as the user logged in');
      const user = String(made.pk);
      const base = ['--project', root];

      assert.equal((await cli([...base, 'count', '--user', user], TRUSTING_ENV)).out.trim(), '1');
      const listed = JSON.parse((await cli([...base, '--json', 'list', '--user', user], TRUSTING_ENV)).out) as { stores: Array<{ sessions: Array<{ session_key: string; user_id?: string }> }> };
      assert.deepEqual(listed.stores[0]!.sessions.map((s) => [s.session_key, s.user_id]), [[made.key, user]]);

      const logout = await cli([...base, 'logout-user', user], TRUSTING_ENV);
      assert.equal(logout.code, 0, logout.err);
      assert.equal(logout.out.trim(), `1 session of user ${user} deleted`);
      assert.equal(logout.err, '');
      assert.equal(djangoLogsIn(root, made.key, djangoPath), false, 'logged out');
      assert.equal(djangoLogsIn(root, made.other, djangoPath), true, "the other user's session is left");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
