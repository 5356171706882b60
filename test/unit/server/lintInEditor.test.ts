import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import { tempProject } from '../engine/project/tempProject';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';

const VIEWS = [
  'def init(request):',
  '    request.session["cart"] = {}',
  '',
  '',
  'def add(request):',
  '    request.session["cart"]["n"] = 1',
  '    return request.session["coupon"]',
  '',
].join('\n');

describe('lint findings in the editor', () => {
  let root: string;
  let file: string;
  let server: LanguageServer;
  const codes = () => (server.diagnostics.get(file) ?? []).map((d) => String(d.code)).sort();
  const actions = (d: Diagnostic) =>
    server.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: pathToFileURL(file).toString() }, range: d.range, context: { diagnostics: [d] } });

  before(async () => {
    root = tempProject({ 'views.py': VIEWS });
    file = path.join(root, 'views.py');
    server = await startLanguageServer([root]);
    server.open(file, VIEWS);
    await eventually(() => assert.deepEqual(codes(), ['DS101', 'DS104']));
  });
  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('offers to silence a finding with # noqa, and a # noqa comment silences it', async () => {
    const ds101 = server.diagnostics.get(file)!.find((d) => d.code === 'DS101')!;
    const offered = await actions(ds101);
    const noqa = offered.find((a) => a.title === 'Ignore DS101 on this line (# noqa)');
    assert.ok(noqa, offered.map((a) => a.title).join(', '));
    assert.deepEqual(Object.values(noqa.edit!.changes!)[0], [{ range: { start: { line: 6, character: 36 }, end: { line: 6, character: 36 } }, newText: '  # noqa: DS101' }]);
    server.change(file, VIEWS.replace('request.session["coupon"]', 'request.session["coupon"]  # noqa: DS101'));
    await eventually(() => assert.deepEqual(codes(), ['DS104']));
    server.change(file, VIEWS.replace('request.session["coupon"]', 'request.session["coupon"]  # noqa: DS102'));
    await eventually(() => assert.deepEqual(codes(), ['DS101', 'DS104']), 3000);
    const listed = (await actions(server.diagnostics.get(file)!.find((d) => d.code === 'DS101')!)).find((a) => a.title.startsWith('Ignore'));
    assert.equal(Object.values(listed!.edit!.changes!)[0]![0]!.newText, ', DS101', "a line's own noqa list is extended");
    server.change(file, VIEWS);
    await eventually(() => assert.deepEqual(codes(), ['DS101', 'DS104']));
  });

  it('offers # noqa after the last line of a statement that a backslash carries on', async () => {
    server.change(file, VIEWS.replace('return request.session["coupon"]', 'return request.session["coupon"] \\\n        or None'));
    await eventually(() => assert.equal(server.diagnostics.get(file)!.find((d) => d.code === 'DS101')!.range.start.line, 6));
    const offered = await actions(server.diagnostics.get(file)!.find((d) => d.code === 'DS101')!);
    const noqa = offered.find((a) => a.title.startsWith('Ignore'));
    assert.equal(noqa?.title, 'Ignore DS101 in this statement (# noqa on line 8)');
    assert.deepEqual(Object.values(noqa.edit!.changes!)[0], [{ range: { start: { line: 7, character: 15 }, end: { line: 7, character: 15 } }, newText: '  # noqa: DS101' }]);
    server.change(file, VIEWS);
    await eventually(() => assert.deepEqual(codes(), ['DS101', 'DS104']));
  });

  it('keeps the last findings, and offers no fixes, while the text does not parse', async () => {
    const before = JSON.stringify(server.diagnostics.get(file));
    const ds104 = server.diagnostics.get(file)!.find((d) => d.code === 'DS104')!;
    server.change(file, `x = foo(\n${VIEWS}`);
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(JSON.stringify(server.diagnostics.get(file)), before, 'nothing republished at the older places');
    assert.deepEqual(await actions(ds104), []);
    assert.equal(await server.at('textDocument/hover', file, 2, 22), null, 'nor hover by older places');
    server.change(file, `x = foo(1)\n${VIEWS}`);
    await eventually(() => assert.equal(server.diagnostics.get(file)!.find((d) => d.code === 'DS104')!.range.start.line, 6));
    assert.ok((await actions(server.diagnostics.get(file)!.find((d) => d.code === 'DS104')!)).some((a) => a.title === 'Add request.session.modified = True'));
  });

  it('takes the text of a file saved while it does not parse as it stands, as a scan does, instead of the findings of older text', async () => {
    server.change(file, VIEWS);
    await eventually(() => assert.equal(server.diagnostics.get(file)!.find((d) => d.code === 'DS104')!.range.start.line, 5));
    const saved = `import os\n${VIEWS}x = foo(\n`;
    server.change(file, saved);
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(server.diagnostics.get(file)!.find((d) => d.code === 'DS104')!.range.start.line, 5, 'held back while typed');
    fs.writeFileSync(file, saved);
    server.save(file);
    await eventually(() => assert.deepEqual(server.diagnostics.get(file)!.map((d) => [d.code, d.range.start.line]).sort(), [['DS101', 7], ['DS104', 6]]));
    fs.writeFileSync(file, VIEWS);
  });

  it('answers quick fixes asked right after an edit for the text as edited, and publishes findings with the version they are of', async () => {
    server.change(file, VIEWS);
    await eventually(() => assert.equal(server.diagnostics.get(file)!.find((d) => d.code === 'DS104')!.range.start.line, 5));
    const before = server.diagnosticVersions.get(file)!;
    const edited = `"""Cart views."""\n${VIEWS}`;
    server.change(file, edited);
    // Ctrl+. at once, before the findings of the edited text were published: DS101 is on line 7 now, not 6.
    const line = edited.split('\n')[7]!;
    const offered = await server.codeActions(file, { start: { line: 7, character: 0 }, end: { line: 7, character: line.length } });
    const noqa = offered.find((a) => a.title === 'Ignore DS101 on this line (# noqa)');
    assert.ok(noqa, offered.map((a) => a.title).join(', '));
    const end = { line: 7, character: line.length };
    assert.deepEqual(Object.values(noqa.edit!.changes!)[0], [{ range: { start: end, end }, newText: '  # noqa: DS101' }]);
    await eventually(() => assert.equal(server.diagnostics.get(file)!.find((d) => d.code === 'DS101')!.range.start.line, 7));
    assert.equal(server.diagnosticVersions.get(file), before + 1);
  });
});
