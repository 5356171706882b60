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

  it('offers them while the file is as it was read from disk, and none once an unsaved edit moved its lines, so no fix lands on another line', async () => {
    const ds202 = found('DS202')!;
    assert.ok((await actions(ds202)).some((a) => a.title === 'Use 1209600'));
    const edited = `DEBUG = True\n${SETTINGS}`;
    server.change(file, edited);
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.deepEqual(await actions(ds202), []);
    assert.deepEqual(await actions(found('DS201')!), []);
    // Saved and read again, the findings and their fixes are placed on the saved lines.
    fs.writeFileSync(file, edited);
    server.save(file);
    await eventually(() => assert.equal(found('DS202')?.range.start.line, 2));
    const fix = (await actions(found('DS202')!)).find((a) => a.title === 'Use 1209600');
    assert.equal(Object.values(fix!.edit!.changes!)[0]![0]!.range.start.line, 2);
  });
});
