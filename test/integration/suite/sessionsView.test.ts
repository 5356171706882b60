import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import type { SessionsNode } from '../../../client/src/sessionsTree';
import { updateSetting } from './demoSettings';
import { readyApi } from './readyApi';

function labelOf(api: DjangoSessionsApi, node: SessionsNode): string {
  const label = api.sessionsTree.getTreeItem(node).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

describe('Sessions view on the demo project', () => {
  let api: DjangoSessionsApi;

  before(async () => {
    api = await readyApi();
  });

  it('shows the SQLite store found in demo/shop/settings.py', async () => {
    const roots = await api.sessionsTree.getChildren();
    assert.equal(roots.length, 1);
    const store = roots[0]!;
    assert.equal(store.kind, 'store');
    assert.equal(labelOf(api, store), 'db · SQLite · db.sqlite3');
  });

  it('lists the seeded sessions, decoded, with masked keys and expiry', async () => {
    const [store] = await api.sessionsTree.getChildren();
    const children = await api.sessionsTree.getChildren(store);
    const sessions = children.filter((n): n is Extract<SessionsNode, { kind: 'session' }> => n.kind === 'session');
    assert.equal(sessions.length, 23, 'demo/seed.sql holds 23 sessions');
    for (const s of sessions) {
      assert.match(s.session.displayKey, /^[a-z0-9]{4}•{8}$/, 'keys are masked by default');
      assert.ok(s.session.expireDate, 'every db session has an expiry');
    }
    assert.equal(sessions.filter((s) => s.session.expired).length, 2);
    assert.equal(sessions.filter((s) => s.session.signature === 'invalid').length, 1, 'one row is signed with another SECRET_KEY');
    assert.equal(sessions.filter((s) => s.session.signature === 'undecodable').length, 1, 'one row is not session data');
    assert.deepEqual([...new Set(sessions.map((s) => s.session.userId).filter(Boolean))].sort(), ['1', '2', '3']);
    const item = api.sessionsTree.getTreeItem(sessions[0]!);
    assert.match(String(item.description), /expires in|expired/);
    // Two are seeded a day ahead: a moment later they read as the day they are, as the rows around them count days, not "24 hours".
    const descriptions = sessions.map((s) => String(api.sessionsTree.getTreeItem(s).description));
    assert.ok(!descriptions.some((d) => /\b(24 hours|60 minutes)\b/.test(d)), descriptions.join('\n'));
  });

  it("expands a logged-in user's session into its keys and values", async () => {
    const [store] = await api.sessionsTree.getChildren();
    const children = await api.sessionsTree.getChildren(store);
    const alice = children.find((n) => n.kind === 'session' && n.session.userId === '1' && !n.session.expired);
    assert.ok(alice, "alice's live session is listed");
    const values = await api.sessionsTree.getChildren(alice);
    const byLabel = new Map(values.map((v) => [labelOf(api, v), v]));
    assert.deepEqual([...byLabel.keys()], ['_auth_user_id', '_auth_user_backend', '_auth_user_hash', 'cart', 'currency', 'recently_viewed']);
    const cart = byLabel.get('cart')!;
    assert.equal(api.sessionsTree.getTreeItem(cart).description, "{'1': 2, '3': 1}");
    const cartItems = await api.sessionsTree.getChildren(cart);
    assert.deepEqual(cartItems.map((n) => `${labelOf(api, n)}=${api.sessionsTree.getTreeItem(n).description}`), ["'1'=2", "'3'=1"]);
  });

  it('tells when Django signed a session, and whether it is compressed, in its tooltip', async () => {
    const [store] = await api.sessionsTree.getChildren();
    const children = await api.sessionsTree.getChildren(store);
    const alice = children.find((n) => n.kind === 'session' && n.session.userId === '1' && !n.session.expired)!;
    const item = api.sessionsTree.getTreeItem(alice);
    assert.equal(item.tooltip, undefined, 'left for resolveTreeItem, which VS Code calls only for what is unset');
    const resolved = await api.sessionsTree.resolveTreeItem(item, alice, new vscode.CancellationTokenSource().token);
    const tooltip = resolved.tooltip instanceof vscode.MarkdownString ? resolved.tooltip.value : '';
    assert.match(tooltip, /^- Signed at: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\), \d{4}-\d{2}-\d{2}T/m);
    assert.match(tooltip, /^- Compressed: (yes|no)$/m);
  });

  it('opens a session whole as a JSONC document, its key masked, that can be saved', async () => {
    const [store] = await api.sessionsTree.getChildren();
    const children = await api.sessionsTree.getChildren(store);
    const alice = children.find((n) => n.kind === 'session' && n.session.userId === '1' && !n.session.expired);
    assert.ok(alice && alice.kind === 'session');
    assert.match(String(api.sessionsTree.getTreeItem(alice).contextValue), /^session\./, 'the row offers Open Session');
    await vscode.commands.executeCommand('djangoSessions.openSession', alice);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    const document = editor.document;
    assert.equal(document.uri.scheme, 'django-session');
    assert.equal(document.languageId, 'django-session');
    assert.equal(document.uri.path, `/${alice.session.displayKey}.session.jsonc`);
    const lines = document.getText().split('\n');
    assert.equal(lines[0], `// Django session ${alice.session.displayKey} in db · SQLite · db.sqlite3`);
    assert.match(lines[1]!, /^\/\/ expires \d{4}-\d{2}-\d{2}T[\d:.]+Z · user 1 · signature valid$/);
    const body = lines.filter((line) => !line.startsWith('//')).join('\n');
    const data = JSON.parse(body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(data), ['_auth_user_id', '_auth_user_backend', '_auth_user_hash', 'cart', 'currency', 'recently_viewed']);
    assert.deepEqual(data.cart, { 1: 2, 3: 1 });
    assert.ok(lines.includes('  "cart": {'), 'indented as json.dumps(indent=2)');
    assert.ok(lines.includes('// Edit the JSON below and save to write it back; nothing is written if Django changed the session meanwhile.'));
    assert.equal((await vscode.workspace.fs.stat(document.uri)).permissions, undefined, 'editable');
    // A save writes to the live store, so auto save (code-server's default) leaves these documents alone.
    assert.equal(vscode.workspace.getConfiguration('files', { languageId: 'django-session' }).get('autoSave'), 'off');
    assert.equal(await editor.edit((edit) => edit.replace(document.lineAt(lines.findIndex((line) => line.startsWith('  "currency"'))).range, '  "currency": "XXX",')), true);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(document.isDirty, true, 'not saved by auto save');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.isDirty, false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens an undecodable session or one with a bad signature read-only, saying why', async () => {
    const [store] = await api.sessionsTree.getChildren();
    const children = await api.sessionsTree.getChildren(store);
    for (const [signature, reason] of [
      ['undecodable', /^\/\/ Read-only: data that cannot be decoded is never rewritten/m],
      ['invalid', /^\/\/ Read-only: Django ignores this data, as its signature does not verify/m],
    ] as const) {
      const row = children.find((n) => n.kind === 'session' && n.session.signature === signature);
      assert.ok(row, `a ${signature} session is listed`);
      await vscode.commands.executeCommand('djangoSessions.openSession', row);
      const document = vscode.window.activeTextEditor?.document;
      assert.ok(document?.uri.scheme === 'django-session');
      assert.match(document.getText(), reason);
      assert.equal((await vscode.workspace.fs.stat(document.uri)).permissions, vscode.FilePermission.Readonly);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it("opens the session a pasted db session cookie names, as Open Session shows it", async () => {
    await updateSetting('djangoSessions.view.maskKeys', false);
    let key: string;
    try {
      const [store] = await api.sessionsTree.getChildren();
      const alice = (await api.sessionsTree.getChildren(store)).find((n) => n.kind === 'session' && n.session.userId === '1' && !n.session.expired);
      assert.ok(alice?.kind === 'session');
      key = alice.session.displayKey;
    } finally {
      await updateSetting('djangoSessions.view.maskKeys', undefined);
    }
    // From the palette with the cookie's value, or from the store's row and then the value.
    const [store] = await api.sessionsTree.getChildren();
    for (const args of [[key], [store, key]]) {
      await vscode.commands.executeCommand('djangoSessions.decodeSessionCookie', ...args);
      const opened = vscode.window.activeTextEditor?.document;
      assert.equal(opened?.uri.scheme, 'django-session', String(args.length));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    await vscode.commands.executeCommand('djangoSessions.decodeSessionCookie', key);
    const document = vscode.window.activeTextEditor?.document;
    assert.equal(document?.uri.scheme, 'django-session');
    assert.match(document.getText(), new RegExp(`^// Django session ${key.slice(0, 4)}•{8} in db · SQLite · db\\.sqlite3\n// expires .* · user 1 · signature valid\n`));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens the settings file that configured the store, at the line that did', async () => {
    const [store] = await api.sessionsTree.getChildren();
    assert.equal(api.sessionsTree.getTreeItem(store!).contextValue, 'store.listed.source');
    await vscode.commands.executeCommand('djangoSessions.openStoreSource', store);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(path.basename(editor.document.uri.fsPath), 'settings.py');
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /^SESSION_ENGINE = /);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('pages by a whole number of sessions when the page size setting is not one', async () => {
    await vscode.workspace.getConfiguration().update('djangoSessions.view.pageSize', 2.5, vscode.ConfigurationTarget.Workspace);
    try {
      const [store] = await api.sessionsTree.getChildren();
      const children = await api.sessionsTree.getChildren(store);
      assert.deepEqual(children.map((n) => n.kind), ['session', 'session', 'more']);
    } finally {
      await vscode.workspace.getConfiguration().update('djangoSessions.view.pageSize', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it("runs Load more by a command without arguments, which still loads the view's next page after the view redrew", async () => {
    await updateSetting('djangoSessions.view.pageSize', 2);
    const shown = async () => {
      const [store] = await api.sessionsTree.getChildren();
      const children = await api.sessionsTree.getChildren(store);
      const more = children.find((n) => n.kind === 'more');
      const item = more && api.sessionsTree.getTreeItem(more);
      return { sessions: children.filter((n) => n.kind === 'session').length, command: item?.command, description: item?.description, total: String(api.sessionsTree.getTreeItem(store!).description) };
    };
    try {
      const before = await shown();
      assert.equal(before.sessions, 2);
      assert.ok(before.command, 'a page of 2 leaves more to load');
      // VS Code hands arguments over through a handle the redraw drops ("Actual command not found").
      assert.equal(before.command.arguments, undefined);
      api.sessionsTree.refresh();
      assert.equal((await shown()).sessions, 2);
      await vscode.commands.executeCommand(before.command.command);
      const loaded = await shown();
      assert.equal(loaded.sessions, 4);
      // The row says how far into the store the rows go: the store's own row only counts them all.
      const total = /^(\d+) sessions$/.exec(loaded.total)?.[1];
      assert.ok(total, `the store row counts its sessions: ${loaded.total}`);
      assert.equal(loaded.description, `4 of ${total} shown`);
      await vscode.commands.executeCommand(before.command.command);
      const after = await shown();
      assert.equal(after.sessions, 6);
      assert.equal(after.command?.command, before.command.command, 'one command per listing');
    } finally {
      await updateSetting('djangoSessions.view.pageSize', undefined);
    }
  });

  it('filters the sessions by user, state, key or text from Filter Sessions, and shows them all again once cleared', async () => {
    const listed = async () => {
      const [store] = await api.sessionsTree.getChildren();
      const children = await api.sessionsTree.getChildren(store);
      return { store: api.sessionsTree.getTreeItem(store!), children, sessions: children.filter((n): n is Extract<SessionsNode, { kind: 'session' }> => n.kind === 'session') };
    };
    try {
      await vscode.commands.executeCommand('djangoSessions.filterSessions', 'user:1');
      let shown = await listed();
      assert.ok(shown.sessions.length > 0 && shown.sessions.every((s) => s.session.userId === '1'), 'only user 1');
      assert.equal(shown.store.description, `${shown.sessions.length} matching`, 'counted from the pages read, for a filter that decodes every session');
      await vscode.commands.executeCommand('djangoSessions.filterSessions', 'expired');
      shown = await listed();
      assert.equal(shown.sessions.length, 2);
      assert.ok(shown.sessions.every((s) => s.session.expired));
      assert.equal(shown.store.description, '2 matching');
      await vscode.commands.executeCommand('djangoSessions.filterSessions', 'key:cart user:999');
      shown = await listed();
      assert.deepEqual(shown.children.map((n) => n.kind === 'message' && n.text), ['No sessions match the filter.']);
    } finally {
      await vscode.commands.executeCommand('djangoSessions.clearSessionFilter');
    }
    assert.equal(api.sessionsTree.filter, undefined);
    assert.equal((await listed()).sessions.length, 23);
  });

  it('loads more of a new filter at once, while a page of the listing it replaced is still loading', async () => {
    await vscode.workspace.getConfiguration().update('djangoSessions.view.pageSize', 2, vscode.ConfigurationTarget.Workspace);
    const more = async () => {
      const [store] = await api.sessionsTree.getChildren();
      const node = (await api.sessionsTree.getChildren(store)).find((n): n is Extract<SessionsNode, { kind: 'more' }> => n.kind === 'more');
      assert.ok(node, 'a page of 2 leaves more to load');
      return node;
    };
    try {
      const old = await more();
      const stale = api.sessionsTree.loadMore(old.storeId, old.page);
      api.sessionsTree.setFilter({ state: 'active' });
      const next = await more();
      await Promise.all([stale, api.sessionsTree.loadMore(next.storeId, next.page)]);
      const [store] = await api.sessionsTree.getChildren();
      const sessions = (await api.sessionsTree.getChildren(store)).filter((n) => n.kind === 'session');
      assert.equal(sessions.length, 4, 'the new listing got its second page');
    } finally {
      api.sessionsTree.setFilter(undefined);
      await vscode.workspace.getConfiguration().update('djangoSessions.view.pageSize', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('lists the sessions again after Restart Language Server, under the refs the old one gave them, so an unsaved session document still saves', async () => {
    const sessionsOf = async () => {
      const [store] = await api.sessionsTree.getChildren();
      return (await api.sessionsTree.getChildren(store)).filter((n): n is Extract<SessionsNode, { kind: 'session' }> => n.kind === 'session');
    };
    const before = await sessionsOf();
    const alice = before.find((s) => s.session.userId === '1' && !s.session.expired);
    assert.ok(alice);
    await vscode.commands.executeCommand('djangoSessions.openSession', alice);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor?.document.uri.scheme === 'django-session');
    const document = editor.document;
    // An edit that leaves the data as it is, so the sessions other tests read stay as seeded.
    const currency = document.getText().split('\n').findIndex((line) => line.startsWith('  "currency"'));
    assert.equal(await editor.edit((edit) => edit.insert(document.lineAt(currency).range.end, ' ')), true);
    const refreshed = new Promise<void>((resolve) => {
      const listener = api.sessionsTree.onDidChangeTreeData(() => {
        listener.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('djangoSessions.restartServer');
    await refreshed;
    const after = await sessionsOf();
    assert.deepEqual(after.map((s) => s.session.ref), before.map((s) => s.session.ref), 'the new server names each session as the old one did');
    assert.equal(await document.save(), true, 'the edit made under the old server saves through the new one');
    assert.equal(document.isDirty, false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const values = await api.sessionsTree.getChildren(after.find((s) => s.session.userId === '1' && !s.session.expired));
    const user = values.find((n) => n.kind === 'value' && n.value.label === '_auth_user_id');
    assert.ok(user);
    // The tooltip alone would be what a screen reader says for the row: the key comes first.
    assert.equal(api.sessionsTree.getTreeItem(user).accessibilityInformation?.label, "_auth_user_id: str '1'");
  });

  it('refreshes on command and shows the same store again', async () => {
    await vscode.commands.executeCommand('djangoSessions.refreshSessions');
    const roots = await api.sessionsTree.getChildren();
    assert.equal(roots.length, 1);
    assert.equal(roots[0]!.kind, 'store');
  });
});
