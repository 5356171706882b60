import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject, type LintDiagnostic } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';
import { appliedEdits } from './appliedEdits';
import { APPS, AUTH, COMMON, CSRF, list, MESSAGES, SECURITY, SESSION } from './middlewareSettings';

const VIEW = 'def cart(request):\n    return request.session.get("cart", [])\n';

function project(settings: Record<string, string>, code: Record<string, string> = {}): string {
  return tempProject({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n', 'proj/__init__.py': '', ...settings, ...code }, 'djs-wiring-');
}

async function found(root: string, codes = ['DS209', 'DS210', 'DS211']): Promise<LintDiagnostic[]> {
  return (await lintProject(root, { env: {} })).filter((d) => codes.includes(d.code));
}

/** The settings file as the finding's fix leaves it. */
function fixed(d: LintDiagnostic): string {
  assert.ok(d.fix, `${d.code} has a fix`);
  const file = d.fix.edits[0]!.file;
  assert.ok(d.fix.edits.every((edit) => edit.file === file));
  return appliedEdits(fs.readFileSync(file, 'utf8'), d.fix.edits);
}

describe('DS209–DS211: settings under which requests fail for want of a session', () => {
  it('DS209: AuthenticationMiddleware above SessionMiddleware, at its line, with the move as its fix', async () => {
    const root = project({ 'proj/settings.py': `INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list([SECURITY, AUTH, SESSION, COMMON])}\n` });
    const [d, ...rest] = await found(root);
    assert.deepEqual(rest, []);
    assert.equal(d!.code, 'DS209');
    assert.equal(d!.severity, 'error');
    assert.deepEqual([d!.range.start.line, d!.range.start.character, d!.range.end.character], [8, 4, 4 + AUTH.length + 2]);
    assert.equal(
      d!.message,
      `AuthenticationMiddleware reads request.session, but MIDDLEWARE lists it before SessionMiddleware, so it runs before the request has a session: every request raises ImproperlyConfigured("The Django authentication middleware requires session middleware to be installed. …") (AssertionError before Django 4.0). Move '${SESSION}' above it.`,
    );
    assert.equal(d!.fix!.title, 'Move SessionMiddleware above AuthenticationMiddleware');
    assert.equal(fixed(d!), `INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list([SECURITY, SESSION, AUTH, COMMON])}\n`);
  });

  it('DS209 names the error of the Django version the requirements pin', async () => {
    const settings = { 'proj/settings.py': `MIDDLEWARE = ${list([AUTH, SESSION])}\n` };
    const old = project({ ...settings, 'requirements.txt': 'Django==3.2.25\n' });
    assert.match((await found(old))[0]!.message, /every request raises AssertionError\("The Django authentication middleware requires session middleware to be installed\. …"\)\. Move/);
    const current = project({ ...settings, 'requirements.txt': 'Django==5.2.1\n' });
    assert.match((await found(current))[0]!.message, /every request raises ImproperlyConfigured\("The Django authentication middleware requires session middleware to be installed\. …"\)\. Move/);
  });

  it('DS209 without any session middleware: each middleware that reads the session, one fix adding it above the first, and no DS211 besides', async () => {
    const root = project({ 'proj/settings.py': `MIDDLEWARE = ${list([SECURITY, COMMON, AUTH, MESSAGES])}\n` }, { 'shop/views.py': VIEW });
    const ds = await found(root);
    assert.deepEqual(ds.map((d) => [d.code, d.range.start.line]), [['DS209', 3], ['DS209', 4]]);
    assert.match(ds[1]!.message, /^MessageMiddleware reads request\.session, but MIDDLEWARE has no session middleware: every request raises ImproperlyConfigured\("The session-based temporary message storage requires session middleware to be installed, and come before the message middleware in the MIDDLEWARE list\."\) \(AssertionError before Django 4\.0\)\. Add 'django\.contrib\.sessions\.middleware\.SessionMiddleware' above it\.$/);
    for (const d of ds) {
      assert.equal(d.fix!.title, 'Add SessionMiddleware before AuthenticationMiddleware');
      assert.equal(fixed(d), `MIDDLEWARE = ${list([SECURITY, COMMON, SESSION, AUTH, MESSAGES])}\n`);
    }
  });

  it('DS209 without any session middleware not where a middleware of the project listed above gives requests their session itself, but still where one is listed after', async () => {
    const classGiver = 'from django.contrib.sessions.backends.db import SessionStore\n\nclass Sessions:\n    def __init__(self, get_response):\n        self.get_response = get_response\n\n    def __call__(self, request):\n        request.session = SessionStore(request.COOKIES.get("sid"))\n        return self.get_response(request)\n';
    const functionGiver = 'def sessions(get_response):\n    def middleware(request):\n        setattr(request, "session", make_session(request))\n        return get_response(request)\n    return middleware\n';
    const codes = async (middleware: string[], code: Record<string, string>) => (await found(project({ 'proj/settings.py': `MIDDLEWARE = ${list(middleware)}\n` }, code))).map((d) => d.code);
    assert.deepEqual(await codes([COMMON, 'shop.middleware.Sessions', AUTH], { 'shop/middleware.py': classGiver }), []);
    assert.deepEqual(await codes(['shop.middleware.sessions', COMMON, AUTH], { 'shop/middleware.py': functionGiver }), []);
    assert.deepEqual(await codes([COMMON, AUTH], { 'shop/views.py': VIEW }), ['DS209']);
    // AuthenticationMiddleware runs before a giver listed below it, and before one MIDDLEWARE does not list at all.
    assert.deepEqual(await codes([COMMON, AUTH, 'shop.middleware.Sessions'], { 'shop/middleware.py': classGiver }), ['DS209']);
    assert.deepEqual(await codes([COMMON, AUTH], { 'shop/middleware.py': classGiver }), ['DS209']);
    assert.deepEqual(await codes([AUTH, SESSION], { 'shop/middleware.py': functionGiver }), ['DS209']);
  });

  it('DS209 for MessageMiddleware only with a session-based MESSAGE_STORAGE, and for CsrfViewMiddleware only with CSRF_USE_SESSIONS', async () => {
    const settingsWith = (extra: string) => project({ 'proj/settings.py': `MIDDLEWARE = ${list([CSRF, MESSAGES, SESSION])}\n${extra}` });
    const messages = async (extra: string) => (await found(settingsWith(extra))).map((d) => d.message.split(' ')[0]);
    assert.deepEqual(await messages(''), ['MessageMiddleware']);
    assert.deepEqual(await messages('MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"\n'), ['MessageMiddleware']);
    assert.deepEqual(await messages('MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"\n'), []);
    assert.deepEqual(await messages('MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"\nCSRF_USE_SESSIONS = True\n'), ['CsrfViewMiddleware']);
    assert.deepEqual(await messages('MESSAGE_STORAGE = "proj.storage.Mine"\nCSRF_USE_SESSIONS = False\n'), []);
    const [csrf] = await found(settingsWith('CSRF_USE_SESSIONS = 1\n'));
    assert.match(csrf!.message, /raises ImproperlyConfigured\("CSRF_USE_SESSIONS is enabled, but request\.session is not set\. SessionMiddleware must appear before CsrfViewMiddleware in MIDDLEWARE\."\)\. Move/);
    assert.equal(fixed(csrf!), `MIDDLEWARE = ${list([SESSION, CSRF, MESSAGES])}\nCSRF_USE_SESSIONS = 1\n`);
  });

  it('DS209 counts a session middleware of another name as one, and moves a list written on one line', async () => {
    const subclass = project({ 'proj/settings.py': `MIDDLEWARE = ${list([SESSION.replace('django.contrib.sessions', 'proj'), AUTH])}\n` });
    assert.deepEqual(await found(subclass), []);
    const root = project({ 'proj/settings.py': `MIDDLEWARE = ['${AUTH}', '${SESSION}', '${COMMON}']\n` });
    const [d] = await found(root);
    assert.equal(fixed(d!), `MIDDLEWARE = ['${SESSION}', '${AUTH}', '${COMMON}']\n`);
    const last = project({ 'proj/settings.py': `MIDDLEWARE = ('${AUTH}', '${SESSION}')\n` });
    assert.equal(fixed((await found(last))[0]!), `MIDDLEWARE = ('${SESSION}', '${AUTH}')\n`);
  });

  it("DS209's and DS210's fixes write the line they add with the settings file's own line ending", async () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    const root = project({ 'proj/settings.py': crlf(`INSTALLED_APPS = ${list(APPS.filter((app) => app !== 'django.contrib.sessions'))}\nMIDDLEWARE = ${list([SECURITY, AUTH, SESSION, COMMON])}\n`) });
    const ds = await found(root);
    assert.deepEqual(ds.map((d) => d.code), ['DS210', 'DS209']);
    for (const d of ds) {
      assert.doesNotMatch(fixed(d), /[^\r]\n/, d.code);
    }
    assert.equal(fixed(ds[1]!), crlf(`INSTALLED_APPS = ${list(APPS.filter((app) => app !== 'django.contrib.sessions'))}\nMIDDLEWARE = ${list([SECURITY, SESSION, AUTH, COMMON])}\n`));
    assert.equal(fixed(ds[0]!), crlf(`INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list([SECURITY, AUTH, SESSION, COMMON])}\n`));
  });

  it("counts the project's own subclass of SessionMiddleware as the session middleware whatever its name, as Django's admin check does", async () => {
    const subclass = 'from django.contrib.sessions import middleware\n\n\nclass PerDomain(middleware.SessionMiddleware):\n    pass\n';
    const grandchild = 'from core.sessions import PerDomain as Base\n\n\nclass Sticky(Base):\n    pass\n';
    const unrelated = 'class NotSessions:\n    pass\n';
    const code = { 'core/__init__.py': '', 'core/sessions.py': subclass, 'core/sticky.py': grandchild, 'core/other.py': unrelated, 'shop/views.py': VIEW };
    const codes = async (middleware: string[], apps = APPS) => (await found(project({ 'proj/settings.py': `INSTALLED_APPS = ${list(apps)}\nMIDDLEWARE = ${list(middleware)}\n` }, code))).map((d) => d.code);
    assert.deepEqual(await codes([SECURITY, 'core.sessions.PerDomain', AUTH, MESSAGES]), []);
    assert.deepEqual(await codes([SECURITY, 'core.sticky.Sticky', AUTH]), []);
    assert.deepEqual(await codes([SECURITY, 'core.sessions.PerDomain', COMMON]), []);
    assert.deepEqual(await codes([SECURITY, 'core.sessions.PerDomain'], APPS.filter((app) => app !== 'django.contrib.sessions')), ['DS210']);
    assert.deepEqual(await codes([SECURITY, AUTH, 'core.sessions.PerDomain']), ['DS209']);
    assert.deepEqual(await codes([SECURITY, 'core.other.NotSessions', AUTH]), ['DS209']);
  });

  it('DS209 on split settings: an item added by += in another module, and one insert() puts first, which has no list to edit', async () => {
    const base = `MIDDLEWARE = ${list([SECURITY, COMMON])}\n`;
    const root = project({
      'proj/settings/__init__.py': '',
      'proj/settings/base.py': base,
      'proj/settings/prod.py': `from .base import *\nMIDDLEWARE += ["${SESSION}"]\nMIDDLEWARE.insert(0, "${AUTH}")\n`,
      'proj/settings/staging.py': `from .base import *\nMIDDLEWARE += [\n    "${AUTH}",\n]\n`,
    });
    fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.prod")\n');
    const ds = await found(root);
    assert.deepEqual(
      ds.map((d) => [path.relative(root, d.file), d.range.start.line, d.fix?.title]),
      [
        ['proj/settings/prod.py', 2, undefined],
        ['proj/settings/staging.py', 2, 'Add SessionMiddleware before AuthenticationMiddleware'],
      ],
    );
    assert.equal(fixed(ds[1]!), `from .base import *\nMIDDLEWARE += [\n    "${SESSION}",\n    "${AUTH}",\n]\n`);
  });

  it('DS209 offers no fix that would put the session middleware above UpdateCacheMiddleware, which must see its Vary: Cookie', async () => {
    const root = project({ 'proj/settings.py': `MIDDLEWARE = ${list([AUTH, 'django.middleware.cache.UpdateCacheMiddleware', SESSION])}\n` });
    const [d] = await found(root);
    assert.equal(d!.code, 'DS209');
    assert.equal(d!.fix, undefined);
  });

  it('DS210: no sessions app under the db engine, Django\'s default, with the app added before messages as its fix', async () => {
    const apps = APPS.filter((app) => app !== 'django.contrib.sessions');
    const root = project({ 'proj/settings.py': `INSTALLED_APPS = ${list(apps)}\nMIDDLEWARE = ${list([SESSION, AUTH])}\n` });
    const [d, ...rest] = await found(root);
    assert.deepEqual(rest, []);
    assert.deepEqual([d!.code, d!.severity, d!.range.start.line], ['DS210', 'error', 0]);
    assert.equal(
      d!.message,
      `INSTALLED_APPS has no 'django.contrib.sessions', the app of the Session model the db session engine stores sessions with: the first request that saves a session, or brings a session cookie, raises RuntimeError("Model class django.contrib.sessions.models.Session doesn't declare an explicit app_label and isn't in an application in INSTALLED_APPS."). Add 'django.contrib.sessions' and run "python manage.py migrate".`,
    );
    assert.equal(fixed(d!), `INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list([SESSION, AUTH])}\n`);
  });

  it('DS210 only under db or cached_db, with a session middleware, and an INSTALLED_APPS wholly known', async () => {
    const apps = `INSTALLED_APPS = ${list(['django.contrib.auth'])}\n`;
    const middleware = `MIDDLEWARE = ${list([SESSION])}\n`;
    const codes = async (settings: string) => (await found(project({ 'proj/settings.py': settings }))).map((d) => d.code);
    assert.deepEqual(await codes(`${apps}${middleware}SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"\n`), ['DS210']);
    assert.deepEqual(await codes(`${apps}${middleware}SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n`), []);
    assert.deepEqual(await codes(`${apps}${middleware}SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n`), []);
    assert.deepEqual(await codes(`${apps}MIDDLEWARE = ${list([COMMON])}\n`), []);
    assert.deepEqual(await codes(`import os\n${apps}INSTALLED_APPS += os.environ["APPS"].split(",")\n${middleware}`), []);
    assert.deepEqual(await codes(`INSTALLED_APPS = ${list(['django.contrib.sessions.apps.SessionsConfig'])}\n${middleware}`), []);
  });

  it("DS211: code that reads request.session under a MIDDLEWARE without a session middleware, at MIDDLEWARE, with Django's place as its fix", async () => {
    const settings = { 'proj/settings.py': `MIDDLEWARE = ${list([SECURITY, COMMON])}\n` };
    const [d, ...rest] = await found(project(settings, { 'shop/views.py': VIEW }));
    assert.deepEqual(rest, []);
    assert.deepEqual([d!.code, d!.severity, d!.range.start.line, d!.range.start.character, d!.range.end.character], ['DS211', 'warning', 0, 0, 10]);
    assert.equal(
      d!.message,
      `MIDDLEWARE has no session middleware, but the project's code reads request.session (first at shop/views.py:2): every request that reaches it raises AttributeError("'WSGIRequest' object has no attribute 'session'") ('ASGIRequest' under ASGI). Add '${SESSION}' to MIDDLEWARE.`,
    );
    assert.equal(fixed(d!), `MIDDLEWARE = ${list([SECURITY, SESSION, COMMON])}\n`);
  });

  it("DS211 not for a test client's session, a test's, a read guarded by hasattr, or a project that gives requests their session itself", async () => {
    const settings = { 'proj/settings.py': `MIDDLEWARE = ${list([COMMON])}\n` };
    const codes = async (code: Record<string, string>) => (await found(project(settings, code))).map((d) => d.code);
    assert.deepEqual(await codes({}), []);
    assert.deepEqual(await codes({ 'shop/tests/test_views.py': 'def test_cart(client, request):\n    client.session["cart"] = 1\n    assert request.session.get("cart")\n' }), []);
    assert.deepEqual(await codes({ 'shop/views.py': 'def cart(request):\n    if hasattr(request, "session"):\n        return request.session.get("cart")\n' }), []);
    assert.deepEqual(await codes({ 'shop/views.py': VIEW, 'shop/middleware.py': 'from django.contrib.sessions.backends.db import SessionStore\n\ndef sessions(get_response):\n    def middleware(request):\n        request.session = SessionStore(request.COOKIES.get("sid"))\n        return get_response(request)\n    return middleware\n' }), []);
    assert.deepEqual(await codes({ 'shop/views.py': VIEW, 'shop/middleware.py': 'def sessions(get_response):\n    def middleware(request):\n        setattr(request, "session", make_session(request))\n        return get_response(request)\n    return middleware\n' }), []);
    assert.deepEqual(await codes({ 'shop/views.py': VIEW }), ['DS211']);
  });

  it('DS211 tells a guard or a giver by the call itself, not by its text in a comment, a docstring or a string', async () => {
    const settings = { 'proj/settings.py': `MIDDLEWARE = ${list([COMMON])}\n` };
    const codes = async (code: Record<string, string>) => (await found(project(settings, code))).map((d) => d.code);
    assert.deepEqual(await codes({ 'shop/views.py': `# Callers check hasattr(request, "session") first.\n${VIEW}` }), ['DS211']);
    assert.deepEqual(await codes({ 'shop/views.py': `def cart(request):\n    """Unlike hasattr(request, 'session'), this raises without one."""\n    return request.session.get("cart", [])\n` }), ['DS211']);
    assert.deepEqual(await codes({ 'shop/views.py': VIEW, 'shop/middleware.py': 'HOW = "setattr(request, \'session\', store) in a middleware of your own"\n# or setattr(request, "session", store)\n' }), ['DS211']);
    assert.deepEqual(await codes({ 'shop/views.py': `${VIEW}\ndef has_session(req):\n    return hasattr(req, "session")\n` }), []);
    assert.deepEqual(await codes({ 'shop/views.py': `${VIEW}\ndef cart_or_none(request):\n    session = getattr(request, "session", None)\n    return session and session.get("cart")\n` }), []);
    assert.deepEqual(await codes({ 'shop/views.py': `${VIEW}\nclass Client:\n    def ready(self):\n        return hasattr(self, "session")\n` }), ['DS211']);
  });

  it('DS211 for a read of the session through getattr without a default, which raises as request.session does', async () => {
    const settings = { 'proj/settings.py': `MIDDLEWARE = ${list([COMMON])}\n` };
    const [d, ...rest] = await found(project(settings, { 'shop/views.py': 'def cart(request):\n    return getattr(request, "session")["cart"]\n' }));
    assert.deepEqual(rest, []);
    assert.match(d!.message, /reads request\.session \(first at shop\/views\.py:2\): /);
  });

  it('DS211 names the first place the code reads the session, in file order, so the settings finding leads to it', async () => {
    const settings = { 'proj/settings.py': `MIDDLEWARE = ${list([COMMON])}\n` };
    const code = { 'shop/views.py': `import json\n\n\n${VIEW}`, 'accounts/views.py': `\n${VIEW}`, 'accounts/tests.py': VIEW };
    const [d] = await found(project(settings, code));
    assert.match(d!.message, /^MIDDLEWARE has no session middleware, but the project's code reads request\.session \(first at accounts\/views\.py:3\): /);
  });

  it('a # noqa on the line silences each, as for the other rules', async () => {
    const root = project({ 'proj/settings.py': `MIDDLEWARE = [\n    "${AUTH}",  # noqa: DS209\n    "${SESSION}",\n]\n` });
    assert.deepEqual(await found(root), []);
  });
});
