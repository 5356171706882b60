import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

function project(files: Record<string, string>): string {
  return tempProject(files, 'djs-lint-scope-');
}

const MANAGE = (module: string) => `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}")\n`;

async function codes(root: string): Promise<string[]> {
  return (await lintProject(root, { env: {} })).map((d) => `${path.relative(root, d.file)} ${d.code}`);
}

describe('settings lint: which settings, which rules', () => {
  it('lints every settings module the project can run with, not only the one manage.py names', async () => {
    const root = project({
      'manage.py': MANAGE('site.settings.dev'),
      'site/__init__.py': '',
      'site/settings/__init__.py': '',
      'site/settings/base.py': 'SECRET_KEY = "x"\nCACHES = {"sessions": {"BACKEND": "django_redis.cache.RedisCache"}}\n',
      'site/settings/dev.py': 'from .base import *\nDEBUG = True\n',
      'site/settings/prod.py': 'from .base import *\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nSESSION_CACHE_ALIAS = "sesions"\nSESSION_COOKIE_SAMESITE = "Relaxed"\n',
    });
    const found = await codes(root);
    assert.ok(found.includes('site/settings/prod.py DS204'), found.join('\n'));
    assert.ok(found.includes('site/settings/prod.py DS203'), found.join('\n'));
  });

  it("leaves check --deploy and DS205 out of a test run's and a developer's settings beside others, and judges only the settings named with --settings", async () => {
    const insecure = 'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\n';
    const root = project({
      'manage.py': MANAGE('site.settings.production'),
      'site/__init__.py': '',
      'site/settings/__init__.py': '',
      'site/settings/production.py': `${insecure}SESSION_COOKIE_SECURE = True\nCACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://r:6379/0"}}\n`,
      'site/settings/test.py': insecure,
      'site/settings/local.py': `${insecure}SESSION_COOKIE_AGEE = 1\n`,
    });
    assert.deepEqual(await codes(root), ['site/settings/local.py DS201']);
    const named = (await lintProject(root, { env: {}, settingsModule: 'site.settings.test' })).map((d) => `${path.relative(root, d.file)} ${d.code}`);
    assert.deepEqual(named, ['site/settings/test.py security.W012', 'site/settings/test.py DS205']);
    // The module manage.py names is judged whatever its name (CVAT's development).
    fs.writeFileSync(path.join(root, 'manage.py'), MANAGE('site.settings.local'));
    assert.deepEqual(await codes(root), ['site/settings/local.py security.W012', 'site/settings/local.py DS205', 'site/settings/local.py DS201']);
  });

  it('gives DS205 for a per-process cache as information where the settings run with DEBUG = True, and a DummyCache under the cache engine still as an error', async () => {
    const root = project({
      'manage.py': MANAGE('site.settings.local'),
      'site/__init__.py': '',
      'site/settings/__init__.py': '',
      'site/settings/base.py': 'SECRET_KEY = "x"\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}}\n',
      'site/settings/local.py': 'from .base import *\nDEBUG = True\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\n',
      'site/settings/production.py': 'from .base import *\nDEBUG = False\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\n',
    });
    const ds205 = async () => (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS205').map((d) => `${path.relative(root, d.file)} ${d.severity} ${d.message.includes('Information only: these settings run with DEBUG = True')}`);
    assert.deepEqual(await ds205(), ['site/settings/local.py information true', 'site/settings/production.py warning false']);
    fs.writeFileSync(path.join(root, 'site/settings/local.py'), 'from .base import *\nDEBUG = True\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}\n');
    assert.deepEqual(await ds205(), ['site/settings/local.py error false', 'site/settings/production.py warning false']);
  });

  it("does not call a cache LocMemCache when its backend is not known statically", async () => {
    const root = project({
      'manage.py': MANAGE('site.settings'),
      'site/__init__.py': '',
      'site/settings.py': 'import environ\nenv = environ.Env()\nSECRET_KEY = "x"\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": env.cache("REDIS_URL")}\n',
    });
    assert.ok(!(await codes(root)).some((c) => c.endsWith('DS205')));
  });

  it("keeps a SESSION_* setting the project's own code or its settings read, and reports one nothing reads", async () => {
    const root = project({
      'manage.py': MANAGE('site.settings'),
      'site/__init__.py': '',
      // GeoNode's flag, read by the settings themselves; a name only assigned, or only passed by keyword, is read by nothing.
      'site/settings.py':
        'SECRET_KEY = "x"\nSESSION_IDLE_TIMEOUT = 900\nSESSION_COOKIE_AGEE = 60\nSESSION_EXPIRED_CONTROL = True\nif SESSION_EXPIRED_CONTROL:\n    MIDDLEWARE = ["site.middleware.Control"]\nSESSION_KW = 1\nOPTIONS = dict(SESSION_KW=2)\n',
      'site/middleware.py': 'from django.conf import settings\n\ndef idle(request):\n    return settings.SESSION_IDLE_TIMEOUT\n',
    });
    const ds201 = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS201').map((d) => d.setting);
    assert.deepEqual(ds201, ['SESSION_COOKIE_AGEE', 'SESSION_KW']);
  });
});

describe('DS106: a literal that duplicates a constant', () => {
  it("points application code at an application constant, never at a test module's, and leaves a test's literal beside its own constant alone", async () => {
    const root = project({
      'app/banner.py': 'def dismiss(request):\n    request.session["banner_dismissed"] = True\n',
      'app/tests/test_views.py': 'BANNER_KEY = "banner_dismissed"\n\ndef test_banner(client):\n    assert client.session.get(BANNER_KEY)\n    assert client.session["banner_dismissed"]\n',
    });
    const found = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS106').map((d) => path.relative(root, d.file));
    assert.deepEqual(found, []);
  });

  it('leaves literals in tests alone, which pin the stored name on purpose, and names the constant by its path in the folder', async () => {
    const root = project({
      'app/auth/__init__.py': 'SESSION_KEY = "_user_id"\n',
      'app/views.py': 'from app.auth import SESSION_KEY\n\ndef login(request, user):\n    request.session[SESSION_KEY] = user.pk\n\ndef who(request):\n    return request.session["_user_id"]\n',
      'app/tests/test_login.py': 'from app.auth import SESSION_KEY\n\ndef test_login(client):\n    assert "_user_id" in client.session\n    assert client.session["_user_id"] == client.session[SESSION_KEY]\n',
    });
    const found = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS106').map((d) => [path.relative(root, d.file), d.message]);
    assert.deepEqual(found, [['app/views.py', "'_user_id' duplicates the constant SESSION_KEY (app/auth/__init__.py); use SESSION_KEY so the key is named in one place."]]);
  });
});

describe('DS101 on keys written where the index does not count usages', () => {
  it("takes writes through a helper's session parameter and Channels' scope['session'] as writes, and an injected HTTP session is not Django's", async () => {
    const root = project({
      'shop/helpers.py': 'def set_currency(session, code):\n    session["currency"] = code\n',
      'shop/consumers.py': 'class Room:\n    def join(self, name):\n        self.scope["session"]["room"] = name\n',
      'shop/views.py': [
        'import requests',
        '',
        'def view(request):',
        '    return request.session.get("currency", "EUR"), request.session["room"], request.session["coupon"]',
        '',
        'class PaymentsClient:',
        '    def __init__(self, session=None):',
        '        self.session = session or requests.Session()',
        '',
        '    def status(self):',
        '        return self.session.get("https://api.example.com/status")',
        '',
      ].join('\n'),
    });
    const unwritten = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS101').map((d) => d.message.match(/'([^']+)'/)?.[1]);
    assert.deepEqual(unwritten, ['coupon']);
  });

  it("takes a helper's writes by constant and by method as writes, and its reads as reads", async () => {
    const root = project({
      'shop/keys.py': 'CART = "cart"\n',
      'shop/helpers.py': [
        'from shop.keys import CART',
        '',
        'async def remember(session, user):',
        '    session[CART] = []',
        '    session.setdefault("sd", 1)',
        '    session.update({"up": 1})',
        '    await session.aset("as", 1)',
        '',
        'def cart_of(session: "SessionBase"):',
        '    return session.get("written_by_view")',
        '',
        'def with_closure(session):',
        '    def inner():',
        '        session["closure"] = 1',
        '    return inner',
        '',
        'def webhook(payload):',
        '    payload["session"]["token"] = "x"',
        '',
        'def unrelated(store):',
        '    session = store.session_factory()',
        '    return session["not_a_key"]',
        '',
      ].join('\n'),
      'shop/views.py': [
        'from shop.keys import CART',
        '',
        'def view(request):',
        '    request.session["written_by_view"] = 1',
        '    return request.session[CART], request.session["sd"], request.session["up"], request.session["as"], request.session["closure"], request.session["token"], request.session["missing"]',
        '',
      ].join('\n'),
    });
    const findings = await lintProject(root, { env: {} });
    const keysOf = (code: string) => findings.filter((d) => d.code === code).map((d) => d.message.match(/'([^']+)'/)?.[1]);
    assert.deepEqual(keysOf('DS101'), ['token', 'missing'], "a payload's 'session' entry is no Channels scope");
    assert.deepEqual(keysOf('DS102'), [], "the helper's read answers the view's write");
  });
});

describe("check --deploy's quick fix", () => {
  it("replaces a literal with True, but not a value read from the environment (DefectDojo's env('DD_SESSION_COOKIE_SECURE', default=False))", async () => {
    const base = 'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
    const fixes = async (line: string) => {
      const root = project({ 'manage.py': MANAGE('site.settings'), 'site/__init__.py': '', 'site/settings.py': `import environ\nenv = environ.Env()\n${base}${line}\n` });
      return (await lintProject(root, { env: {} })).filter((d) => d.code === 'security.W012').map((d) => d.fix?.title ?? 'no fix');
    };
    assert.deepEqual(await fixes('SESSION_COOKIE_SECURE = False'), ['Set SESSION_COOKIE_SECURE = True']);
    assert.deepEqual(await fixes('SESSION_COOKIE_SECURE = env.bool("DD_SESSION_COOKIE_SECURE", default=False)'), ['no fix']);
  });
});

describe("check --deploy's quick fix where the setting is not set", () => {
  it('adds it before a trailing import of local overrides, so a deployment still has the last word (Arches)', async () => {
    const base = 'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
    const edit = async (tail: string) => {
      const root = project({ 'manage.py': MANAGE('site.settings'), 'site/__init__.py': '', 'site/settings.py': `${base}${tail}` });
      const fix = (await lintProject(root, { env: {} })).find((d) => d.code === 'security.W012')?.fix?.edits[0];
      return fix && [fix.range.start.line, fix.newText];
    };
    assert.deepEqual(await edit('try:\n    from .settings_local import *  # noqa\nexcept ImportError:\n    pass\n'), [3, 'SESSION_COOKIE_SECURE = True\n']);
    assert.deepEqual(await edit('DEBUG = False\n'), [4, 'SESSION_COOKIE_SECURE = True\n']);
  });
});

describe('deploy checks on a list known to hold only some apps', () => {
  it('judges the sessions app absent where no way installs it, until the list grows by what cannot be read', async () => {
    const settings = (tail: string) =>
      `import json, os\nSECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.sessions.apps.SessionsConfig"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\ntry:\n    import debug_toolbar\n    INSTALLED_APPS = list(INSTALLED_APPS) + ["debug_toolbar"]\nexcept ImportError:\n    pass\n${tail}`;
    const deploy = async (tail: string) => {
      const root = project({ 'manage.py': MANAGE('site.settings'), 'site/__init__.py': '', 'site/settings.py': settings(tail) });
      return (await lintProject(root, { env: {} })).map((d) => d.code).filter((code) => code.startsWith('security.'));
    };
    assert.deepEqual(await deploy(''), ['security.W011']);
    assert.deepEqual(await deploy('INSTALLED_APPS.append(os.environ["EXTRA_APP"])\n'), []);
    assert.deepEqual(await deploy('INSTALLED_APPS += json.loads(os.environ["EXTRA_APPS"])\n'), []);
    // Branches that share no app, then an append of the sessions app: the app is there (W012).
    const root = project({
      'manage.py': MANAGE('site.settings'),
      'site/__init__.py': '',
      'site/settings.py': 'import socket\nSECRET_KEY = "x"\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\nif socket.gethostname() == "prod":\n    INSTALLED_APPS = ["a"]\nelse:\n    INSTALLED_APPS = ["b"]\nINSTALLED_APPS.append("django.contrib.sessions")\n',
    });
    assert.deepEqual((await lintProject(root, { env: {} })).map((d) => d.code).filter((code) => code.startsWith('security.')), ['security.W012']);
  });
});

describe('DS103 where the serializer is not known', () => {
  it("judges under JSON where the settings name none, and not where they cannot be read or name one that cannot be told (authentik pickles)", async () => {
    const view = { 'shop/views.py': 'import datetime\n\ndef view(request):\n    request.session["at"] = datetime.datetime.now()\n    return request.session["at"]\n' };
    const ds103 = async (files: Record<string, string>) => (await lintProject(project({ ...view, ...files }), { env: {} })).filter((d) => d.code === 'DS103').length;
    const settings = (body: string) => ({ 'manage.py': MANAGE('site.settings'), 'site/__init__.py': '', 'site/settings.py': `import os\nSECRET_KEY = "x"\nSESSION_ENGINE = os.environ["ENGINE"]\n${body}` });
    assert.equal(await ds103({}), 1, 'no project: JSON, Django’s default');
    assert.equal(await ds103(settings('')), 1, 'an engine that cannot be read, no serializer named: JSON');
    assert.equal(await ds103(settings('SESSION_SERIALIZER = os.environ["SERIALIZER"]\n')), 0);
    assert.equal(await ds103({ 'manage.py': MANAGE('site.missing') }), 0, 'settings that cannot be found');
  });
});
