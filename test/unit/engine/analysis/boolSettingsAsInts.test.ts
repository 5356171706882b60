import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { lintProjectSettings, readProject } from '../../../../engine/src';
import { tempProject } from '../project/tempProject';

describe('DS202: a bool setting given 0 or 1', () => {
  it('is a warning with the bool to write, while text or another number stays an error', async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
      'settings.py': 'SECRET_KEY = "k"\nSESSION_EXPIRE_AT_BROWSER_CLOSE = 1\nSESSION_SAVE_EVERY_REQUEST = 0\nSESSION_COOKIE_SECURE = "False"\nSESSION_COOKIE_HTTPONLY = 2\n',
    });
    const project = await readProject(path.join(root, 'manage.py'));
    const found = (await lintProjectSettings(project, { env: {} })).filter((d) => d.code === 'DS202');
    assert.deepEqual(
      found.map((d) => [d.range.start.line, d.severity, d.message, d.fix?.edits[0]?.newText]),
      [
        [1, 'warning', 'SESSION_EXPIRE_AT_BROWSER_CLOSE is given 1, which Django takes as True; write True.', 'True'],
        [2, 'warning', 'SESSION_SAVE_EVERY_REQUEST is given 0, which Django takes as False; write False.', 'False'],
        [3, 'error', "SESSION_COOKIE_SECURE must be True or False, not 'False'.", 'False'],
        [4, 'error', 'SESSION_COOKIE_HTTPONLY must be True or False, not 2.', undefined],
      ],
    );
  });
});
