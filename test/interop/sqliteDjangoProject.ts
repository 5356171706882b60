import { tempProject } from '../unit/engine/project/tempProject';
import { runInProject } from './realDjango';

/**
 * A Django project `proj` of `djangoPath`'s Django (3.2 when undefined), pinned in its
 * requirements, whose db sessions live in SQLite beside its settings; `secretKey` is the Python
 * expression of its SECRET_KEY and `settings` are further lines of its settings module.
 */
export function sqliteDjangoProject(secretKey: string, settings: string[], djangoPath: string | undefined): string {
  return tempProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': [
      'import os',
      `SECRET_KEY = ${secretKey}`,
      'INSTALLED_APPS = ["django.contrib.sessions"]',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(os.path.dirname(__file__), "db.sqlite3")}}',
      ...settings,
      '',
    ].join('\n'),
    'requirements.txt': `Django==${djangoPath ? '5.2' : '3.2.25'}\n`,
  });
}

/** The repr of the value Django's db SessionStore reads under `name` in the session `key`. */
export function djangoReadsValue(root: string, key: string, name: string, djangoPath: string | undefined): string {
  return runInProject(root, `from django.contrib.sessions.backends.db import SessionStore\nprint(repr(SessionStore(${JSON.stringify(key)}).get(${JSON.stringify(name)})))`, djangoPath);
}
