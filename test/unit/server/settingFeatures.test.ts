import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CompletionItemKind, CompletionItemTag, ResponseError, type Location } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SessionKeyIndex } from '../../../engine/src';
import { tempProject } from '../engine/project/tempProject';
import { completeSessionSettings } from '../../../server/src/completion';
import { hoverSessionSetting } from '../../../server/src/hover';
import { toFilePath } from '../../../server/src/fileUri';
import { toPath } from '../../../server/src/keyIndexService';
import { sessionSettingDefinition, sessionSettingReferences } from '../../../server/src/navigation';
import { ProjectModel } from '../../../server/src/projectModel';
import { refuseSessionSettingRename } from '../../../server/src/rename';

/** A split-settings project: settings.py star-imports base.py and overrides one setting; a view reads it. */
const FILES: Record<string, string> = {
  'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
  'shop/__init__.py': '',
  'shop/base.py': "SESSION_COOKIE_AGE = 3600\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n",
  'shop/settings.py': 'from .base import *\n\nSESSION_COOKIE_AGE = 1800\nCSRF_COOKIE_AGE = SESSION_COOKIE_AGE\n',
  'shop/views.py': ['from django.conf import settings', '', 'def ttl(request):', '    return settings.SESSION_COOKIE_AGE, settings.SESSION_COOKIE_SECURE', ''].join('\n'),
};

