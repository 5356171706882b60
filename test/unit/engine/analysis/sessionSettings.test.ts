import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeSessionSetting,
  indexDirectory,
  lintProjectSettings,
  loadPythonParser,
  readProject,
  SESSION_SETTING_DOCS,
  sessionSettingAt,
  sessionSettingCompletions,
  sessionSettingNameUses,
  sessionSettingReads,
  SessionKeyIndex,
  type PythonParser,
} from '../../../../engine/src';
import { sessionSettingReadsIn } from '../../../../engine/src/analysis/sessionSettingNames';
import { SESSION_SETTING_DEFAULTS } from '../../../../engine/src/project/sessionSettingDefaults';

/** The text without the `|` that marks the cursor, and the cursor's position. */
function cursor(marked: string): { text: string; line: number; character: number } {
  const at = marked.indexOf('|');
  const before = marked.slice(0, at).split('\n');
  return { text: marked.slice(0, at) + marked.slice(at + 1), line: before.length - 1, character: before[before.length - 1]!.length };
}

describe('SESSION_* settings in settings modules', () => {
  let python: PythonParser;
  const complete = (marked: string) => {
    const { text, line, character } = cursor(marked);
    return sessionSettingCompletions(python, text, line, character);
  };
  const labels = (marked: string) => complete(marked).map((c) => c.label);

  before(async () => {
    python = await loadPythonParser();
  });

  describe('completion', () => {
    it("offers Django's setting names, with type, default and doc, where a module-level statement starts", () => {
      const items = complete('import os\nSESSION_CO|\nDEBUG = True\n');
      assert.deepEqual(
        items.map((c) => c.label),
        [...SESSION_SETTING_DOCS.keys()],
      );
      const age = items.find((c) => c.label === 'SESSION_COOKIE_AGE')!;
      assert.deepEqual(age, {
        label: 'SESSION_COOKIE_AGE',
        newText: 'SESSION_COOKIE_AGE',
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } },
        detail: 'an int or float (seconds) · default 1209600',
        documentation: 'How long a session lasts, in seconds: the cookie max-age and the stored expiry.',
      });
      assert.equal(items.find((c) => c.label === 'SESSION_COOKIE_SAMESITE')!.detail, "'Lax', 'Strict', 'None', False or None · default 'Lax'");
    });

    it('replaces the whole name when the cursor is inside one, and works in module-level blocks', () => {
      const [first] = complete('if DEBUG:\n    SESSION_CO|OKIE_AGE = 5\n');
      assert.deepEqual(first!.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 22 } });
      assert.equal(labels('\n|\n').length, SESSION_SETTING_DOCS.size);
    });

    it('offers no names in a function, a class, a bracketed expression or after another word', () => {
      assert.deepEqual(labels('def f():\n    SESSION_CO|\n'), []);
      assert.deepEqual(labels('class C:\n    SESSION_CO|\n'), []);
      assert.deepEqual(labels('X = [\n    SESSION_CO|\n]\n'), []);
      assert.deepEqual(labels('import os\nimp|\n'), []);
      assert.deepEqual(labels('x = SESSION_CO|\n'), []);
    });

    it('offers no names where a half-typed file leaves a bracket open or a decorator waiting, only where a statement starts', () => {
      assert.deepEqual(labels("x = {\n 'a': 1,\n s|"), []);
      assert.deepEqual(labels("x = {\n 'a': 1,\n SESSION_CO|\n"), []);
      assert.deepEqual(labels('foo(\n|'), []);
      assert.deepEqual(labels('x = (\n  1,\nSESSION_CO|\n'), []);
      assert.deepEqual(labels('@decorator\n|'), []);
      assert.deepEqual(labels("@app.route('/')\n# the view\nSESSION_CO|\n"), []);
      // Closed brackets, brackets in strings and a finished decorated function leave the statement start free.
      assert.equal(labels("x = [1,\n 2]\ny = '('\nSESSION_CO|\n").length, SESSION_SETTING_DOCS.size);
      assert.equal(labels('@decorator\ndef f():\n    pass\n\nSESSION_CO|\n').length, SESSION_SETTING_DOCS.size);
    });

    it("offers the built-in engines inside SESSION_ENGINE's string, Django's default marked", () => {
      const items = complete("SESSION_ENGINE = 'django.contrib.sessions.backends.|'\n");
      assert.deepEqual(
        items.map((c) => [c.label, c.detail]),
        [
          ['django.contrib.sessions.backends.db', "SESSION_ENGINE · Django's default"],
          ['django.contrib.sessions.backends.cache', 'SESSION_ENGINE'],
          ['django.contrib.sessions.backends.cached_db', 'SESSION_ENGINE'],
          ['django.contrib.sessions.backends.file', 'SESSION_ENGINE'],
          ['django.contrib.sessions.backends.signed_cookies', 'SESSION_ENGINE'],
        ],
      );
      // The string's characters up to the closing quote are replaced, not the quotes.
      assert.deepEqual(items[0]!.range, { start: { line: 0, character: 18 }, end: { line: 0, character: 51 } });
    });

    it('offers the serializers, PickleSerializer as deprecated, in an unclosed string', () => {
      const items = complete('SESSION_SERIALIZER = "|\n');
      assert.deepEqual(
        items.map((c) => [c.label, c.deprecated ?? false]),
        [
          ['django.contrib.sessions.serializers.JSONSerializer', false],
          ['django.contrib.sessions.serializers.PickleSerializer', true],
        ],
      );
      assert.deepEqual(items[0]!.range, { start: { line: 0, character: 22 }, end: { line: 0, character: 22 } });
    });

    it("offers SameSite's values: in the string its strings, after `=` whole literals with False", () => {
      assert.deepEqual(labels('SESSION_COOKIE_SAMESITE = "St|"\n'), ['Lax', 'Strict', 'None']);
      const literals = complete("LANGUAGE_CODE = 'en-us'\nSESSION_COOKIE_SAMESITE = |\n");
      assert.deepEqual(
        literals.map((c) => c.newText),
        ["'Lax'", "'Strict'", "'None'", 'False'],
      );
      assert.deepEqual(literals[0]!.range, { start: { line: 1, character: 26 }, end: { line: 1, character: 26 } });
      assert.deepEqual(labels('SESSION_COOKIE_SECURE: bool = T|\n'), ['True', 'False']);
    });

    it("quotes a whole literal as most of the module's strings are, with Black's double quotes where none lead", () => {
      const newTexts = (text: string) => complete(text).map((c) => c.newText);
      assert.deepEqual(newTexts('LANGUAGE_CODE = "en-us"\nTIME_ZONE = "UTC"\nX = \'a\'\nSESSION_COOKIE_SAMESITE = |\n'), ['"Lax"', '"Strict"', '"None"', 'False']);
      assert.deepEqual(newTexts('SESSION_ENGINE = |\n')[0], '"django.contrib.sessions.backends.db"');
    });

    it('offers no values for free-form settings', () => {
      assert.deepEqual(labels('SESSION_COOKIE_AGE = |\n'), []);
      assert.deepEqual(labels("SESSION_COOKIE_NAME = '|'\n"), []);
    });
  });

  describe('names under the cursor', () => {
    const source = [
      'from django.conf import settings',
      'SESSION_COOKIE_AGE = 5',
      'if DEBUG:',
      '    SESSION_COOKIE_AGE = SESSION_COOKIE_AGE * 2',
      'def f(x):',
      '    return settings.SESSION_COOKIE_AGE, x.SESSION_COOKIE_AGE, g(SESSION_COOKIE_AGE=1)',
      '',
    ].join('\n');

    it('finds a bare name only in a settings module, and settings.SESSION_X anywhere', () => {
      const bare = { line: 1, character: 3 };
      assert.deepEqual(sessionSettingAt(python, source, bare, true), { name: 'SESSION_COOKIE_AGE', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 18 } }, via: 'name' });
      assert.equal(sessionSettingAt(python, source, bare, false), undefined);
      assert.deepEqual(sessionSettingAt(python, source, { line: 5, character: 30 }, false), { name: 'SESSION_COOKIE_AGE', range: { start: { line: 5, character: 20 }, end: { line: 5, character: 38 } }, via: 'settings' });
    });

    it('ignores attributes of other objects and keyword arguments', () => {
      assert.equal(sessionSettingAt(python, source, { line: 5, character: 45 }, true), undefined);
      assert.equal(sessionSettingAt(python, source, { line: 5, character: 65 }, true), undefined);
    });

    it('lists the bare uses of a name, module-level assignments marked', () => {
      assert.deepEqual(
        sessionSettingNameUses(python, source, 'SESSION_COOKIE_AGE').map((u) => [u.range.start.line, u.range.start.character, u.assignment]),
        [
          [1, 0, true],
          [3, 4, true],
          [3, 25, false],
        ],
      );
    });

    it('indexes settings.SESSION_X reads, not those in comments or strings', async () => {
      const index = await SessionKeyIndex.create();
      index.addRoot('/p');
      index.updateFile('/p/a.py', source);
      index.updateFile('/p/b.py', 'import django.conf\nx = django.conf.settings.SESSION_ENGINE\n# settings.SESSION_ENGINE\ny = "settings.SESSION_ENGINE"\n');
      assert.deepEqual(sessionSettingReads(index, 'SESSION_COOKIE_AGE'), [{ file: '/p/a.py', range: { start: { line: 5, character: 20 }, end: { line: 5, character: 38 } } }]);
      assert.deepEqual(sessionSettingReads(index, 'SESSION_ENGINE'), [{ file: '/p/b.py', range: { start: { line: 1, character: 25 }, end: { line: 1, character: 39 } } }]);
    });
  });

  describe('reads through aliases of django.conf.settings', () => {
    const source = [
      'from django.conf import settings as dj_settings',
      'from myapp import settings as app_settings',
      'import django.conf as conf',
      '',
      'def f():',
      '    from django.conf import (',
      '        settings as local_settings,',
      '    )',
      '    return dj_settings.SESSION_COOKIE_AGE, conf.settings.SESSION_COOKIE_AGE, local_settings.SESSION_COOKIE_AGE',
      '',
      'def g():',
      '    return local_settings.SESSION_COOKIE_AGE, app_settings.SESSION_COOKIE_AGE',
      '',
    ].join('\n');
    const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character: character + 'SESSION_COOKIE_AGE'.length } });

    it('indexes reads through an alias in the scope that imports it, and through a module alias, not through another module\'s settings', async () => {
      const index = await SessionKeyIndex.create();
      index.addRoot('/p');
      index.updateFile('/p/a.py', source);
      assert.deepEqual(sessionSettingReads(index, 'SESSION_COOKIE_AGE'), [
        { file: '/p/a.py', range: at(8, 23) },
        { file: '/p/a.py', range: at(8, 57) },
        { file: '/p/a.py', range: at(8, 92) },
      ]);
    });

    it('finds the setting under the cursor through an alias, for hover, definition and the rename refusal', () => {
      assert.deepEqual(sessionSettingAt(python, source, { line: 8, character: 30 }, false), { name: 'SESSION_COOKIE_AGE', range: at(8, 23), via: 'settings' });
      assert.deepEqual(sessionSettingAt(python, source, { line: 8, character: 60 }, false), { name: 'SESSION_COOKIE_AGE', range: at(8, 57), via: 'settings' });
      assert.deepEqual(sessionSettingAt(python, source, { line: 8, character: 100 }, false), { name: 'SESSION_COOKIE_AGE', range: at(8, 92), via: 'settings' });
      assert.equal(sessionSettingAt(python, source, { line: 11, character: 30 }, false), undefined);
      assert.equal(sessionSettingAt(python, source, { line: 11, character: 62 }, false), undefined);
    });
  });

  it("follows Python's scopes for an alias: not where a function, lambda, comprehension or with binds the name, in a class's methods, or after a module-level rebinding", async () => {
    const text = [
      'from django.conf import settings as s',
      'def f(s):',
      '    return s.SESSION_COOKIE_AGE',
      'def g(x=s.SESSION_COOKIE_DOMAIN):',
      '    s = object()',
      '    return s.SESSION_COOKIE_PATH',
      'def h():',
      '    return s.SESSION_COOKIE_SECURE',
      'class C:',
      '    from django.conf import settings as t',
      '    AGE = t.SESSION_COOKIE_HTTPONLY',
      '    def m(self):',
      '        return t.SESSION_SAVE_EVERY_REQUEST',
      'def k():',
      '    f = lambda s: s.SESSION_FILE_PATH',
      '    g = [s.SESSION_CACHE_ALIAS for s in xs]',
      '    with open(p) as s:',
      '        return s.SESSION_SERIALIZER',
      'def w():',
      '    a, s = 1, 2',
      '    return s.SESSION_COOKIE_SAMESITE',
      'def n():',
      '    def inner():',
      '        return s.SESSION_EXPIRE_AT_BROWSER_CLOSE',
      '    return inner',
      'for a, s in pairs:',
      '    pass',
      'x = s.SESSION_COOKIE_NAME',
      'from django.conf import (settings as u)',
      'y = u.SESSION_ENGINE',
    ].join('\n');
    const tree = python.parser.parse(text)!;
    try {
      assert.deepEqual(
        sessionSettingReadsIn(tree.rootNode, text).map((read) => `${read.range.start.line + 1}:${read.name}`),
        ['4:SESSION_COOKIE_DOMAIN', '8:SESSION_COOKIE_SECURE', '11:SESSION_COOKIE_HTTPONLY', '24:SESSION_EXPIRE_AT_BROWSER_CLOSE', '30:SESSION_ENGINE'],
      );
    } finally {
      tree.delete();
    }
  });

  describe('description and lint', () => {
    let dir: string;

    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-settings-'));
      fs.writeFileSync(path.join(dir, 'manage.py'), "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')\n");
      fs.writeFileSync(path.join(dir, 'settings.py'), "SESSION_COOKIE_AGE = 60 * 30\nSESSION_COOKIE_SECURE = 'true'\nSESSION_COKIE_NAME = 'sid'\n");
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("describes a setting with Django's docs and the project's value and place", async () => {
      const project = await readProject(path.join(dir, 'manage.py'));
      assert.deepEqual(describeSessionSetting('SESSION_COOKIE_AGE', project), {
        name: 'SESSION_COOKIE_AGE',
        django: { summary: SESSION_SETTING_DOCS.get('SESSION_COOKIE_AGE')!.summary, type: 'an int or float (seconds)', default: '1209600' },
        project: { value: '1800', location: { file: path.join(dir, 'settings.py'), line: 1, column: 0 } },
      });
      assert.deepEqual(describeSessionSetting('SESSION_REDIS', project), { name: 'SESSION_REDIS' });
    });

    it('documents exactly the settings Django has defaults for, and the lint rules read the same table', async () => {
      assert.deepEqual([...SESSION_SETTING_DOCS.keys()].sort(), [...SESSION_SETTING_DEFAULTS.keys()].sort());
      const project = await readProject(path.join(dir, 'manage.py'));
      assert.deepEqual(
        (await lintProjectSettings(project)).filter((d) => d.code === 'DS201' || d.code === 'DS202').map((d) => d.message),
        ["SESSION_COOKIE_SECURE must be True or False, not 'true'.", 'SESSION_COKIE_NAME is not a Django setting, so it has no effect. Did you mean SESSION_COOKIE_NAME?'],
      );
    });
  });

  it('reports indexing progress per file entered, up to the number found', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-progress-'));
    try {
      for (const name of ['a', 'b', 'c']) fs.writeFileSync(path.join(dir, `${name}.py`), `X_${name} = 1\n`);
      const seen: [number, number][] = [];
      await indexDirectory(await SessionKeyIndex.create(), dir, { onProgress: (done, total) => seen.push([done, total]) });
      assert.deepEqual(seen.at(-1), [3, 3]);
      assert.ok(seen.every(([done], i) => i === 0 || done > seen[i - 1]![0]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
