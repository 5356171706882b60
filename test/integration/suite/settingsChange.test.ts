import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import { PyDict } from '../../../engine/src/codec';
import { signSessionCookie } from '../../../engine/src/stores/signedCookie';
import { readyApi } from './readyApi';

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

/** The demo settings' SECRET_KEY (demo/shop/settings.py). */
const DEMO_SECRET_KEY = 'django-insecure-demo-k3y-for-the-django-sessions-extension-0123456789';

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
    let labels = await labelsAfterNextChange(api, async () => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
      await vscode.workspace.applyEdit(edit);
      await document.save();
    });
    // The view may also change for the decoded cookie's editor closing; the store comes back with the next change or two.
    for (let i = 0; i < 5 && labels[0] !== 'db · SQLite · db.sqlite3'; i++) {
      labels = await labelsAfterNextChange(api, () => Promise.resolve());
    }
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
    // Its menus offer reading a cookie, not clearing expired sessions it does not keep (see the view/item/context when clauses).
    assert.equal(api.sessionsTree.getTreeItem(store!).contextValue, 'store.cookies.source');
    const [where, decode] = await api.sessionsTree.getChildren(store);
    assert.ok(where?.kind === 'message' && decode?.kind === 'message');
    assert.equal(where.text, "Sessions live in each visitor's browser, in the session cookie.");
    assert.equal(where.icon, 'info', 'a valid setup, not an error');
    assert.equal(decode.command, 'djangoSessions.decodeSessionCookie');
    // A cookie the demo's Django would set, pasted as the developer tools show it.
    const cookie = signSessionCookie(new PyDict([['_auth_user_id', '3'], ['cart', 'book']]), { secretKeys: { values: [DEMO_SECRET_KEY] }, serializer: 'json', cookieAgeSeconds: 1209600 });
    await vscode.commands.executeCommand('djangoSessions.decodeSessionCookie', cookie);
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.languageId, 'django-session');
    // Read-only and never dirty: a content provider's document cannot be edited or saved to disk.
    assert.equal(shown.uri.scheme, 'django-session-cookie');
    const before = shown.getText();
    await vscode.commands.executeCommand('type', { text: 'zz' });
    assert.equal(shown.getText(), before, 'typing changes nothing');
    assert.equal(shown.isDirty, false);
    assert.match(shown.getText(), /^\/\/ A session cookie of signed_cookies/);
    assert.match(shown.getText(), /\/\/ signature valid · signed .* · user 3\n\{\n  "_auth_user_id": "3",\n  "cart": "book"\n\}/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
