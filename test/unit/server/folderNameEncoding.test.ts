import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceEdit } from 'vscode-languageserver/node';
import { fileUri } from '../../../server/src/fileUri';
import { tempProject } from '../engine/project/tempProject';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';
import { positionOf } from './positionOf';

const VIEWS = [
  'def init(request):',
  '    request.session["cart"] = {}',
  '',
  '',
  'def show(request):',
  '    return request.session["cart"], request.session["coupon"]',
  '',
].join('\n');
/** The views as edited and not saved: two lines more above everything. */
const EDITED = `import os\nimport sys\n${VIEWS}`;

describe('a project in a folder whose name VS Code percent-encodes', () => {
  let root: string;
  let file: string;
  let server: LanguageServer;
  const codes = () => (server.diagnostics.get(file) ?? []).map((d) => String(d.code));

  before(async () => {
    // VS Code sends `(`, `)`, `@`, `+` and `,` as `%28`, `%29`, `%40`, `%2B`, `%2C`; Node's file URLs keep them.
    root = tempProject({ 'shop/views.py': VIEWS }, 'shop (copy) @v1+x,y-');
    file = path.join(root, 'shop', 'views.py');
    server = await startLanguageServer([root]);
    server.open(file, VIEWS);
    server.change(file, EDITED);
    await eventually(() => assert.equal(server.diagnostics.get(file)?.find((d) => d.code === 'DS101')?.range.start.line, 7));
  });
  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('spells file URIs as VS Code does', () => {
    assert.equal(fileUri('/tmp/shop (copy)/a@b+c,d/v1!.py'), 'file:///tmp/shop%20%28copy%29/a%40b%2Bc%2Cd/v1%21.py');
  });

  it("silences a finding by the editor's unsaved # noqa, and offers it at the end of the editor's line", async () => {
    const line = EDITED.split('\n')[7]!;
    const noqa = (await server.codeActions(file, { start: { line: 7, character: 0 }, end: { line: 7, character: line.length } })).find((a) => a.title === 'Ignore DS101 on this line (# noqa)');
    assert.deepEqual(Object.values(noqa!.edit!.changes!)[0], [{ range: { start: { line: 7, character: line.length }, end: { line: 7, character: line.length } }, newText: '  # noqa: DS101' }]);
    server.change(file, EDITED.replace(line, `${line}  # noqa: DS101`));
    await eventually(() => assert.deepEqual(codes(), []));
    server.change(file, EDITED);
    await eventually(() => assert.deepEqual(codes(), ['DS101']));
  });

  it("renames by the editor's unsaved text", async () => {
    const { line, character } = positionOf(EDITED, '"cart"', 2, 1);
    const edit = await server.at<WorkspaceEdit>('textDocument/rename', file, line, character, { newName: 'basket' });
    const lines = Object.values(edit.changes!)[0]!.map((e) => e.range.start.line).sort();
    assert.deepEqual(lines, [3, 7]);
  });
});
