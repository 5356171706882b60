import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { cli } from './cliRun';
import { requireDjango, runInProject } from './realDjango';
import { sqliteDjangoProject } from './sqliteDjangoProject';

/** `depth` lists one inside the other, as JSON. */
function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** The session keys a request with the cookie `key` sees, through Django's SessionMiddleware, or the error it raised. */
function requestSees(root: string, key: string): string {
  const code = [
    'from django.contrib.sessions.middleware import SessionMiddleware',
    'from django.http import HttpResponse',
    'from django.test import RequestFactory',
    'request = RequestFactory().get("/")',
    `request.COOKIES["sessionid"] = ${JSON.stringify(key)}`,
    'try:',
    '    print(SessionMiddleware(lambda r: HttpResponse(" ".join(sorted(r.session.keys()))))(request).content.decode())',
    'except Exception as e:',
    '    print(type(e).__name__)',
  ].join('\n');
  return runInProject(root, code, undefined);
}

/**
 * A value nested nearly as deep as Python's recursion limit decodes on its own, but not in the
 * stack of a request, and Django 3.2 then fails every request with its cookie: `set` refuses it.
 */
describe('interop: set with a value nested too deep for Django to load the session', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  it('refuses one nested 995 deep, leaving the session as Django had it, and writes one within the bound', async () => {
    const root = sqliteDjangoProject('"deep-values-" + "k" * 40', ['USE_TZ = True'], undefined);
    try {
      const key = runInProject(
        root,
        [
          'from django.core.management import call_command',
          'call_command("migrate", verbosity=0)',
          'from django.contrib.sessions.backends.db import SessionStore',
          's = SessionStore()',
          's["cart"] = [1]',
          's.create()',
          'print(s.session_key)',
        ].join('\n'),
        undefined,
      );
      const refused = await cli(['--project', root, 'set', key, 'deep', nested(995)], TRUSTING_ENV);
      assert.equal(refused.code, 2, refused.err);
      assert.match(refused.err, /^django-sessions: The value's lists or dicts nest too deep: Django could load the session only up to 500 levels .* nothing was written\.\n$/);
      assert.equal(requestSees(root, key), 'cart');

      const written = await cli(['--project', root, 'set', key, 'deep', nested(499)], TRUSTING_ENV);
      assert.equal(written.code, 0, written.err);
      assert.equal(requestSees(root, key), 'cart deep');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
