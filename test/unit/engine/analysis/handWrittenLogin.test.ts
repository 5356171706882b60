import * as assert from 'node:assert/strict';
import { lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';

/** The DS112 findings over some files, as `file:line` (1-based). */
async function handWritten(files: Record<string, string[]>): Promise<string[]> {
  const index = await SessionKeyIndex.create();
  for (const [file, lines] of Object.entries(files)) index.updateFile(`/p/${file}`, lines.join('\n'));
  return lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
    .filter((d) => d.code === 'DS112')
    .map((d) => `${d.file.slice('/p/'.length)}:${d.range.start.line + 1}`)
    .sort();
}

describe('DS112: a login written by hand', () => {
  it("reports a function that writes '_auth_user_id' without both of the other keys, however the keys are spelled", async () => {
    assert.deepEqual(
      await handWritten({
        'shop/views.py': [
          'from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY',
          'from django.contrib import auth',
          '',
          'def id_only(request, user):',
          '    request.session["_auth_user_id"] = str(user.pk)',
          '',
          'def no_hash(request, user):',
          '    request.session[SESSION_KEY] = user._meta.pk.value_to_string(user)',
          '    request.session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"',
          '',
          'def no_backend(request, user):',
          '    request.session.update({auth.SESSION_KEY: user.pk, auth.HASH_SESSION_KEY: user.get_session_auth_hash()})',
          '',
          'def all_three(request, user):',
          '    request.session[SESSION_KEY] = str(user.pk)',
          '    request.session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"',
          '    request.session[HASH_SESSION_KEY] = user.get_session_auth_hash()',
          '',
          'def reads_only(request):',
          '    return request.session.get(SESSION_KEY), request.session[BACKEND_SESSION_KEY]',
          '',
        ],
      }),
      ['shop/views.py:12', 'shop/views.py:5', 'shop/views.py:8'],
    );
  });

  it('judges each function on its own writes: a nested function, a method and the module apart', async () => {
    assert.deepEqual(
      await handWritten({
        'accounts/tests.py': [
          'from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY',
          'from django.test import TestCase',
          '',
          'class LoginTests(TestCase):',
          '    def test_full(self):',
          '        session = self.client.session',
          '        session[SESSION_KEY] = str(self.user.pk)',
          '        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"',
          '        session[HASH_SESSION_KEY] = self.user.get_session_auth_hash()',
          '        session.save()',
          '',
          '    def test_partial(self):',
          '        session = self.client.session',
          '        session[SESSION_KEY] = str(self.user.pk)',
          '        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"',
          '        session.save()',
          '',
          '        def inner(s):',
          '            s[HASH_SESSION_KEY] = "x"',
          '',
        ],
      }),
      ['accounts/tests.py:14'],
    );
  });

  it('tells a test to force_login() and application code to login(), and says why the user stays anonymous', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/views.py', ['def a(request):', '    request.session["_auth_user_id"] = "1"', '    request.session["_auth_user_backend"] = "b"', ''].join('\n'));
    index.updateFile('/p/shop/tests.py', ['def test_a(client):', '    s = client.session', '    s["_auth_user_id"] = "1"', '    s.save()', ''].join('\n'));
    const messages = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
      .filter((d) => d.code === 'DS112')
      .map((d) => `${d.file}: ${d.message}`)
      .sort();
    assert.equal(messages.length, 2);
    assert.match(messages[0]!, /^\/p\/shop\/tests\.py: .*without '_auth_user_backend'.*stays anonymous.*self\.client\.force_login\(user\)/);
    assert.match(messages[1]!, /^\/p\/shop\/views\.py: .*without '_auth_user_hash'.*flushes it, losing every value in it.*django\.contrib\.auth\.login\(request, user\)/);
  });

  it('takes a helper that is handed the session as a function of its own', async () => {
    assert.deepEqual(
      await handWritten({
        'shop/auth.py': ['from django.contrib.auth import SESSION_KEY', '', 'def remember_user(session, user):', '    session[SESSION_KEY] = user.pk', ''],
        'shop/views.py': ['from .auth import remember_user', '', 'def view(request):', '    remember_user(request.session, request.user)', ''],
      }),
      ['shop/auth.py:4'],
    );
  });
});
