import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readyApi } from './readyApi';

describe('session-key hover, references and rename', () => {
  let document: vscode.TextDocument;
  let cart: vscode.Position;

  before(async () => {
    await readyApi();
    const folder = vscode.workspace.workspaceFolders![0]!;
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'shop', 'views.py')));
    const offset = document.getText().indexOf('"currency", "EUR"');
    cart = document.positionAt(offset + 2);
  });

  it('hovers a key with where the project writes it', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, cart);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /session key\*\* `currency`/);
    assert.match(text, /Written in 1 place/);
  });

  it('finds its references across files', async () => {
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', document.uri, cart);
    assert.deepEqual(refs.map((r) => path.basename(r.uri.fsPath)).sort(), ['views.py', 'views.py']);
  });

  it('renames it in every literal', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', document.uri, cart, 'display_currency');
    const edits = edit.entries().flatMap(([, list]) => list.map((e) => e.newText));
    assert.deepEqual(edits, ['display_currency', 'display_currency']);
  });
});
