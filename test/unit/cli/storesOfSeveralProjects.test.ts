import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli } from '../../interop/cliRun';
import { tempProject } from '../engine/project/tempProject';

describe('CLI stores of several projects', () => {
  it('says on stderr which project gives no store, instead of leaving it out in silence (pretalx beside others)', async () => {
    const root = tempProject({
      'good/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'good/proj/__init__.py': '',
      'good/proj/settings.py': 'SECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n',
      'bad/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "missing.settings")\n',
    });
    const run = await cli(['--project', root, 'stores']);
    assert.equal(run.code, 0);
    assert.match(run.out, /^good\/db:default\tdb\t/m);
    assert.match(run.err, /^django-sessions: note: project bad has no session store: .*manage\.py:2: settings module 'missing\.settings' \(from manage\.py\) is not found in /m);
  });

  it('names the .env the settings do not load by its path, as the settings are named, not by its parent folder (GeoNode)', async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': 'import os\nSECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ.get("DB_NAME", "db.sqlite3")}}\n',
      '.env': 'DB_NAME=/tmp/from-dotenv.sqlite3\n',
    });
    const run = await cli(['--project', root, 'stores']);
    assert.match(run.out, new RegExp(`^  note: DB_NAME comes from ${path.join(root, '.env').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, which the settings do not load themselves;`, 'm'));
  });
});
