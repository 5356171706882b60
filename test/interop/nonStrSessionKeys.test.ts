import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lintSessionKeys, SessionKeyIndex } from '../../engine/src/analysis';
import { PYTHON, requireDjango } from './realDjango';

const KEYS = ['5', '-12', '0x1F', '1_000', '-0', '1.50', '-0.0', '1e3', 'True', 'False', 'None'];

/** Each literal as a key of a real Django 3.2 JSON session, saved and read back: the keys it then holds, and whether the literal still finds its value. */
function djangoRoundTrip(literals: readonly string[]): { key: string; stillFound: boolean }[] {
  const script = [
    'import ast, json, sys',
    'import django',
    'from django.conf import settings',
    'settings.configure(SECRET_KEY="non-str-keys-" + "x" * 40, INSTALLED_APPS=["django.contrib.sessions"])',
    'django.setup()',
    'from django.contrib.sessions.backends.signed_cookies import SessionStore',
    'out = []',
    'for text in json.load(sys.stdin):',
    '    key = ast.literal_eval(text)',
    '    store = SessionStore()',
    '    store[key] = "v"',
    '    data = store.decode(store.encode(store._session))',
    '    out.append({"key": list(data)[0], "stillFound": key in data})',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(literals), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { key: string; stillFound: boolean }[];
}

describe('DS108: keys that are not a str, against real Django', function () {
  this.timeout(60_000);
  before(function () {
    requireDjango(this);
  });

  it("names the str key Django's JSON session holds after a save, and Django no longer finds the value under the literal", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/views.py', ['def view(request):', ...KEYS.map((key) => `    request.session[${key}] = "v"`), ''].join('\n'));
    const diagnostics = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS108');
    assert.equal(diagnostics.length, KEYS.length);
    const ours = diagnostics.map((d) => ({ key: /saves it as the key '([^']*)'/.exec(d.message)?.[1], fix: d.fix?.edits[0]?.newText }));
    const django = djangoRoundTrip(KEYS);
    assert.deepEqual(
      ours.map((o) => o.key),
      django.map((d) => d.key),
    );
    assert.deepEqual(
      ours.map((o) => o.fix),
      django.map((d) => JSON.stringify(d.key)),
    );
    assert.ok(django.every((d) => !d.stillFound));
  });
});
