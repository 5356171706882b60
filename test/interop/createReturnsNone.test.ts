import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintSessionKeys, SessionKeyIndex } from '../../engine/src/analysis';
import { PYTHON, requireDjango } from './realDjango';

const ENGINES = ['db', 'cache', 'cached_db', 'file', 'signed_cookies'];

/** What `SessionStore().create()` returns on each engine of real Django, and whether the store then has a key. */
function djangoCreate(fileDir: string): Record<string, { returned: string; hasKey: boolean }> {
  const script = [
    'import json, sys',
    'from importlib import import_module',
    'import django',
    'from django.conf import settings',
    'settings.configure(',
    '    SECRET_KEY="create-returns-none-" + "x" * 40,',
    '    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],',
    '    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},',
    '    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},',
    `    SESSION_FILE_PATH=${JSON.stringify(fileDir)},`,
    ')',
    'django.setup()',
    'from django.core.management import call_command',
    'call_command("migrate", verbosity=0)',
    'out = {}',
    `for engine in ${JSON.stringify(ENGINES)}:`,
    '    store = import_module("django.contrib.sessions.backends." + engine).SessionStore()',
    '    returned = store.create()',
    '    out[engine] = {"returned": repr(returned), "hasKey": bool(store.session_key)}',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, { returned: string; hasKey: boolean }>;
}

describe("DS109: the value of a session's create(), against real Django", function () {
  this.timeout(60_000);
  before(function () {
    requireDjango(this);
  });

  it('is None on every built-in engine, which then holds the new key in session_key (signed_cookies only once the response saves it), as the rule says', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-create-'));
    try {
      const django = djangoCreate(dir);
      assert.deepEqual(Object.keys(django), ENGINES);
      for (const engine of ENGINES) {
        assert.deepEqual(django[engine], { returned: 'None', hasKey: engine !== 'signed_cookies' }, engine);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/views.py', 'def cart_id(request):\n    cart = request.session.create()\n    return cart\n');
    const [diagnostic] = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS109');
    assert.match(diagnostic!.message, /^request\.session\.create\(\) returns None/);
  });
});
