import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a generated project holds, so tests and the benchmark can check a scan exactly. */
export interface LargeProjectManifest {
  root: string;
  pythonFiles: number;
  /** Files the index must skip (migrations, a virtualenv). */
  skippedFiles: number;
  usages: number;
  unresolved: number;
  testUsages: number;
  keys: Set<string>;
}

const FILES_PER_APP = 10;

/**
 * Writes a Django project shaped like real ones: split settings, many apps each with views,
 * constants, models, forms, urls, admin, services, tests and migrations, plus a virtualenv.
 * Deterministic, so expected counts are computed while writing.
 */
export function generateLargeProject(root: string, pythonFiles: number): LargeProjectManifest {
  const manifest: LargeProjectManifest = { root, pythonFiles: 0, skippedFiles: 0, usages: 0, unresolved: 0, testUsages: 0, keys: new Set() };
  const write = (relative: string, text: string): void => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    if (file.endsWith('.py')) {
      manifest.pythonFiles++;
    }
  };
  write('manage.py', 'import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n');
  write('config/__init__.py', '');
  write('config/settings/__init__.py', '');
  write('config/settings/base.py', baseSettings());
  write('config/settings/dev.py', 'from .base import *  # noqa\n\nDEBUG = True\nSESSION_COOKIE_SECURE = False\n');
  write('config/settings/prod.py', 'from .base import *  # noqa\n\nDEBUG = False\nSESSION_COOKIE_SECURE = True\n');
  write('config/urls.py', 'from django.urls import include, path\n\nurlpatterns = []\n');
  const apps = Math.max(1, Math.ceil((pythonFiles - manifest.pythonFiles) / FILES_PER_APP));
  for (let a = 0; a < apps; a++) {
    const app = `app${String(a).padStart(4, '0')}`;
    write(`${app}/__init__.py`, '');
    write(`${app}/constants.py`, constants(app));
    write(`${app}/models.py`, models(app));
    write(`${app}/forms.py`, forms(app));
    write(`${app}/urls.py`, `from django.urls import path\n\nfrom . import views\n\napp_name = "${app}"\nurlpatterns = [\n    path("", views.index, name="index"),\n    path("add/<int:pk>/", views.add, name="add"),\n]\n`);
    write(`${app}/admin.py`, `from django.contrib import admin\n\nfrom .models import Item\n\n\n@admin.register(Item)\nclass ItemAdmin(admin.ModelAdmin):\n    list_display = ("name", "price")\n`);
    write(`${app}/services.py`, services(app));
    write(`${app}/views.py`, views(app));
    // `+=` on a key both reads and sets it; a comprehension's or lambda's own `session` is none.
    manifest.usages += 15;
    manifest.unresolved += 1;
    for (const key of [`${app}_cart`, `${app}_step`, `${app}_seen`, `${app}_filter`, `${app}_tags`, 'theme', 'visits', '_auth_user_id']) {
      manifest.keys.add(key);
    }
    write(`${app}/tests/__init__.py`, '');
    write(`${app}/tests/test_views.py`, tests(app));
    // A session replaced by a test double is still used; a `requests` session in another test hides only its own.
    manifest.usages += 3;
    manifest.testUsages += 3;
    write(`${app}/migrations/0001_initial.py`, 'from django.db import migrations\n\n\ndef forwards(apps, schema_editor):\n    request.session["migration_only"] = 1\n\n\nclass Migration(migrations.Migration):\n    dependencies = []\n    operations = [migrations.RunPython(forwards)]\n');
    manifest.skippedFiles++;
    manifest.pythonFiles--;
  }
  write('.venv/pyvenv.cfg', 'home = /usr/bin\n');
  write('.venv/lib/python3.11/site-packages/pkg/sessions.py', 'def f(request):\n    request.session["venv_only"] = 1\n');
  manifest.skippedFiles++;
  manifest.pythonFiles--;
  return manifest;
}

function baseSettings(): string {
  return `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = "large-project-secret"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
SESSION_COOKIE_AGE = 60 * 60 * 8
`;
}

function constants(app: string): string {
  return `"""Keys and limits of ${app}."""\nfrom typing import Final\n\nCART_KEY = "${app}_cart"\nSTEP_KEY: Final = "${app}_step"\nPAGE_SIZE = 25\nMAX_ITEMS = 100\n`;
}

function models(app: string): string {
  return `from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "${app}"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Order(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField(default=1)

    def total(self):
        return self.item.price * self.quantity
`;
}

function forms(app: string): string {
  return `from django import forms

from .models import Item


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["name", "price"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("A name is required for ${app}.")
        return name
`;
}

function services(app: string): string {
  return `import logging

from .models import Item, Order

logger = logging.getLogger(__name__)


def price_of(items):
    total = 0
    for item in items:
        total += item.price
    logger.debug("priced %d items in ${app}", len(items))
    return total


def place_order(item_id, quantity):
    item = Item.objects.get(pk=item_id)
    return Order.objects.create(item=item, quantity=quantity)
`;
}

function views(app: string): string {
  return `from django.contrib.auth import SESSION_KEY
from django.shortcuts import get_object_or_404, redirect, render

from .constants import CART_KEY, PAGE_SIZE, STEP_KEY
from .models import Item


def index(request):
    cart = request.session.get(CART_KEY, {})
    user_id = request.session.get(SESSION_KEY)
    request.session["visits"] += 1
    items = Item.objects.all()[:PAGE_SIZE]
    return render(request, "${app}/index.html", {"items": items, "cart": cart, "user": user_id})


def add(request, pk):
    item = get_object_or_404(Item, pk=pk)
    cart = request.session.get(CART_KEY, {})
    cart[str(item.pk)] = cart.get(str(item.pk), 0) + 1
    request.session[CART_KEY] = cart
    return redirect("${app}:index")


class CheckoutView:
    SEEN_KEY = "${app}_seen"

    def get(self, request):
        request.session[STEP_KEY] = 1
        self.request.session[self.SEEN_KEY] = True
        if "theme" in request.session:
            return request.session["theme"]
        return None

    def post(self, request, name):
        session = request.session
        session.setdefault("${app}_filter", "all")
        session.pop(STEP_KEY, None)
        session[name] = 1
        ranked = sorted(session.get("${app}_filter", []), key=lambda session: session["rank"])
        tags = [session.strip() for session in name.split(",")]
        session["${app}_tags"] = ranked + tags
        return session.get("${app}_filter")
`;
}

function tests(app: string): string {
  return `from unittest.mock import MagicMock

import requests
from django.test import RequestFactory, TestCase


class ViewTests(TestCase):
    def test_theme(self):
        session = self.client.session
        session["theme"] = "dark"
        session.save()
        response = self.client.get("/${app}/")
        self.assertEqual(self.client.session.get("theme"), "dark")
        self.assertEqual(response.status_code, 200)

    def test_double(self):
        request = RequestFactory().get("/${app}/")
        request.session = MagicMock()
        request.session.get("theme")

    def test_api(self):
        request = RequestFactory().get("/${app}/")
        request.session = requests.Session()
        request.session.get("https://example.com/${app}/")
`;
}
