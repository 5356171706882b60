import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject } from '../../engine/src';
import { appliedEdits } from '../unit/engine/analysis/appliedEdits';
import { tempProject } from '../unit/engine/project/tempProject';
import { itOnEachDjango, requireDjango, runInProject } from './realDjango';

/**
 * Calls that take no key, each made by an async view `call_<name>` (see VIEWS): those that query
 * the database, and the last three, which do not.
 */
const CALLS: [string, string][] = [
  ['keys', 'str(request.session.keys())'],
  ['values', 'str(request.session.values())'],
  ['items', 'str(request.session.items())'],
  ['flush', 'request.session.flush()'],
  ['cycle_key', 'request.session.cycle_key()'],
  ['set_expiry', 'request.session.set_expiry(300)'],
  ['get_expiry_age', 'request.session.get_expiry_age()'],
  ['get_expiry_date', 'str(request.session.get_expiry_date())'],
  ['get_expire_at_browser_close', 'request.session.get_expire_at_browser_close()'],
  ['set_test_cookie', 'request.session.set_test_cookie()'],
  ['test_cookie_worked', 'request.session.test_cookie_worked()'],
  ['delete_test_cookie', 'request.session.delete_test_cookie()'],
  ['save', 'request.session.save()'],
  ['create', 'request.session.create()'],
  ['delete', 'request.session.delete()'],
  ['exists', 'request.session.exists(request.session.session_key)'],
  ['load', 'str(request.session.load())'],
  ['clear_expired', 'request.session.clear_expired()'],
  ['clear', 'request.session.clear()'],
  ['is_empty', 'request.session.is_empty()'],
  ['expiry_given', 'request.session.get_expiry_age(expiry=60)'],
];
const LOADING_NOTHING = ['call_clear', 'call_is_empty', 'call_expiry_given'];

/** Async views each touching the session one way; `seed` gives the client a session cookie (and the test cookie) first. */
const VIEWS = `from django.http import JsonResponse


def seed(request):
    request.session["cart"] = [1]
    request.session.set_test_cookie()
    return JsonResponse({})


async def subscript(request):
    return JsonResponse({"cart": request.session["cart"]})


async def subscript_missing(request):
    if request.session["absent"] is not None:
        raise AssertionError("a missing key gave a value")
    return JsonResponse({})


async def get(request):
    return JsonResponse({"cart": request.session.get("cart")})


async def contains(request):
    return JsonResponse({"has": "cart" in request.session})


async def write(request):
    request.session["seen"] = True
    return JsonResponse({})


async def delete(request):
    del request.session["cart"]
    return JsonResponse({})


async def delete_missing(request):
    try:
        del request.session["absent"]
    except KeyError:
        return JsonResponse({})
    raise AssertionError("del of a missing key raised no KeyError")


async def in_keys(request):
    return JsonResponse({"has": "cart" in request.session.keys()})


async def nested_sync(request):
    def read():
        return 1
    return JsonResponse({"n": read()})


async def async_method(request):
    return JsonResponse({"cart": await request.session.aget("cart"), "has": "cart" in await request.session.akeys()})
${CALLS.map(([name, call]) => `\n\nasync def call_${name}(request):\n    return JsonResponse({"v": ${call}})\n`).join('')}`;

const NAMES = ['seed', 'subscript', 'subscript_missing', 'get', 'contains', 'write', 'delete', 'delete_missing', 'in_keys', 'nested_sync', 'async_method', ...CALLS.map(([name]) => `call_${name}`)];

const URLS = `from django.urls import path
from shop import views

urlpatterns = [path(name + "/", getattr(views, name)) for name in ${JSON.stringify(NAMES)}]
`;

/**
 * Each async view requested by a returning visitor, with the cookie `seed` just set: whether it
 * failed, and with what; with `cacheMiss`, the cache is emptied after the seed (cached_db then
 * loads from the database); with `newVisitor`, by a client without a session cookie.
 */
const requests = (visit: 'returning' | 'cacheMiss' | 'newVisitor' = 'returning') => `
import asyncio, json, django
from django.core.cache import cache
from django.core.management import call_command
from django.test import AsyncClient
call_command("migrate", verbosity=0)
views = [name for name in ${JSON.stringify(NAMES)} if name != "seed" and (name != "async_method" or django.VERSION >= (5, 1))]
async def main():
    out = {}
    for name in views:
        client = AsyncClient(raise_request_exception=True)
        ${visit === 'newVisitor' ? 'pass' : 'await client.get("/seed/")'}
        ${visit === 'cacheMiss' ? 'cache.clear()' : 'pass'}
        try:
            await client.get(f"/{name}/")
            out[name] = "ok"
        except Exception as error:
            out[name] = type(error).__name__
    return out
print(json.dumps(asyncio.run(main())))
`;

