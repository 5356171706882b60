import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import type { SessionsNode } from '../../../client/src/sessionsTree';
import { readyApi } from './readyApi';

type ValueNode = Extract<SessionsNode, { kind: 'value' }>;

function place(location: vscode.Location): string {
  return `${path.basename(location.uri.fsPath)} ${location.range.start.line}:${location.range.start.character}`;
}

describe('from the Sessions view to the code and back', () => {
  let api: DjangoSessionsApi;
  let views: vscode.TextDocument;

  before(async () => {
    api = await readyApi();
    const folder = vscode.workspace.workspaceFolders![0]!;
    views = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'shop', 'views.py')));
  });

  afterEach(async () => {
    api.sessionsTree.setFilter(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** A top-level value of alice's live session, as the view shows it. */
  async function aliceValue(key: string): Promise<ValueNode> {
    const [store] = await api.sessionsTree.getChildren();
    const alice = (await api.sessionsTree.getChildren(store)).find((n) => n.kind === 'session' && n.session.userId === '1' && !n.session.expired);
    const value = (await api.sessionsTree.getChildren(alice)).find((n): n is ValueNode => n.kind === 'value' && n.value.key === key);
    assert.ok(value, `alice's session holds ${key}`);
    return value;
  }

  it("shows a session value's key in the code, at the places Find References gives for it, in the editor of the first", async () => {
    const cart = await aliceValue('cart');
    assert.match(String(api.sessionsTree.getTreeItem(cart).contextValue), /^value\.top/, 'the row offers Find Key in Code');
    const shown = await vscode.commands.executeCommand<vscode.Location[] | string>('djangoSessions.findKeyInCode', cart);
    assert.ok(Array.isArray(shown), String(shown));
    const at = views.positionAt(views.getText().indexOf('"cart"') + 2);
    const references = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', views.uri, at);
    assert.deepEqual(shown.map(place).sort(), references.map(place).sort());
    assert.deepEqual(shown.map(place).sort(), ['views.py 14:38', 'views.py 23:31', 'views.py 38:73']);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, views.uri.fsPath, 'the peek opens in the first place');
  });

  it('says that no code uses a key only Django writes, and what Django uses it for', async () => {
    const said = await vscode.commands.executeCommand<vscode.Location[] | string>('djangoSessions.findKeyInCode', await aliceValue('_auth_user_id'));
    assert.equal(said, "No code in this workspace reads or writes '_auth_user_id'. The logged-in user's primary key, as a string. Written by django.contrib.auth.login.");
  });

  it("lists the sessions holding a key from the link in the key's hover", async () => {
    const at = views.positionAt(views.getText().indexOf('"cart"') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', views.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    const link = /\]\(command:([\w.]+)\?([^\s()]*)\)/.exec(text);
    assert.ok(link, text);
    // As VS Code's command opener reads it: the query URI.parse decoded, decoded again.
    await vscode.commands.executeCommand(link[1]!, ...(JSON.parse(decodeURIComponent(vscode.Uri.parse(`command:${link[1]}?${link[2]}`).query)) as unknown[]));
    assert.equal(api.sessionsTree.filterText, 'key:cart');
    const [store] = await api.sessionsTree.getChildren();
    const sessions = (await api.sessionsTree.getChildren(store)).filter((n) => n.kind === 'session');
    assert.ok(sessions.length > 0);
    for (const session of sessions) {
      const keys = (await api.sessionsTree.getChildren(session)).flatMap((n) => (n.kind === 'value' && n.value.key !== undefined ? [n.value.key] : []));
      assert.ok(keys.includes('cart'), keys.join(', '));
    }
  });

  it('lists the sessions holding the key under the cursor, from the editor', async () => {
    const editor = await vscode.window.showTextDocument(views);
    const at = views.positionAt(views.getText().indexOf('"currency"') + 3);
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('djangoSessions.showSessionsWithKey');
    assert.equal(api.sessionsTree.filterText, 'key:currency');
  });
});