describe('SESSION_* settings in the language server', () => {
  let root: string;
  let index: SessionKeyIndex;
  let model: ProjectModel;
  const file = (name: string) => path.join(root, name);
  const text = (f: string) => fs.readFileSync(f, 'utf8');
  /** The position `offset` characters into the first `needle` of a file. */
  const at = (name: string, needle: string, offset = 1) => {
    const lines = text(file(name)).split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    assert.ok(line >= 0, `${needle} in ${name}`);
    return { line, character: lines[line]!.indexOf(needle) + offset };
  };
  const places = (locations: Location[] | undefined) => locations?.map((l) => `${path.relative(root, fileURLToPath(l.uri))}:${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`);

  before(async () => {
    root = tempProject(FILES, 'ds-server-settings-');
    index = await SessionKeyIndex.create();
    index.addRoot(root);
    for (const name of Object.keys(FILES)) index.updateFile(file(name), FILES[name]!);
    model = new ProjectModel(
      () => [root],
      () => ({ storeUrl: '', settingsModules: {} }),
    );
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('completes setting names in a settings module, with type and default', async () => {
    const document = TextDocument.create(pathToFileURL(file('shop/settings.py')).toString(), 'python', 1, 'SESSION_SA');
    assert.equal((await model.settingScope(file('shop/settings.py'))).inSettingsModule, true);
    const list = completeSessionSettings(index.python, document, 0, 10)!;
    const samesite = list.items.find((i) => i.label === 'SESSION_COOKIE_SAMESITE')!;
    assert.deepEqual(samesite, {
      label: 'SESSION_COOKIE_SAMESITE',
      kind: CompletionItemKind.Property,
      detail: "'Lax', 'Strict', 'None', False or None · default 'Lax'",
      documentation: { kind: 'markdown', value: "The session cookie's SameSite flag: 'Lax', 'Strict', 'None', or False for none." },
      filterText: 'SESSION_COOKIE_SAMESITE',
      textEdit: { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } }, newText: 'SESSION_COOKIE_SAMESITE' },
      sortText: '006',
    });
  });

  it('completes value choices, tagging PickleSerializer deprecated', () => {
    const document = TextDocument.create('file:///x/settings.py', 'python', 1, "SESSION_SERIALIZER = '");
    const items = completeSessionSettings(index.python, document, 0, 22)!.items;
    assert.deepEqual(
      items.map((i) => [i.label, i.kind, i.tags]),
      [
        ['django.contrib.sessions.serializers.JSONSerializer', CompletionItemKind.Value, undefined],
        ['django.contrib.sessions.serializers.PickleSerializer', CompletionItemKind.Value, [CompletionItemTag.Deprecated]],
      ],
    );
    assert.equal(completeSessionSettings(index.python, TextDocument.create('file:///x/settings.py', 'python', 1, 'x = 1'), 0, 5), undefined);
  });

  it("hovers a setting in a settings module with Django's docs and the project's value and place", async () => {
    const scope = await model.settingScope(file('shop/settings.py'));
    const hover = hoverSessionSetting(index.python, text(file('shop/settings.py')), at('shop/settings.py', 'SESSION_COOKIE_AGE ='), scope, root)!;
    assert.equal(
      (hover.contents as { value: string }).value,
      [
        '**Django setting** `SESSION_COOKIE_AGE`',
        '',
        'How long a session lasts, in seconds: the cookie max-age and the stored expiry.',
        '',
        "Type: an int or float (seconds) · Django's default: `1209600`",
        '',
        'This project: `1800`, set in `shop/settings.py:3`',
      ].join('\n'),
    );
    assert.deepEqual(hover.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 18 } });
  });

  it('hovers settings.SESSION_X in code, saying when Django\'s default applies', async () => {
    const views = file('shop/views.py');
    const scope = await model.settingScope(views);
    assert.equal(scope.inSettingsModule, false);
    const value = (hoverSessionSetting(index.python, text(views), at('shop/views.py', 'SESSION_COOKIE_SECURE'), scope, root)!.contents as { value: string }).value;
    assert.match(value, /^\*\*Django setting\*\* `SESSION_COOKIE_SECURE`\n\nSends the session cookie with Secure/);
    assert.match(value, /This project does not set it, so Django's default applies\.$/);
    // A bare name outside a settings module is just a name.
    assert.equal(hoverSessionSetting(index.python, 'SESSION_COOKIE_AGE = 1\n', { line: 0, character: 2 }, scope, root), undefined);
  });

  it('goes from settings.SESSION_X to every assignment in the settings modules', async () => {
    const views = file('shop/views.py');
    const locations = sessionSettingDefinition(index, text, views, at('shop/views.py', 'SESSION_COOKIE_AGE'), await model.settingScope(views));
    assert.deepEqual(places(locations), ['shop/settings.py:2:0-18', 'shop/base.py:0:0-18']);
  });

  it('finds references: the uses in the settings modules and the settings.SESSION_X reads', async () => {
    const settings = file('shop/settings.py');
    const locations = sessionSettingReferences(index, text, settings, at('shop/settings.py', 'SESSION_COOKIE_AGE ='), await model.settingScope(settings));
    assert.deepEqual(places(locations), ['shop/settings.py:2:0-18', 'shop/settings.py:3:18-36', 'shop/base.py:0:0-18', 'shop/views.py:3:20-38']);
  });

  it('refuses to rename a setting, saying why', async () => {
    const settings = file('shop/settings.py');
    const refusal = refuseSessionSettingRename(index.python, text(settings), at('shop/settings.py', 'SESSION_COOKIE_AGE ='), await model.settingScope(settings));
    assert.ok(refusal instanceof ResponseError);
    assert.equal(refusal.message, 'SESSION_COOKIE_AGE is a setting: Django reads it by this exact name, so a renamed setting would silently have no effect.');
    assert.equal(refuseSessionSettingRename(index.python, text(settings), at('shop/settings.py', 'CSRF_COOKIE_AGE'), await model.settingScope(settings)), undefined);
  });

  it('re-reads discovery for exactly the environment files discovery read or looked for, whatever their URI', async () => {
    const files: Record<string, string> = {
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
      'site/__init__.py': '',
      'site/settings.py': "import environ\nfrom dotenv import load_dotenv\nenviron.Env.read_env('config/settings.ini')\nload_dotenv()\nSECRET_KEY = 'k'\n",
      'config/settings.ini': 'DEBUG=1\n',
      '.env.example': 'SECRET_KEY=example\n',
      'frontend/.env': 'API=x\n',
      'test.env': 'X=1\n',
    };
    const project = tempProject(files, 'djs-envfiles-');
    try {
      const envModel = new ProjectModel(() => [project], () => ({ storeUrl: '', settingsModules: {} }));
      await envModel.projects();
      const affects = (name: string) => envModel.affectsDiscovery(toFilePath(pathToFileURL(path.join(project, name)).toString())!);
      // Read by read_env; looked for beside manage.py and above it (creating one changes the settings); find_dotenv's first place.
      for (const name of ['config/settings.ini', '.env', '../.env', 'site/.env']) {
        assert.equal(affects(name), true, name);
      }
      for (const name of ['.env.example', 'frontend/.env', 'test.env', 'site/views.py']) {
        assert.equal(affects(name), false, name);
      }
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
    assert.equal(toPath(pathToFileURL(file('.env')).toString()), undefined);
    assert.equal(toFilePath('untitled:Untitled-1'), undefined);
  });

  it('treats a settings module the project is not configured with as one, with its own values', async () => {
    const files: Record<string, string> = {
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.dev')\n",
      'config/__init__.py': '',
      'config/settings/__init__.py': '',
      'config/settings/base.py': 'SESSION_COOKIE_AGE = 3600\n',
      'config/settings/dev.py': 'from .base import *\n\nSESSION_COOKIE_SECURE = False\n',
      'config/settings/prod.py': 'from .base import *\n\nSESSION_COOKIE_AGE = 600\nSESSION_COOKIE_SECURE = True\n',
    };
    const project = tempProject(files, 'djs-variants-');
    try {
      const variantModel = new ProjectModel(() => [project], () => ({ storeUrl: '', settingsModules: {} }));
      const prod = path.join(project, 'config/settings/prod.py');
      const prodText = files['config/settings/prod.py']!;
      const scope = await variantModel.settingScope(prod);
      assert.equal(scope.inSettingsModule, true, 'completion offers SESSION_* names in prod.py');
      assert.equal((await variantModel.settingScope(path.join(project, 'config/settings/dev.py'))).inSettingsModule, true);
      const hover = (hoverSessionSetting(index.python, prodText, { line: 2, character: 3 }, scope, project)!.contents as { value: string }).value;
      assert.match(hover, /This project: `600`, set in `config\/settings\/prod\.py:3`$/, "prod.py's own value, not dev's 3600");
      const definition = sessionSettingDefinition(index, (f) => fs.readFileSync(f, 'utf8'), prod, { line: 2, character: 3 }, scope);
      assert.deepEqual(
        definition?.map((l) => `${path.relative(project, fileURLToPath(l.uri))}:${l.range.start.line}`),
        ['config/settings/prod.py:2', 'config/settings/base.py:0'],
      );
      assert.equal(variantModel.affectsDiscovery(prod), true, 'editing prod.py reads its values again');
      // In app code, settings.X is the configured module's, and the other modules' the project can run with, each named.
      const view = path.join(project, 'shop/views.py');
      const viewText = 'from django.conf import settings\n\ndef ttl(request):\n    return settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_DOMAIN\n';
      fs.mkdirSync(path.dirname(view), { recursive: true });
      fs.writeFileSync(view, viewText);
      const inCode = await variantModel.settingScope(view);
      const hoverAt = (needle: string) => (hoverSessionSetting(index.python, viewText, { line: 3, character: viewText.split('\n')[3]!.indexOf(needle) + 3 }, inCode, project)!.contents as { value: string }).value;
      assert.match(hoverAt('SESSION_COOKIE_SECURE'), /This project \(`config\/settings\/dev\.py`\): `False`, set in `config\/settings\/dev\.py:3`\n\nWith `config\/settings\/prod\.py`: `True`, set in `config\/settings\/prod\.py:4`$/);
      assert.match(hoverAt('SESSION_COOKIE_DOMAIN'), /This project \(`config\/settings\/dev\.py`\) does not set it, so Django's default applies\.\n\nWith `config\/settings\/prod\.py`: not set, so Django's default applies\.$/);
      const secure = { line: 3, character: viewText.split('\n')[3]!.indexOf('SESSION_COOKIE_SECURE') + 3 };
      const assigned = sessionSettingDefinition(index, (f) => fs.readFileSync(f, 'utf8'), view, secure, inCode);
      assert.deepEqual(assigned?.map((l) => `${path.relative(project, fileURLToPath(l.uri))}:${l.range.start.line}`), ['config/settings/dev.py:2', 'config/settings/prod.py:3']);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
