import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject, type LintDiagnostic } from '../../engine/src';
import { appliedEdits } from '../unit/engine/analysis/appliedEdits';
import { APPS, AUTH, COMMON, CSRF, list, MESSAGES, SESSION } from '../unit/engine/analysis/middlewareSettings';
import { tempProject } from '../unit/engine/project/tempProject';
import { itOnEachDjango, requireDjango, runInProject } from './realDjango';

const HEAD = [
  'SECRET_KEY = "session-wiring-0123456789abcdefghijklmnopqrstuvwxyz"',
  'ALLOWED_HOSTS = ["testserver"]',
  'ROOT_URLCONF = "proj.urls"',
  'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}',
].join('\n');

/** Settings a rule reports, each with its code: Django fails every request as the message says. */
const REPORTED: Record<string, { code: string; settings: string }> = {
  'AuthenticationMiddleware above SessionMiddleware': { code: 'DS209', settings: `INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list([AUTH, SESSION])}\n` },
  'MessageMiddleware (default FallbackStorage) without a session middleware': { code: 'DS209', settings: `INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list([COMMON, MESSAGES])}\n` },
  'CsrfViewMiddleware above SessionMiddleware with CSRF_USE_SESSIONS': { code: 'DS209', settings: `INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list([CSRF, SESSION])}\nCSRF_USE_SESSIONS = True\n` },
  'no sessions app under the default db engine': { code: 'DS210', settings: `INSTALLED_APPS = ${list(APPS.filter((app) => app !== 'django.contrib.sessions'))}\nMIDDLEWARE = ${list([SESSION])}\n` },
  'a view reading request.session without a session middleware': { code: 'DS211', settings: `INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list([COMMON])}\n` },
};

/** Shapes no rule reports, which Django serves. */
const ACCEPTED = [
  // Cookie-based messages and CSRF tokens read no session; a session middleware of the project's own name gives one.
  `INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list([MESSAGES, CSRF, 'shop.middleware.StickySessionMiddleware', AUTH])}\nMESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"\n`,
  // The project's own subclass of SessionMiddleware gives a session whatever its name.
  `INSTALLED_APPS = ${list(APPS)}\nMIDDLEWARE = ${list(['shop.middleware.PerDomain', AUTH, MESSAGES])}\n`,
  // The cache engine keeps no model, so it needs no sessions app.
  `INSTALLED_APPS = ${list(['django.contrib.contenttypes'])}\nMIDDLEWARE = ${list([SESSION])}\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\n`,
];

const FILES = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'proj/__init__.py': '',
  'proj/urls.py': 'from django.urls import path\nfrom shop import views\n\nurlpatterns = [path("cart/", views.cart)]\n',
  'shop/__init__.py': '',
  'shop/views.py': 'from django.http import HttpResponse\n\n\ndef cart(request):\n    request.session["cart"] = request.session.get("cart", 0) + 1\n    return HttpResponse(str(request.session["cart"]))\n',
  'shop/middleware.py': 'from django.contrib.sessions.middleware import SessionMiddleware\n\n\nclass StickySessionMiddleware(SessionMiddleware):\n    pass\n\n\nclass PerDomain(StickySessionMiddleware):\n    pass\n',
};

/** Two requests to the cart through Django's test client (the second with the cookie the first set): each one's status, or what it raised. */
function requests(root: string, djangoPath: string | undefined): string[] {
  const code = [
    'import json',
    'from django.core.management import call_command',
    'call_command("migrate", verbosity=0)',
    'from django.test import Client',
    'client = Client(raise_request_exception=True)',
    'out = []',
    'for _ in range(2):',
    '    try:',
    '        out.append(str(client.get("/cart/").status_code))',
    '    except Exception as e:',
    '        out.append(f"{type(e).__name__}: {e}")',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(runInProject(root, code, djangoPath)) as string[];
}

async function wiring(root: string): Promise<LintDiagnostic[]> {
  return (await lintProject(root, { env: {} })).filter((d) => ['DS209', 'DS210', 'DS211'].includes(d.code));
}

describe('DS209–DS211 against real Django: the request fails as the message says, and serves once the fix is applied', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  for (const [name, { code, settings }] of Object.entries(REPORTED)) {
    describe(name, () => {
      itOnEachDjango(async (djangoPath) => {
        const version = djangoPath ? '5.2.17' : '3.2.25';
        const root = tempProject({ ...FILES, 'requirements.txt': `Django==${version}\n`, 'proj/settings.py': `${HEAD}\n${settings}` }, 'djs-wiring-');
        try {
          const found = await wiring(root);
          assert.deepEqual(found.map((d) => d.code), [code]);
          const [, raised, quoted] = /raises (\w+)\("(.*?)(?: …)?"\)/.exec(found[0]!.message) ?? [];
          const django = requests(root, djangoPath);
          assert.ok(django[0]!.startsWith(`${raised}: ${quoted}`), `Django said ${django[0]}, the message ${found[0]!.message}`);
          const settingsFile = path.join(root, 'proj/settings.py');
          fs.writeFileSync(settingsFile, appliedEdits(fs.readFileSync(settingsFile, 'utf8'), found[0]!.fix!.edits));
          assert.deepEqual(requests(root, djangoPath), ['200', '200']);
          assert.deepEqual(await wiring(root), []);
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      });
    });
  }

  describe('shapes no rule reports', () => {
    itOnEachDjango(async (djangoPath) => {
      for (const settings of ACCEPTED) {
        const root = tempProject({ ...FILES, 'proj/settings.py': `${HEAD}\n${settings}` }, 'djs-wiring-');
        try {
          assert.deepEqual(requests(root, djangoPath), ['200', '200']);
          assert.deepEqual(await wiring(root), []);
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      }
    });
  });
});
