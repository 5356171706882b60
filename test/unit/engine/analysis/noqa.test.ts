import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintProject } from '../../../../engine/src/analysis';
import { noqaCodes, noqaLines, suppressionFix } from '../../../../engine/src/analysis/lint/noqa';
import { tempProject } from '../project/tempProject';
import { compiledStrings } from './realPython';

describe('# noqa comments', () => {
  it('are read as flake8 reads their list of codes; a bare one is left to flake8', () => {
    assert.equal(noqaCodes('x = 1'), undefined);
    assert.equal(noqaCodes('from .base import *  # noqa'), undefined);
    assert.deepEqual(noqaCodes('from .base import *  # NOQA: F403'), new Set(['F403']));
    assert.deepEqual(noqaCodes('x = 1  # noqa: DS101'), new Set(['DS101']));
    assert.deepEqual(noqaCodes('x = 1  # noqa:DS101,ds102 security.W012'), new Set(['DS101', 'DS102', 'SECURITY.W012']));
    assert.deepEqual(noqaCodes('x = 1  # explained  # noqa: DS106'), new Set(['DS106']));
  });

  it('are written by the fix at the end of the line, or into the list there is', () => {
    const finding = { file: 'f.py', range: { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } }, code: 'DS101', severity: 'warning' as const, message: 'm' };
    const edit = (line: string) => {
      const [e] = suppressionFix(finding, `\n\n\n${line}`)!.edits;
      return line.slice(0, e!.range.start.character) + e!.newText + line.slice(e!.range.start.character);
    };
    assert.equal(edit('    x = s["k"]   '), '    x = s["k"]  # noqa: DS101   ');
    assert.equal(edit('    x = s["k"]  # noqa: DS102'), '    x = s["k"]  # noqa: DS102, DS101');
    assert.equal(edit('    x = s["k"]  # noqa: DS102,  # why'), '    x = s["k"]  # noqa: DS102, DS101,  # why');
    assert.equal(edit('    x = s["noqa"]  # noqa: noqa'), '    x = s["noqa"]  # noqa: noqa, DS101');
  });

  it('go after the last line of a statement that a backslash or a string carries on, which Python still compiles with its strings as they were', async () => {
    const views = [
      'def view(request):',
      '    x = request.session.get("wishlst") \\',
      '        or []',
      '    request.session["welcome_text"] = """Hello,  # noqa: DS102',
      'world"""',
      "    request.session['note'] = f'''{x!r:>{10}} # {{",
      "'''  # why",
      '    return x',
      '',
      '',
      'def other(request):',
      '    request.session["wishlist"] = 1  # noqa: DS102',
      '',
    ].join('\n');
    const root = tempProject({ 'shop/views.py': views });
    try {
      const file = path.join(root, 'shop', 'views.py');
      const found = await lintProject(root, { env: {} });
      assert.deepEqual(found.map((d) => `${d.range.start.line} ${d.code}`), ['1 DS101', '3 DS102', '5 DS102']);
      const fixes = found.map((d) => suppressionFix(d, views)!);
      assert.deepEqual(fixes.map((f) => f.title), ['Ignore DS101 in this statement (# noqa on line 3)', 'Ignore DS102 in this statement (# noqa on line 5)', 'Ignore DS102 in this statement (# noqa on line 7)']);
      const text = TextDocument.applyEdits(TextDocument.create('file:///v.py', 'python', 0, views), fixes.flatMap((f) => f.edits));
      assert.deepEqual(text.split('\n').slice(1, 7), [
        '    x = request.session.get("wishlst") \\',
        '        or []  # noqa: DS101',
        '    request.session["welcome_text"] = """Hello,  # noqa: DS102',
        'world"""  # noqa: DS102',
        "    request.session['note'] = f'''{x!r:>{10}} # {{",
        "'''  # why  # noqa: DS102",
      ]);
      assert.deepEqual(compiledStrings(text), compiledStrings(views), 'the code compiles, and no string took the comment in');
      fs.writeFileSync(file, text);
      assert.deepEqual(await lintProject(root, { env: {} }), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('are comments only: one inside a string silences nothing, and a string left open offers no place for one', () => {
    const text = ['x = "# noqa: DS101"', `y = f"{d['#']}"  # noqa: DS102`, 'z = """', '# noqa: DS103', '"""', ''].join('\n');
    assert.deepEqual(noqaLines(text), [[1, ['DS102']]]);
    const finding = (line: number) => ({ file: 'f.py', range: { start: { line, character: 0 }, end: { line, character: 1 } }, code: 'DS101', severity: 'warning' as const, message: 'm' });
    assert.equal(suppressionFix(finding(0), text)!.edits[0]!.newText, '  # noqa: DS101', 'the string is no list to extend');
    assert.equal(suppressionFix(finding(1), 'x = """never closed\n\n'), undefined);
  });

  it('are template comments in templates, which render as nothing', async () => {
    const finding = { file: '/p/shop/templates/cart.html', range: { start: { line: 0, character: 24 }, end: { line: 0, character: 39 } }, code: 'DS101', severity: 'warning' as const, message: 'm' };
    const edit = (line: string) => {
      const fix = suppressionFix(finding, line)!;
      const [e] = fix.edits;
      return `${fix.title}: ${line.slice(0, e!.range.start.character) + e!.newText + line.slice(e!.range.start.character)}`;
    };
    assert.equal(edit('<p>{{ request.session.recently_veiwed|length }}</p>'), 'Ignore DS101 on this line ({# noqa #}): <p>{{ request.session.recently_veiwed|length }}</p>  {# noqa: DS101 #}');
    assert.equal(edit('<p>{{ x }}</p> {# noqa: DS102 #}'), 'Ignore DS101 on this line ({# noqa #}): <p>{{ x }}</p> {# noqa: DS102, DS101 #}');
    assert.equal(noqaCodes('<p># noqa: DS101</p>', true), undefined, 'text that renders is no comment');
    const root = tempProject({
      'shop/views.py': 'def v(request):\n    request.session["recently_viewed"] = [1]\n',
      'shop/templates/shop/a.html': '<p>{{ request.session.recently_veiwed|length }}</p>\n<p>{{ request.session.recently_veiwed }}</p>  {# noqa: DS101 #}\n',
    });
    try {
      const found = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS101');
      assert.deepEqual(found.map((d) => `${path.basename(d.file)}:${d.range.start.line} ${d.fix?.title} ${JSON.stringify(d.fix?.edits.map((e) => e.newText))}`), [`a.html:0 Change to 'recently_viewed' ["recently_viewed"]`]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('silence the CLI lint findings they name on their line, and only those', async () => {
    const root = tempProject({
      'shop/views.py': [
        'def view(request):',
        '    a = request.session["one"]  # noqa: DS101',
        '    b = request.session["two"]  # noqa: ds101, F401',
        '    c = request.session["three"]  # noqa: DS102',
        '    d = request.session["four"]  # noqa',
        '',
      ].join('\n'),
    });
    try {
      const found = (await lintProject(root, { env: {} })).map((d) => `${path.basename(d.file)}:${d.range.start.line} ${d.code}`);
      assert.deepEqual(found, ['views.py:3 DS101', 'views.py:4 DS101']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("leave Django's checks to SILENCED_SYSTEM_CHECKS, and a key still being typed is no finding", async () => {
    const settings = (extra: string) =>
      `SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.sessions']\nMIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\n${extra}`;
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
      'conf/__init__.py': '',
      'conf/settings.py': settings("SILENCED_SYSTEM_CHECKS = ['security.W012']\n"),
      'conf/settings_prod.py': settings(''),
      // A tuple missing its comma is a string, which Django tests with `in` too (Tabbycat's form, less its comma).
      'conf/settings_stage.py': settings("SILENCED_SYSTEM_CHECKS = ('security.W012')\n"),
      'shop/views.py': 'def view(request):\n    return request.session.get("")\n',
    });
    try {
      const found = (await lintProject(root, { env: {} })).map((d) => `${path.basename(d.file)} ${d.code}`);
      assert.deepEqual(found, ['settings_prod.py security.W012']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
