import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { tempProject } from '../engine/project/tempProject';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';

const SETTINGS = ['SECRET_KEY = "k"', 'SESSION_COOKIE_AGE = "1209600"', 'SESSION_COOKIE_SECURED = True', ''].join('\n');

describe("settings findings' quick fixes in the editor", () => {
  let root: string;
  let file: string;
  let server: LanguageServer;
  const found = (code: string) => (server.diagnostics.get(file) ?? []).find((d) => d.code === code);
  const actions = (d: Diagnostic) =>
    server.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: pathToFileURL(file).toString() }, range: d.range, context: { diagnostics: [d] } });

  before(async () => {
    root = tempProject({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n', 'site/__init__.py': '', 'site/settings.py': SETTINGS });
    file = path.join(root, 'site', 'settings.py');
    server = await startLanguageServer([root]);
    server.open(file, SETTINGS);
    await eventually(() => assert.ok(found('DS201') && found('DS202')));
  });
  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('follows the unsaved text of the settings, placing findings and fixes on its lines, while the stores wait for the save', async () => {
    const ds202 = found('DS202')!;
    assert.ok((await actions(ds202)).some((a) => a.title === 'Use 1209600'));
    const listed = server.storesChanged();
    const edited = `DEBUG = True\n${SETTINGS}`;
    server.change(file, edited);
    await eventually(() => assert.equal(found('DS202')?.range.start.line, 2));
    const fix = (await actions(found('DS202')!)).find((a) => a.title === 'Use 1209600');
    assert.equal(Object.values(fix!.edit!.changes!)[0]![0]!.range.start.line, 2);
    // A typo fixed without saving is no finding any more.
    server.change(file, edited.replace('SESSION_COOKIE_SECURED', 'SESSION_COOKIE_SECURE'));
    await eventually(() => assert.equal(found('DS201'), undefined));
    assert.equal(fs.readFileSync(file, 'utf8'), SETTINGS, 'nothing written');
    assert.equal(server.storesChanged(), listed, 'the stores follow the saved settings only');
    // Closed unsaved, the findings are those of the file on disk again.
    server.close(file);
    await eventually(() => assert.equal(found('DS201')?.range.start.line, 2));
  });

  it('judges DS104 by SESSION_SAVE_EVERY_REQUEST as typed in the settings editor', async () => {
    const views = path.join(root, 'site', 'views.py');
    fs.writeFileSync(views, 'def add(request):\n    request.session["cart"]["n"] = 1\n    return request.session["cart"]\n');
    server.watched([[views, 1]]);
    await eventually(() => assert.ok((server.diagnostics.get(views) ?? []).some((d) => d.code === 'DS104')));
    server.open(file, SETTINGS);
    server.change(file, `${SETTINGS}SESSION_SAVE_EVERY_REQUEST = True\n`);
    await eventually(() => assert.ok(!(server.diagnostics.get(views) ?? []).some((d) => d.code === 'DS104')));
    server.change(file, SETTINGS);
    await eventually(() => assert.ok((server.diagnostics.get(views) ?? []).some((d) => d.code === 'DS104')));
  });

  it('reports a MIDDLEWARE without session middleware (DS211) while a view reads request.session, as the view is typed, with its fix', async () => {
    const middleware = `${SETTINGS}MIDDLEWARE = [\n    "django.middleware.common.CommonMiddleware",\n]\n`;
    const views = path.join(root, 'site', 'views.py');
    const reading = 'def add(request):\n    return request.session.get("cart")\n';
    server.open(file, middleware);
    server.open(views, reading);
    await eventually(() => assert.equal(found('DS211')?.range.start.line, 3));
    const fix = (await actions(found('DS211')!)).find((a) => a.title === 'Add SessionMiddleware before CommonMiddleware');
    assert.deepEqual(Object.values(fix!.edit!.changes!)[0], [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, newText: '    "django.contrib.sessions.middleware.SessionMiddleware",\n' }]);
    server.change(views, 'def add(request):\n    return None\n');
    await eventually(() => assert.equal(found('DS211'), undefined));
  });
});
