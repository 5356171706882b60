// Writes the folder the reusable-app suite (suite/reusableApp.test.ts) runs in: a reusable Django
// app's repository, with its package, the test settings its pytest.ini names and no manage.py,
// wsgi.py or asgi.py, as django-formtools' and mozilla-django-oidc's repositories are.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Writes the folder into a new temporary directory and returns its path. */
export function writeReusableAppWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-reusable-app-'));
  const files = {
    'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = tests.settings\n',
    'cartapp/__init__.py': '',
    'cartapp/views.py': 'def add(request):\n    request.session["cart"] = []\n',
    'tests/__init__.py': '',
    'tests/settings.py': 'SECRET_KEY = "test"\nINSTALLED_APPS = ["django.contrib.sessions", "cartapp"]\nSESSION_COOKIE_AGE = 60\n',
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
