import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../cli/src/main';
import { terminalText } from '../../../cli/src/terminalText';
import { tempProject } from '../engine/project/tempProject';

/** Runs the CLI, capturing what it writes to stdout and stderr. */
async function captured(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((text: string) => ((stdout += text), true)) as typeof process.stdout.write;
  process.stderr.write = ((text: string) => ((stderr += text), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

/** C0 but tab and newline, DEL, C1, and the format characters that reorder text. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

describe('CLI output a repository cannot use to drive the terminal', () => {
  it('escapes controls, DEL, C1 and bidi characters, keeping tab, newline and other text', () => {
    assert.equal(terminalText('a\x1b[2J\tb\nc\x7f\x9b\u202e\u2066é😀'), 'a\\u001b[2J\tb\nc\\u007f\\u009b\\u202e\\u2066é😀');
    assert.deepEqual(JSON.parse(terminalText(JSON.stringify({ k: 'x\u2069\u009b' }))), { k: 'x\u2069\u009b' }, 'JSON stays JSON, and means the same');
  });

  it('prints lint findings whose keys and file names carry escapes (OSC 52, clear screen, bidi) without them', async () => {
    const evil = 'evil\x1b[31mname.py';
    const root = tempProject({ [`app/${evil}`]: "def v(request):\n    return request.session['cart\x1b[2J\x1b]52;c;ZWNobyBwd25lZA==\x07'], request.session['\u202eadmin']\n" });
    try {
      const text = await captured(['lint', root]);
      assert.doesNotMatch(text.stdout + text.stderr, RAW);
      assert.match(text.stdout, /app\/evil\\u001b\[31mname\.py:2:\d+: warning DS101 Session key 'cart\\x1b\[2J\\x1b\]52;c;ZWNobyBwd25lZA==\\x07'/);
      assert.match(text.stdout, /Session key '\\u202eadmin'/);
      const json = await captured(['lint', root, '--json']);
      assert.doesNotMatch(json.stdout, RAW);
      assert.equal(JSON.parse(json.stdout).diagnostics[0].file, `app/${evil}`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('prints a store found in settings whose values carry escapes without them', async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
      'site/__init__.py': '',
      'site/settings.py': `SECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.file"\nSESSION_FILE_PATH = ${JSON.stringify(path.join('/tmp', 'x\x1b]0;owned\x07'))}\n`,
    });
    try {
      const result = await captured(['--project', root, 'stores']);
      assert.doesNotMatch(result.stdout + result.stderr, RAW);
      assert.match(result.stdout + result.stderr, /x\\u001b\]0;owned\\u0007/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