/** A project serving VIEWS, with `settings` added to its own. */
function shopProject(settings: string[]): string {
  return tempProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': [
      'from pathlib import Path',
      'SECRET_KEY = "blocking-session-access-" + "x" * 30',
      'ALLOWED_HOSTS = ["*"]',
      'ROOT_URLCONF = "proj.urls"',
      'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]',
      'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": Path(__file__).resolve().parent.parent / "db.sqlite3"}}',
      ...settings,
      '',
    ].join('\n'),
    'proj/urls.py': URLS,
    'shop/__init__.py': '',
    'shop/views.py': VIEWS,
  });
}

/** The view a line of VIEWS is in. */
function viewAt(line: number): string {
  const lines = VIEWS.split('\n');
  return /^(?:async )?def (\w+)/.exec(lines.slice(0, line + 1).reverse().find((l) => /^(?:async )?def /.test(l))!)![1]!;
}

describe('DS113: a synchronous session access in an async view, against real Django', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  itOnEachDjango(async (djangoPath) => {
    // No SESSION_ENGINE: Django's default, the db engine.
    const dir = shopProject([]);
    try {
      const django = JSON.parse(runInProject(dir, requests(), djangoPath)) as Record<string, string>;
      const failing = Object.keys(django).filter((view) => django[view] !== 'ok');
      const blocking = CALLS.map(([name]) => `call_${name}`).filter((view) => !LOADING_NOTHING.includes(view));
      assert.deepEqual(failing.sort(), ['contains', 'delete', 'delete_missing', 'get', 'in_keys', 'subscript', 'subscript_missing', 'write', ...blocking].sort());
      assert.ok(failing.every((view) => django[view] === 'SynchronousOnlyOperation'), JSON.stringify(django));

      const found = (await lintProject(dir, { env: {} })).filter((d) => d.code === 'DS113');
      assert.deepEqual(found.map((d) => viewAt(d.range.start.line)).sort(), failing.sort());
      assert.ok(found.every((d) => d.severity === 'error'));
      if (djangoPath === undefined) {
        return;
      }
      // Django 5.2 has the async methods: with the fixes applied, each view works, for a returning visitor; a subscript read of a missing key, as aget(), gives None as its fix says.
      assert.ok(found.every((d) => d.fix), JSON.stringify(found.filter((d) => !d.fix)));
      assert.match(found.find((d) => viewAt(d.range.start.line) === 'subscript_missing')!.fix!.title, /^Use await request\.session\.aget\("absent"\) \(gives None where \["absent"\] raised KeyError\)$/);
      const views = path.join(dir, 'shop', 'views.py');
      fs.writeFileSync(views, appliedEdits(VIEWS, found.flatMap((d) => d.fix?.edits ?? [])));
      const fixed = JSON.parse(runInProject(dir, requests(), djangoPath)) as Record<string, string>;
      assert.deepEqual(Object.keys(fixed).filter((view) => fixed[view] !== 'ok'), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DS113 under cached_db, against real Django', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  itOnEachDjango(async (djangoPath) => {
    const dir = shopProject(['SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"', 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}']);
    try {
      // A new visitor's view may fail otherwise (a KeyError for a key it has not set): only the refused query counts.
      const failingWhen = (visit: 'returning' | 'cacheMiss' | 'newVisitor') => {
        const django = JSON.parse(runInProject(dir, requests(visit), djangoPath)) as Record<string, string>;
        return Object.keys(django).filter((view) => django[view] === 'SynchronousOnlyOperation');
      };
      const newVisitor = failingWhen('newVisitor');
      const found = (await lintProject(dir, { env: {} })).filter((d) => d.code === 'DS113');
      const views = (severity: string) => found.filter((d) => d.severity === severity).map((d) => viewAt(d.range.start.line));
      // What fails though the cache holds the session, or for a visitor without a cookie, is an error; what fails only when the cache misses, a warning.
      assert.deepEqual(views('error').sort(), [...new Set([...failingWhen('returning'), ...newVisitor])].sort());
      assert.deepEqual([...views('error'), ...views('warning')].sort(), [...new Set([...failingWhen('cacheMiss'), ...newVisitor])].sort());
      assert.ok(['call_load', 'call_exists'].every((view) => newVisitor.includes(view) && views('error').includes(view)), JSON.stringify(newVisitor));
      assert.ok(views('warning').length > 0 && views('error').length > 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
