import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileChangeType, type Location } from 'vscode-languageserver/node';
import { tempProject } from '../engine/project/tempProject';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';

const VIEWS = 'def add(request):\n    request.session["banner"] = "hi"\n';

describe('session keys read in templates, in the editor', () => {
  let root: string;
  let server: LanguageServer;
  const file = (name: string) => path.join(root, name);
  const findings = (name: string) => (server.diagnostics.get(file(name)) ?? []).map((d) => `${String(d.code)} ${/'(\w+)'/.exec(String(d.message))?.[1]}`);

  before(async () => {
    root = tempProject({ 'shop/views.py': VIEWS });
    server = await startLanguageServer([root]);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('follows templates created, changed and deleted on disk: their reads answer writes, and their own findings are published', async () => {
    await eventually(() => assert.deepEqual(findings('shop/views.py'), ['DS102 banner']));
    const template = file('shop/templates/shop/base.html');
    fs.mkdirSync(path.dirname(template), { recursive: true });
    fs.writeFileSync(template, '{% if request.session.banner %}{{ request.session.banr }}{% endif %}\n');
    server.watched([[template, FileChangeType.Created]]);
    await eventually(() => assert.deepEqual(findings('shop/views.py'), []));
    assert.deepEqual(findings('shop/templates/shop/base.html'), ['DS101 banr']);
    const references = await server.at<Location[]>('textDocument/references', file('shop/views.py'), 1, 22, { context: { includeDeclaration: true } });
    assert.deepEqual(references.map((l) => `${path.relative(root, fileURLToPath(l.uri))}:${l.range.start.line}:${l.range.start.character}`).sort(), ['shop/templates/shop/base.html:0:22', 'shop/views.py:1:20']);
    const rename = (newName: string) => server.at<{ changes: Record<string, { newText: string }[]> }>('textDocument/rename', file('shop/views.py'), 1, 22, { newName });
    const renamed = await rename('notice');
    assert.deepEqual(Object.entries(renamed.changes).map(([uri, edits]) => [path.relative(root, fileURLToPath(uri)), edits.map((e) => e.newText)]).sort(), [
      ['shop/templates/shop/base.html', ['notice']],
      ['shop/views.py', ['notice']],
    ]);
    await assert.rejects(rename('_notice'), /cannot be looked up as request\.session\._notice in the template at \S*shop\/templates\/shop\/base\.html:1;/);
    // Django renders the session's own attribute where the key is missing: here the session id.
    await assert.rejects(rename('session_key'), /cannot be looked up as request\.session\.session_key in the template at \S*base\.html:1: that names the session's own session_key/);
    await assert.rejects(rename('items'), /that names the session's own items/);
    fs.writeFileSync(template, '{{ request.session.banner }}\n');
    server.watched([[template, FileChangeType.Changed]]);
    await eventually(() => assert.deepEqual(findings('shop/templates/shop/base.html'), []));
    fs.rmSync(template);
    server.watched([[template, FileChangeType.Deleted]]);
    await eventually(() => assert.deepEqual(findings('shop/views.py'), ['DS102 banner']));
  });
});
