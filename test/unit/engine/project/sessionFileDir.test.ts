import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectWithSettings } from './settingsProject';

const FILE_ENGINE = 'SECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.file"\n';

describe('SESSION_FILE_PATH', () => {
  it("is the temporary directory only when unset, None or empty, as Django's `SESSION_FILE_PATH or gettempdir()`", async () => {
    for (const line of ['', 'SESSION_FILE_PATH = None', 'SESSION_FILE_PATH = ""', 'import environ\nSESSION_FILE_PATH = environ.Env().str("SESSION_DIR", default=None)']) {
      const project = await projectWithSettings(FILE_ENGINE + line);
      assert.equal(project.stores[0]?.fileDir, os.tmpdir(), line);
      assert.deepEqual(project.problems, [], line);
    }
  });

  it('gives no directory when it cannot be read statically, with the reason at its line', async () => {
    const project = await projectWithSettings(`import os\n${FILE_ENGINE}SESSION_FILE_PATH = os.environ["SESSION_DIR"]\n`);
    assert.equal(project.stores[0]?.engine, 'file');
    assert.equal(project.stores[0]?.fileDir, undefined);
    assert.deepEqual(
      project.problems.map((p) => [path.basename(p.location!.file), p.location!.line, p.message]),
      [['settings.py', 4, 'SESSION_FILE_PATH: needs environment variable SESSION_DIR']],
    );
  });

  it('gives no directory for a value that is not a path', async () => {
    const project = await projectWithSettings(`${FILE_ENGINE}SESSION_FILE_PATH = 42\n`);
    assert.equal(project.stores[0]?.fileDir, undefined);
    assert.deepEqual(project.problems.map((p) => p.message), ['SESSION_FILE_PATH should be a path or None']);
  });
});
