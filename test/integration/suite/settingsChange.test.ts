import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import { readyApi } from './sessionsView.test';

/** The store rows' labels, after the view next changes. */
async function labelsAfterNextChange(api: DjangoSessionsApi, change: () => Thenable<unknown>): Promise<string[]> {
  const changed = new Promise<void>((resolve) => {
    const listener = api.sessionsTree.onDidChangeTreeData(() => {
      listener.dispose();
      resolve();
    });
  });
  await change();
  await changed;
  const roots = await api.sessionsTree.getChildren();
  return roots.map((n) => String(api.sessionsTree.getTreeItem(n).label));
}

describe('editing settings', () => {
  let api: DjangoSessionsApi;
  let document: vscode.TextDocument;
  let original: string;

  before(async () => {
    api = await readyApi();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, 'shop', 'settings.py')));
    original = document.getText();
  });

  // Later suites need the demo's own store back, so this waits until the view shows it again.
  after(async () => {
    const labels = await labelsAfterNextChange(api, async () => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
      await vscode.workspace.applyEdit(edit);
      await document.save();
    });
    assert.deepEqual(labels, ['db · SQLite · db.sqlite3']);
  });

  it('shows the store the saved settings name, without a manual refresh', async () => {
    const engineLine = 'SESSION_ENGINE = "django.contrib.sessions.backends.db"';
    const at = original.indexOf(engineLine);
    assert.ok(at >= 0, 'the demo settings name the db engine');
    const labels = await labelsAfterNextChange(api, async () => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + engineLine.length)), 'SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"');
      await vscode.workspace.applyEdit(edit);
      await document.save();
    });
    assert.deepEqual(labels, ["signed_cookies · in the browser's cookie"]);
    const [store] = await api.sessionsTree.getChildren();
    const [message] = await api.sessionsTree.getChildren(store);
    assert.equal(message?.kind, 'message');
    assert.match(message.text, /in the visitor's browser.*developer tools.*django-sessions decode-cookie VALUE/);
  });
});
