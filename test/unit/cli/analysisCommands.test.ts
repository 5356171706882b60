import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../../../cli/src/args';
import { FLAGS_WITH_VALUE } from '../../../cli/src/commandSpecs';
import { lintCommand, scanCommand } from '../../../cli/src/commands/analysis';
import { CliError } from '../../../cli/src/exitCodes';
import { githubAnnotation } from '../../../cli/src/lintFormats/githubAnnotations';
import { LINT_RULES } from '../../../engine/src';
import { tempProject } from '../engine/project/tempProject';

const repo = path.resolve(__dirname, '../../..');

async function run(command: typeof scanCommand, argv: string[], flagsWithValue: ReadonlySet<string> = new Set()) {
  const out: string[] = [];
  const written = process.stderr.write;
  let err = '';
  process.stderr.write = ((text: string) => ((err += text), true)) as typeof process.stderr.write;
  try {
    const code = await command(parseArgs(argv, flagsWithValue), (t) => out.push(t));
    return { code, out: out.join('\n'), err };
  } finally {
    process.stderr.write = written;
  }
}

describe('CLI scan and lint', () => {
  it('scan --json prints usages with 1-based lines and 0-based UTF-16 columns, and the settings', async () => {
    const r = await run(scanCommand, ['scan', path.join(repo, 'demo'), '--json']);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.out);
    assert.deepEqual(Object.keys(doc), ['usages', 'unresolved', 'settings']);
    assert.deepEqual(
      doc.usages.find((u: { key: string }) => u.key === 'curency'),
      { key: 'curency', op: 'get', file: 'accounts/views.py', line: 18, column: 57, end_line: 18, end_column: 66, in_test: false },
    );
    assert.deepEqual(doc.settings[0], { name: 'SESSION_ENGINE', value: 'django.contrib.sessions.backends.db', file: 'shop/settings.py', line: 58 });
    const text = await run(scanCommand, ['scan', path.join(repo, 'demo')]);
    // Text paths are from the current directory (the repository's root here), so a terminal opens them.
    assert.match(text.out, /^demo\/shop\/settings\.py:60\tSESSION_COOKIE_HTTPONLY = True$/m, 'text output spells values as Python does');
  });

  it('lint exits 0 when there are only warnings, and 1 when any finding is an error', async () => {
    const demo = await run(lintCommand, ['lint', path.join(repo, 'demo')]);
    assert.equal(demo.code, 0);
    assert.match(demo.out, /accounts\/views.py:18:58: warning DS101 .*'currency'/);
    assert.match(demo.out, /^demo\/shop\/views\.py:38:48: warning DS109 request\.session\.create\(\) returns None, not the key of the session it creates;/m);
    const beta = await run(lintCommand, ['lint', path.join(repo, 'test/fixtures/projects/lint/beta'), '--json']);
    assert.equal(beta.code, 1);
    const codes = JSON.parse(beta.out).diagnostics.map((d: { code: string }) => d.code);
    assert.deepEqual(codes, ['DS206', 'DS207', 'DS208']);
  });

  it("lint passes the project's INSTALLED_APPS to the session-key rules", async () => {
    const keys = async (name: string) => {
      const r = await run(lintCommand, ['lint', path.join(repo, 'test/fixtures/projects/thirdparty', name), '--json']);
      return JSON.parse(r.out).diagnostics.filter((d: { code: string }) => d.code.startsWith('DS1')).map((d: { code: string; message: string }) => `${d.code} ${d.message}`);
    };
    const typo = "DS101 Session key 'account_verifed_email' is read but never written in this project. Did you mean 'account_verified_email'?";
    const wizard = "DS102 Session key 'wizard_order' is written but never read in this project; read it where it is needed or stop storing it.";
    assert.deepEqual(await keys('allauth'), [typo, wizard]);
    assert.deepEqual((await keys('plain'))[0], "DS101 Session key 'account_verified_email' is read but never written in this project; check the key's spelling or write it first.");
  });

  it("notes on stderr a project whose settings could not be read, or whose SESSION_ENGINE cannot, keeping stdout and the exit code (weblate's missing settings.py)", async () => {
    const root = tempProject({
      'site/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
      'site/views.py': 'def v(request):\n    request.session["cart"] = 1\n    return request.session["cart"]\n',
      'engine/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "engine.settings")\n',
      'engine/engine/__init__.py': '',
      'engine/engine/settings.py': 'import os\nSECRET_KEY = "k"\nSESSION_ENGINE = os.environ["ENGINE"]\n',
    });
    try {
      const lint = await run(lintCommand, ['lint', root, '--json']);
      assert.deepEqual([lint.code, JSON.parse(lint.out)], [0, { diagnostics: [] }]);
      assert.equal(
        lint.err,
        [
          "django-sessions: lint: note: in engine, its SESSION_ENGINE cannot be read statically (SESSION_ENGINE: needs environment variable ENGINE); the rules that depend on the engine checked nothing there.",
          `django-sessions: lint: note: in site, its settings could not be read (settings module 'site.settings' (from manage.py) is not found in ${path.join(root, 'site')}, ${path.join(root, 'site', 'src')}); no settings rule checked them; give them with --settings.`,
          '',
        ].join('\n'),
      );
      const scan = await run(scanCommand, ['scan', path.join(root, 'site'), '--json']);
      assert.equal(scan.code, 0);
      assert.match(scan.err, /^django-sessions: scan: note: in \., its settings could not be read/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('prints text columns in characters, as Python and editors count them, and --json ones in UTF-16 units, as LSP does', async () => {
    const root = tempProject({ 'a.py': 'def v(request):\n    x = "é😀"; request.session["k"] = {1}\n' });
    try {
      const lint = await run(lintCommand, ['lint', root]);
      // A directory outside the current one is named whole.
      assert.ok(lint.out.split('\n').some((line) => line.startsWith(`${path.join(root, 'a.py')}:2:38: error DS103 `)), lint.out);
      const scan = await run(scanCommand, ['scan', root]);
      assert.ok(scan.out.split('\n').includes(`${path.join(root, 'a.py')}:2:31\tset\tk`), scan.out);
      const json = JSON.parse((await run(lintCommand, ['lint', root, '--json'])).out) as { diagnostics: { code: string; column: number }[] };
      assert.equal(json.diagnostics.find((d) => d.code === 'DS103')!.column, 38);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps each finding and each scan line on one line, and scan\'s fields in their columns, for a key holding a line break or a tab', async () => {
    const root = tempProject({ 'a.py': 'def v(request):\n    request.session["cart\\n"] = 1\n    request.session["t\\tk"] = 2\n' });
    try {
      const lint = await run(lintCommand, ['lint', root]);
      const lines = lint.out.split('\n');
      assert.deepEqual(lines.slice(0, -1).filter((line) => !line.startsWith(path.join(root, 'a.py'))), [], lint.out);
      assert.ok(lines.some((line) => line.endsWith(`DS102 Session key 'cart\\n' is written but never read in this project; read it where it is needed or stop storing it.`)), lint.out);
      const scan = await run(scanCommand, ['scan', root]);
      assert.deepEqual(
        scan.out.split('\n').map((line) => line.split('\t').slice(1)),
        [['set', 'cart\\u000a'], ['set', 't\\u0009k']],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads a file in the encoding its coding line declares, and a lone CR as a line end, as Python does (a legacy latin-1 module, an old Mac file)", async () => {
    const root = tempProject({});
    fs.writeFileSync(path.join(root, 'legacy.py'), Buffer.from('# -*- coding: latin-1 -*-\ndef v(request):\n    request.session["caf\xe9"] = 1\n', 'latin1'));
    fs.writeFileSync(path.join(root, 'mac.py'), 'def v(request):\r    x = 1\r    return request.session["caf\u00e9"]\r');
    try {
      const scan = JSON.parse((await run(scanCommand, ['scan', root, '--json'])).out) as { usages: object[] };
      assert.deepEqual(scan.usages, [
        { key: 'café', op: 'set', file: 'legacy.py', line: 3, column: 20, end_line: 3, end_column: 26, in_test: false },
        { key: 'café', op: 'read', file: 'mac.py', line: 3, column: 27, end_line: 3, end_column: 33, in_test: false },
      ]);
      const text = await run(scanCommand, ['scan', root]);
      assert.deepEqual(text.out.split('\n').slice(0, 2), [`${path.join(root, 'legacy.py')}:3:21\tset\tcafé`, `${path.join(root, 'mac.py')}:3:28\tread\tcafé`]);
      // The key read is the key written: no DS101 or DS102.
      const lint = JSON.parse((await run(lintCommand, ['lint', root, '--json'])).out) as { diagnostics: { code: string }[] };
      assert.deepEqual(lint.diagnostics.filter((d) => d.code.startsWith('DS1')), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("notes a cookie flag that is not True where INSTALLED_APPS cannot be read, so which of W010–W012 Django gives is unknown (Evennia's optional app in a try)", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
      'site/__init__.py': '',
      'site/settings.py': [
        'SECRET_KEY = "k"',
        'INSTALLED_APPS = ["django.contrib.sessions"]',
        'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]',
        'try:',
        '    import django_extensions',
        '    INSTALLED_APPS = INSTALLED_APPS.append("django_extensions")',
        'except ImportError:',
        '    pass',
        '',
      ].join('\n'),
    });
    try {
      const lint = await run(lintCommand, ['lint', root]);
      assert.equal(lint.code, 0);
      assert.match(lint.err, /^django-sessions: lint: note: in \., SESSION_COOKIE_SECURE is not True, but INSTALLED_APPS cannot be read statically \(.+\), so which of check --deploy's W010–W012 Django gives was not judged\.$/m);
      assert.doesNotMatch(lint.err, /SESSION_COOKIE_HTTPONLY/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('reports a session cache alias CACHES lacks as DS204 only, without a note that CACHES cannot be read', async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
      'settings.py': 'SECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nSESSION_CACHE_ALIAS = "sessions"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379"}}\n',
    });
    try {
      const lint = await run(lintCommand, ['lint', root]);
      assert.equal(lint.code, 1);
      assert.match(lint.out, /DS204 SESSION_CACHE_ALIAS 'sessions' is not a key of CACHES/);
      assert.doesNotMatch(lint.err, /cannot be read statically/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('reports AuthenticationMiddleware above SessionMiddleware as DS209 at its line, exits 1, and gives the move in --json', async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
      'settings.py': 'SECRET_KEY = "k"\nMIDDLEWARE = [\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n]\n',
    });
    try {
      const lint = await run(lintCommand, ['lint', root]);
      assert.equal(lint.code, 1);
      assert.match(lint.out, /settings\.py:3:5: error DS209 AuthenticationMiddleware reads request\.session, but MIDDLEWARE lists it before SessionMiddleware/);
      const [ds209] = JSON.parse((await run(lintCommand, ['lint', root, '--json'])).out).diagnostics.filter((d: { code: string }) => d.code === 'DS209');
      assert.deepEqual(ds209.fix, {
        title: 'Move SessionMiddleware above AuthenticationMiddleware',
        edits: [
          { file: 'settings.py', line: 3, column: 0, end_line: 3, end_column: 0, new_text: '    "django.contrib.sessions.middleware.SessionMiddleware",\n' },
          { file: 'settings.py', line: 4, column: 0, end_line: 5, end_column: 0, new_text: '' },
        ],
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("notes settings Django cannot import as they read here, and the cookie flags and session cache the rules could not judge (Pontoon's conflict markers, BookWyrm's computed flags, OpenWISP's CACHES)", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
      'site/__init__.py': '',
      'site/settings.py': 'import os, sys\nfrom flags import https\nSECRET_KEY = "k"\nSESSION_COOKIE_SECURE = https()\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nif "pydevd" in sys.modules:\n    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\nfrom .dev import *\n',
      'site/dev.py': 'DEBUG = True\n<<<<<<< HEAD\nX = 1\n=======\nX = 2\n>>>>>>> branch\n',
    });
    try {
      const lint = await run(lintCommand, ['lint', root]);
      assert.equal(
        lint.err,
        [
          'django-sessions: lint: note: in ., Django cannot start with the settings as they read here (Python cannot import a settings module with a syntax error at site/dev.py:2); the settings findings come from what static reading made of them.',
          `django-sessions: lint: note: in ., the session cache cannot be read statically (CACHES['default']: depends on a condition that cannot be evaluated statically (cannot evaluate "pydevd" in sys.modules statically)), so DS204 and DS205 were not judged for it.`,
          "django-sessions: lint: note: in ., SESSION_COOKIE_SECURE cannot be read statically (cannot evaluate a call to https (flags.https, imported from outside the project) statically), so check --deploy's W010–W012 were not judged for it.",
          '',
        ].join('\n'),
      );
      // scan judges no rule: it says only that Django cannot start with the settings.
      const scan = await run(scanCommand, ['scan', root]);
      assert.equal(
        scan.err,
        'django-sessions: scan: note: in ., Django cannot start with the settings as they read here (Python cannot import a settings module with a syntax error at site/dev.py:2); the settings findings come from what static reading made of them.\n',
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('exits 1 with the reason on stderr when DIR holds no Python file they read, keeping stdout as it is', async () => {
    const root = tempProject({ 'usr/lib/python3/dist-packages/shop/views.py': 'def v(request):\n    return request.session["crat"]\n', 'shop/migrations/0001_initial.py': '' });
    try {
      const lint = await run(lintCommand, ['lint', root, '--json']);
      assert.deepEqual([lint.code, JSON.parse(lint.out)], [1, { diagnostics: [] }]);
      assert.equal(
        lint.err,
        `django-sessions: lint: no Python files to lint under ${root}: its 2 .py files are all in directories left out as not the project's own code, shop/migrations (migrations, 1), usr/lib/python3/dist-packages (installed packages, 1); give one of those as DIR to lint it.\n`,
      );
      const scan = await run(scanCommand, ['scan', root]);
      assert.deepEqual([scan.code, scan.out], [1, '']);
      assert.match(scan.err, /^django-sessions: scan: no Python files to scan under /);
      const inside = await run(lintCommand, ['lint', path.join(root, 'usr/lib/python3/dist-packages')]);
      assert.equal(inside.code, 0, 'the skipped directory given as DIR is linted');
      assert.match(inside.err, /^django-sessions: lint: note: no Django settings found in .*dist-packages .*DS103 took Django's default JSONSerializer; give them with --settings MODULE\.\n$/);
      assert.match(inside.out, /DS101/);
      fs.rmSync(path.join(root, 'usr'), { recursive: true });
      fs.rmSync(path.join(root, 'shop'), { recursive: true });
      const empty = await run(lintCommand, ['lint', root]);
      assert.deepEqual([empty.code, empty.out, empty.err], [1, '0 findings, 0 errors', `django-sessions: lint: no Python files under ${root}; give the directory of the project's code.\n`]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses settings named with --settings that cannot be read, instead of linting without them', async () => {
    for (const command of [lintCommand, scanCommand]) {
      await assert.rejects(run(command, ['x', path.join(repo, 'demo'), '--settings', 'nope.mod']), (e: unknown) => e instanceof CliError && e.exitCode === 2 && /^Cannot read the settings given with --settings nope\.mod: /.test(e.message));
    }
    const explicit = await run(lintCommand, ['lint', path.join(repo, 'demo'), '--settings', 'shop.settings']);
    assert.match(explicit.out, /security\.W012/, 'settings that can be read are linted');
    // A settings file is found from the current directory, as for the store commands, else from DIR.
    const fromHere = await run(lintCommand, ['lint', path.join(repo, 'demo'), '--settings', path.relative(process.cwd(), path.join(repo, 'demo/shop/settings.py'))]);
    assert.match(fromHere.out, /security\.W012/);
    assert.match((await run(lintCommand, ['lint', path.join(repo, 'demo'), '--settings', 'shop/settings.py'])).out, /security\.W012/);
    await assert.rejects(run(lintCommand, ['lint', path.join(repo, 'demo'), '--project', '/nonexistent']), /lint reads DIR or --project, not both/);
  });

  it('lints settings named with --settings in a tree without manage.py, such as a reusable app', async () => {
    const dir = tempProject({
      'app/__init__.py': '',
      'app/test_settings.py': "SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'\n",
      'app/views.py': "def v(request):\n    return request.session['a']\n",
    });
    for (const settings of ['app.test_settings', 'app/test_settings.py']) {
      const linted = await run(lintCommand, ['lint', dir, '--settings', settings]);
      assert.ok(linted.out.split('\n').some((line) => line.startsWith(`${path.join(dir, 'app/test_settings.py')}:1:22: warning DS206 `)), settings);
    }
    assert.doesNotMatch((await run(lintCommand, ['lint', dir])).out, /DS206/, 'unnamed, settings are not guessed');
  });

  it("reads the whole project for a directory or files inside it (an app, a pre-commit hook's files), and reports on those only", async () => {
    const root = tempProject({
      '.git/HEAD': '',
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
      'conf/__init__.py': '',
      'conf/settings.py': "SECRET_KEY = 'k'\nSESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'\n",
      'cart/__init__.py': '',
      'cart/keys.py': 'CART = "cart"\n',
      'cart/views.py': 'from cart.keys import CART\ndef add(request):\n    request.session[CART] = [1]\n',
      'shop/__init__.py': '',
      'shop/views.py': 'from cart.keys import CART\ndef show(request):\n    return request.session.get(CART), request.session["coupn"]\n',
    });
    const shop = path.join(root, 'shop');
    const app = await run(lintCommand, ['lint', shop, '--json']);
    const found = JSON.parse(app.out).diagnostics.map((d: { file: string; code: string }) => `${d.file} ${d.code}`);
    // The cart key is written in the other app, so only the misspelt one is unwritten; the settings' finding is not under shop/.
    assert.deepEqual(found, ['views.py DS101'], app.out);
    assert.match(app.err, /note: reading the project at .* for its keys and settings; reporting on .*shop only/);
    const alone = await run(lintCommand, ['lint', path.join(root, 'shop/views.py'), path.join(root, 'conf/settings.py')]);
    assert.match(alone.out, /shop\/views\.py:3:55: warning DS101 Session key 'coupn'/);
    assert.match(alone.out, /conf\/settings\.py:2:\d+: warning DS206 /);
    assert.doesNotMatch(alone.out, /cart\/views\.py/);
    const scanned = JSON.parse((await run(scanCommand, ['scan', shop, '--json'])).out) as { usages: { key: string; file: string }[] };
    assert.deepEqual(scanned.usages.map((u) => `${u.file} ${u.key}`), ['views.py cart', 'views.py coupn'], 'the constant imported from the other app resolves');
    // A repository's root bounds the search: a project in the directories above it is not borrowed.
    fs.writeFileSync(path.join(root, 'shop/.git'), 'gitdir: elsewhere\n');
    const bounded = await run(lintCommand, ['lint', shop, '--json']);
    assert.match(bounded.err, /no Django settings found/);
  });

  describe('lint --format for CI', () => {
    const files = { 'shop/views.py': 'def v(request):\n    x = "é😀"; request.session["k"] = {1}\n    return request.session["k"]\n' };

    /** Runs lint from `root` as a CI job runs it from the repository's root. */
    async function lintFrom(root: string, argv: string[]) {
      const cwd = process.cwd();
      process.chdir(root);
      try {
        return await run(lintCommand, ['lint', '.', ...argv], FLAGS_WITH_VALUE);
      } finally {
        process.chdir(cwd);
      }
    }

    it('github prints one workflow command per finding, columns from 1 in characters, and keeps the exit code', async () => {
      const root = tempProject(files);
      try {
        const r = await lintFrom(root, ['--format', 'github']);
        assert.equal(r.code, 1);
        assert.deepEqual(r.out.split('\n'), [
          "::error file=shop/views.py,line=2,endLine=2,col=38,endColumn=41,title=DS103::Session key 'k' is given a set, which JSONSerializer cannot store (TypeError when the session is saved); store list(value) and rebuild the set on read.",
          '1 finding, 1 error',
        ]);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('github escapes what would end or split a workflow command', () => {
      const line = githubAnnotation(
        { file: '/x', code: 'DS101', severity: 'hint', message: '100% sure\nnext, line: here', range: { start: { line: 0, character: 0 }, end: { line: 1, character: 2 } } },
        { file: 'a,b:c%.py', line: 1, column: 1, endLine: 2, endColumn: 3 },
      );
      // A range over two lines gets no columns, which GitHub takes on one line only.
      assert.equal(line, '::notice file=a%2Cb%3Ac%25.py,line=1,endLine=2,title=DS101::100%25 sure%0Anext, line: here');
    });

    it('sarif prints a SARIF 2.1.0 log whose results point at the rules, with paths from the current directory and UTF-16 columns from 1', async () => {
      const root = tempProject(files);
      try {
        const r = await lintFrom(root, ['--format=sarif']);
        assert.equal(r.code, 1);
        const log = JSON.parse(r.out);
        assert.equal(log.version, '2.1.0');
        const [only] = log.runs;
        assert.equal(only.columnKind, 'utf16CodeUnits');
        assert.equal(only.originalUriBaseIds['%SRCROOT%'].uri, `file://${fs.realpathSync(root)}/`);
        assert.deepEqual(only.tool.driver.rules, [{ id: 'DS103', shortDescription: { text: 'A session value the configured serializer cannot store.' } }]);
        assert.deepEqual(only.results, [
          {
            ruleId: 'DS103',
            ruleIndex: 0,
            level: 'error',
            message: { text: "Session key 'k' is given a set, which JSONSerializer cannot store (TypeError when the session is saved); store list(value) and rebuild the set on read." },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'shop/views.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 39, endLine: 2, endColumn: 42 } } }],
          },
        ]);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('sarif gives each file a URI that resolves to it, however it is named, from %SRCROOT% or whole outside it', async () => {
      const names = ['ab:c/views.py', 'q#1/views.py', 'w?x/views.py', 'a b,é%/views.py'];
      const root = tempProject(Object.fromEntries(names.map((name) => [name, 'def v(request):\n    return request.session["k"]\n'])));
      const elsewhere = tempProject({});
      try {
        const located = (out: string) => {
          const [run] = JSON.parse(out).runs as Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }>;
          return run!.results.map((result) => {
            const { uri, uriBaseId } = result.locations[0]!.physicalLocation.artifactLocation;
            return fileURLToPath(uriBaseId === undefined ? new URL(uri) : new URL(uri, run!.originalUriBaseIds[uriBaseId]!.uri));
          });
        };
        const expected = names.map((name) => path.join(fs.realpathSync(root), name)).sort();
        const inside = await lintFrom(root, ['--format=sarif']);
        assert.deepEqual(located(inside.out).sort(), expected);
        const cwd = process.cwd();
        process.chdir(elsewhere);
        try {
          const outside = await run(lintCommand, ['lint', fs.realpathSync(root), '--format=sarif'], FLAGS_WITH_VALUE);
          assert.deepEqual(located(outside.out).sort(), expected);
        } finally {
          process.chdir(cwd);
        }
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
        fs.rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it('refuses an unknown format, and --json with another format', async () => {
      await assert.rejects(run(lintCommand, ['lint', path.join(repo, 'demo'), '--format=xml']), (e: CliError) => e.exitCode === 2 && /--format must be one of text, json, github, sarif/.test(e.message));
      await assert.rejects(run(lintCommand, ['lint', path.join(repo, 'demo'), '--json', '--format=sarif']), (e: CliError) => e.exitCode === 2 && /two formats/.test(e.message));
    });

    it('every code lint reports has a summary for SARIF, once', () => {
      const emitted = new Set<string>();
      const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(file);
          else if (file.endsWith('.ts')) for (const m of fs.readFileSync(file, 'utf8').matchAll(/'(DS\d{3}|security\.W0\d\d)'/g)) emitted.add(m[1]!);
        }
      };
      walk(path.join(repo, 'engine/src/analysis/lint'));
      const codes = LINT_RULES.map((rule) => rule.code);
      assert.equal(new Set(codes).size, codes.length);
      assert.deepEqual([...emitted].sort(), [...codes].sort());
    });
  });
});
