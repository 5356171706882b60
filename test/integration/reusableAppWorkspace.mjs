// Writes the folder the reusable-app suite (suite/reusableApp.test.ts) runs in: a reusable Django
// app's repository, with its package, the test settings its pytest.ini names and no manage.py,
// wsgi.py or asgi.py, as django-formtools' and mozilla-django-oidc's repositories are.
import { writeTempFolder } from './tempFolder.mjs';

/** Writes the folder into a new temporary directory and returns its path. */
export function writeReusableAppWorkspace() {
  return writeTempFolder('djs-reusable-app-', {
    'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = tests.settings\n',
    'cartapp/__init__.py': '',
    'cartapp/views.py': 'def add(request):\n    request.session["cart"] = []\n',
    'tests/__init__.py': '',
    'tests/settings.py': 'SECRET_KEY = "test"\nINSTALLED_APPS = ["django.contrib.sessions", "cartapp"]\nSESSION_COOKIE_AGE = 60\n',
  });
}
