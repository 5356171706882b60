import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject } from '../../engine/src';
import { appliedEdits } from '../unit/engine/analysis/appliedEdits';
import { tempProject } from '../unit/engine/project/tempProject';
import { itOnEachDjango, requireDjango, runInProject } from './realDjango';

/** Async views each touching the session one way; `seed` gives the client a session cookie first. */
const VIEWS = `from django.http import JsonResponse


def seed(request):
    request.session["cart"] = [1]
    return JsonResponse({})


async def subscript(request):
    return JsonResponse({"cart": request.session["cart"]})


async def get(request):
    return JsonResponse({"cart": request.session.get("cart")})


async def contains(request):
    return JsonResponse({"has": "cart" in request.session})


async def write(request):
    request.session["seen"] = True
    return JsonResponse({})


async def nested_sync(request):
    def read():
        return 1
    return JsonResponse({"n": read()})


async def async_method(request):
    return JsonResponse({"cart": await request.session.aget("cart")})
`;

const URLS = `from django.urls import path
from shop import views

urlpatterns = [path(name + "/", getattr(views, name)) for name in ("seed", "subscript", "get", "contains", "write", "nested_sync", "async_method")]
`;

/** Each async view requested with the cookie `seed` set: whether it failed, and with what. */
const REQUESTS = `
import asyncio, json, django
from django.core.management import call_command
from django.test import AsyncClient
call_command("migrate", verbosity=0)
views = ["subscript", "get", "contains", "write", "nested_sync"] + (["async_method"] if django.VERSION >= (5, 0) else [])
async def main():
    client = AsyncClient(raise_request_exception=True)
    await client.get("/seed/")
    out = {}
    for name in views:
        try:
            await client.get(f"/{name}/")
            out[name] = "ok"
        except Exception as error:
            out[name] = type(error).__name__
    return out
print(json.dumps(asyncio.run(main())))
`;

describe('DS113: a synchronous session access in an async view, against real Django', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  itOnEachDjango(async (djangoPath) => {
    const dir = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/__init__.py': '',
      // No SESSION_ENGINE: Django's default, the db engine.
      'proj/settings.py': [
        'from pathlib import Path',
        'SECRET_KEY = "blocking-session-access-" + "x" * 30',
        'ALLOWED_HOSTS = ["*"]',
        'ROOT_URLCONF = "proj.urls"',
        'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]',
        'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]',
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": Path(__file__).resolve().parent.parent / "db.sqlite3"}}',
        '',
      ].join('\n'),
      'proj/urls.py': URLS,
      'shop/__init__.py': '',
      'shop/views.py': VIEWS,
    });
    try {
      const django = JSON.parse(runInProject(dir, REQUESTS, djangoPath)) as Record<string, string>;
      const failing = Object.keys(django).filter((view) => django[view] !== 'ok');
      assert.deepEqual(failing.sort(), ['contains', 'get', 'subscript', 'write']);
      assert.ok(failing.every((view) => django[view] === 'SynchronousOnlyOperation'), JSON.stringify(django));

      const lines = VIEWS.split('\n');
      const viewAt = (line: number) => /^(?:async )?def (\w+)/.exec(lines.slice(0, line + 1).reverse().find((l) => /^(?:async )?def /.test(l))!)![1]!;
      const found = (await lintProject(dir, { env: {} })).filter((d) => d.code === 'DS113');
      assert.deepEqual(found.map((d) => viewAt(d.range.start.line)).sort(), failing.sort());
      assert.ok(found.every((d) => d.severity === 'error'));
      if (djangoPath === undefined) {
        return;
      }
      // Django 5.2 has the async methods: with the fixes applied, each view a fix is offered for works.
      const views = path.join(dir, 'shop', 'views.py');
      fs.writeFileSync(views, appliedEdits(VIEWS, found.flatMap((d) => d.fix?.edits ?? [])));
      const fixed = JSON.parse(runInProject(dir, REQUESTS, djangoPath)) as Record<string, string>;
      const unfixed = found.filter((d) => !d.fix).map((d) => viewAt(d.range.start.line));
      assert.deepEqual(unfixed, ['subscript']);
      assert.deepEqual(Object.keys(fixed).filter((view) => fixed[view] !== 'ok'), unfixed);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
