import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readyApi } from './readyApi';

async function completionLabels(document: vscode.TextDocument, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position, "'");
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

describe('session-key completion', () => {
  let document: vscode.TextDocument;

  before(async () => {
    await readyApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the demo project is open');
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'shop', 'views.py')));
    await vscode.window.showTextDocument(document);
  });

  after(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it("offers the project's keys at request.session['|", async () => {
    const editor = vscode.window.activeTextEditor!;
    const end = document.lineAt(document.lineCount - 1).range.end;
    await editor.edit((e) => e.insert(end, "\n\ndef typing(request):\n    request.session['"));
    const labels = await completionLabels(document, document.lineAt(document.lineCount - 1).range.end);
    for (const key of ['cart', 'currency', 'recently_viewed', 'onboarding_step', 'onboarded']) {
      assert.ok(labels.includes(key), `${key} offered, got ${labels.join(', ')}`);
    }
  });

  it('completes request.session[] (the bracket auto-closed) before any quote, writing the whole literal', async () => {
    const editor = vscode.window.activeTextEditor!;
    const end = document.lineAt(document.lineCount - 1).range.end;
    await editor.edit((e) => e.insert(end, "']\n    request.session[]"));
    const last = () => document.lineAt(document.lineCount - 1);
    const cursor = last().range.end.translate(0, -1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, cursor, '[');
    // Not VS Code's word-based suggestion of the same text: ours says what it is.
    const cart = list.items.find((i) => i.label === 'cart' && i.detail?.startsWith('session key'));
    assert.ok(cart, `cart offered at ${JSON.stringify(cursor)} in ${JSON.stringify(document.getText().slice(-120))}, got ${list.items.map((i) => `${typeof i.label === 'string' ? i.label : i.label.label} (${i.detail})`).join(', ')}`);
    const range = cart.range instanceof vscode.Range ? cart.range : cart.range!.replacing;
    await editor.edit((e) => e.replace(range, typeof cart.insertText === 'string' ? cart.insertText : cart.insertText!.value));
    // The demo's views quote with ", so the key is quoted so too.
    assert.equal(last().text, '    request.session["cart"]');
    await editor.edit((e) => e.delete(new vscode.Range(last().range.start.translate(0, 4), last().range.end)));
    await editor.edit((e) => e.insert(last().range.end, "request.session['"));
  });

  it("offers them inside request.session.get('|')", async () => {
    const editor = vscode.window.activeTextEditor!;
    const end = document.lineAt(document.lineCount - 1).range.end;
    await editor.edit((e) => e.insert(end, "']\n    request.session.get('')"));
    const line = document.lineAt(document.lineCount - 1);
    const labels = await completionLabels(document, line.range.end.translate(0, -2));
    assert.ok(labels.includes('cart'), `cart offered, got ${labels.join(', ')}`);
  });
});
