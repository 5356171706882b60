import * as assert from 'node:assert/strict';
import { cli } from '../../interop/cliRun';
import { tempProject } from '../engine/project/tempProject';

describe('CLI on a file store whose SESSION_FILE_PATH cannot be read', () => {
  it('lists no directory and refuses to open it with the reason (exit 3), instead of counting the temporary directory', async () => {
    const dir = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': 'import os\nSECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.file"\nSESSION_FILE_PATH = os.environ["SESSION_DIR"]\n',
    });
    const stores = JSON.parse((await cli(['--project', dir, '--json', 'stores'])).out).stores[0];
    assert.equal(stores.location, 'unknown');
    const count = await cli(['--project', dir, 'count']);
    assert.equal(count.code, 3);
    assert.equal(count.out, '');
    assert.match(count.err, /^django-sessions: file: no usable SESSION_FILE_PATH in the settings \(.*settings\.py:4: SESSION_FILE_PATH: needs environment variable SESSION_DIR\); pass --store URL\.$/m);
  });
});
