import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkspaceEdit } from 'vscode-languageserver/node';
import { tempProject } from '../engine/project/tempProject';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';

const VIEWS = 'def add(request):\n    request.session["cart"] = 1\n';
/** A library's code that writes the same key and reads one nothing writes: both would be findings if it were indexed. */
const LIBRARY = 'def show(request):\n    request.session["cart"] = 2\n    return request.session["missing_key"]\n';

describe('Python files outside the workspace folders', () => {
  let root: string;
  let outside: string;
  let server: LanguageServer;
  const library = () => path.join(outside, 'lib/python3/dist-packages/shoplib/views.py');
  // A sibling folder whose name starts like the root's is outside it too.
  const sibling = () => `${root}2/views.py`;

  before(async () => {
    root = tempProject({ 'shop/views.py': VIEWS });
    outside = tempProject({ 'lib/python3/dist-packages/shoplib/views.py': LIBRARY });
    fs.mkdirSync(`${root}2`);
    fs.writeFileSync(sibling(), LIBRARY);
    server = await startLanguageServer([root]);
  });

  after(async () => {
    await server.stop();
    for (const dir of [root, `${root}2`, outside]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are not indexed while open, after closing, or on a watcher event: no findings, and renames leave them alone', async () => {
    for (const file of [library(), sibling()]) {
      server.open(file, LIBRARY);
      server.change(file, `${LIBRARY}\n`);
    }
    const rename = () => server.at<WorkspaceEdit>('textDocument/rename', path.join(root, 'shop/views.py'), 1, 22, { newName: 'basket' });
    const renamedFiles = async () => Object.keys((await rename()).changes ?? {}).map((uri) => fileURLToPath(uri));
    assert.deepEqual(await renamedFiles(), [path.join(root, 'shop/views.py')]);
    for (const file of [library(), sibling()]) server.close(file);
    server.watched([[library(), 1]]);
    assert.deepEqual(await renamedFiles(), [path.join(root, 'shop/views.py')]);
    // Diagnostics are published after a pause: wait for a run that saw the edits above.
    server.open(path.join(root, 'shop/views.py'), `${VIEWS}    return request.session["unwritten"]\n`);
    await eventually(() => assert.ok(server.diagnostics.get(path.join(root, 'shop/views.py'))?.some((d) => String(d.message).includes('unwritten'))));
    assert.deepEqual(server.diagnostics.get(library()) ?? [], []);
    assert.deepEqual(server.diagnostics.get(sibling()) ?? [], []);
  });
});
