import * as assert from 'node:assert/strict';
import { cli } from '../../interop/cliRun';
import { tempProject } from '../engine/project/tempProject';

const SQLITE = 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n';

function project(settings: string): string {
  return tempProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
    'app/__init__.py': '',
    'app/settings.py': settings,
  });
}

describe('CLI stores: a SECRET_KEY that is not known', () => {
  it('is missing where Django has none either, and unknown where static reading cannot follow it, each with where it is set', async () => {
    const needed = project(`import os\n${SQLITE}SECRET_KEY = os.environ["SECRET_KEY"]\n`);
    assert.match((await cli(['--project', needed, 'stores'])).out, /\tsecret key missing: needs environment variable SECRET_KEY \(.*app\/settings\.py:3\)$/m);
    const computed = project(`import os\n${SQLITE}def make_key():\n    os.environ["GENERATED"] = "1"\n    return "k"\nSECRET_KEY = make_key()\n`);
    const json = JSON.parse((await cli(['--project', computed, '--json', 'stores'])).out).stores[0];
    assert.match(json.secret_key, /^unknown: cannot evaluate the call to make_key\(\) statically: it changes the environment the settings read$/);
    assert.match(json.secret_key_source, /app\/settings\.py:6$/);
    // Not set at all: no line to point at.
    const unset = JSON.parse((await cli(['--project', project(SQLITE), '--json', 'stores'])).out).stores[0];
    assert.deepEqual([unset.secret_key, unset.secret_key_source], ['missing: SECRET_KEY is not set in the settings', undefined]);
  });
});
