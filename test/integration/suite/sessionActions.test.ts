import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import type { SessionsNode } from '../../../client/src/sessionsTree';
import { readyApi } from './readyApi';
import { updateSetting } from './demoSettings';
import { FOCUS_SESSIONS_VIEW } from '../../../client/src/ids';

type SessionRow = Extract<SessionsNode, { kind: 'session' }>;

async function sessions(api: DjangoSessionsApi): Promise<SessionRow[]> {
  const [store] = await api.sessionsTree.getChildren();
  return (await api.sessionsTree.getChildren(store)).filter((n): n is SessionRow => n.kind === 'session');
}

async function valuesOf(api: DjangoSessionsApi, userId: string): Promise<Map<string, Extract<SessionsNode, { kind: 'value' }>>> {
  const row = (await sessions(api)).find((s) => s.session.userId === userId && !s.session.expired);
  assert.ok(row, `user ${userId} has a live session`);
  const values = (await api.sessionsTree.getChildren(row)).filter((n): n is Extract<SessionsNode, { kind: 'value' }> => n.kind === 'value');
  return new Map(values.map((v) => [v.value.label, v]));
}

/**
 * Every session's ref with what it holds: each value as the view shows it (or why it cannot be
 * shown), by ref, since a session saved earlier may move in the expiry order without changing.
 */
async function contents(api: DjangoSessionsApi): Promise<Array<[string, string[]]>> {
  const rows = (await sessions(api)).sort((a, b) => a.session.ref.localeCompare(b.session.ref));
  return Promise.all(
    rows.map(async (row): Promise<[string, string[]]> => [
      row.session.ref,
      (await api.sessionsTree.getChildren(row)).map((n) => (n.kind === 'value' ? `${n.value.label}=${n.value.preview}` : n.kind === 'message' ? n.text : n.kind)),
    ]),
  );
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Accepts the first item of each quick pick the command shows, until it finishes. */
async function answerPicks(command: Thenable<unknown>): Promise<void> {
  let finished = false;
  const done = Promise.resolve(command).finally(() => (finished = true));
  for (let tries = 0; !finished && tries < 50; tries++) {
    await pause(200);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  await done;
}

/** Opens the live session of `userId` in an editor, as the row's Open Session does. */
async function openSessionDocument(api: DjangoSessionsApi, userId: string): Promise<vscode.TextDocument> {
  const row = (await sessions(api)).find((s) => s.session.userId === userId && !s.session.expired);
  await vscode.commands.executeCommand('djangoSessions.openSession', row);
  const document = vscode.window.activeTextEditor?.document;
  assert.ok(document?.uri.scheme === 'django-session', 'a session document is open');
  return document;
}

/** Replaces the first `text` in the document, as typing would, once the document has read the session holding it. */
async function replaceIn(document: vscode.TextDocument, text: string, replacement: string): Promise<boolean> {
  for (let tries = 0; tries < 50 && !document.getText().includes(text); tries++) {
    await pause(100);
  }
  const at = document.getText().indexOf(text);
  assert.ok(at >= 0, `"${text}" is in ${document.getText()}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + text.length)), replacement);
  return vscode.workspace.applyEdit(edit);
}

describe('Sessions view actions (they change the demo store, so they run last)', () => {
  let api: DjangoSessionsApi;

  before(async () => {
    api = await readyApi();
    await vscode.workspace.getConfiguration().update('djangoSessions.view.confirmChanges', false, vscode.ConfigurationTarget.Workspace);
  });

  after(() => vscode.workspace.getConfiguration().update('djangoSessions.view.confirmChanges', undefined, vscode.ConfigurationTarget.Workspace));

  it('offers a change run from the palette only the sessions whose signature holds, and a change to the data only the live ones, as the menus do', async () => {
    const rows = await sessions(api);
    assert.ok(rows.some((s) => s.session.signature !== 'valid'), 'the demo has sessions Django ignores');
    // First, while the demo's expired sessions are there (Clear Expired Sessions deletes them below).
    assert.ok(rows.some((s) => s.session.expired && s.session.signature === 'valid'), 'the demo has expired sessions whose signature holds');
    const showQuickPick = vscode.window.showQuickPick;
    const offered = new Map<string, string[]>();
    vscode.window.showQuickPick = ((items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) =>
      Promise.resolve(items).then((list) => {
        offered.set(String(options?.title), list.map((item) => String(item.description)));
        return undefined;
      })) as unknown as typeof showQuickPick;
    try {
      for (const command of ['cycleSessionKey', 'clearSession', 'expireSession', 'editSessionValue', 'deleteSessionValue', 'setSessionExpiry']) {
        await vscode.commands.executeCommand(`djangoSessions.${command}`);
      }
    } finally {
      vscode.window.showQuickPick = showQuickPick;
    }
    const dataChanges = ['Give which session a new key?', 'Clear which session?', 'Expire which session now?', 'Edit a value of which session?', 'Remove a value from which session?'];
    assert.deepEqual([...offered.keys()], [...dataChanges, 'Set the expiry of which session?']);
    for (const [title, descriptions] of offered) {
      assert.ok(descriptions.length > 0, `${title} listed sessions`);
      assert.deepEqual(descriptions.filter((d) => /bad signature|undecodable|refused/.test(d)), [], title);
    }
    // Django never loads an expired session: only a new expiry (or a flush) changes it, and the store refuses the rest.
    for (const title of dataChanges) {
      assert.deepEqual(offered.get(title)!.filter((d) => /\bexpired\b/.test(d)), [], title);
    }
    assert.ok(offered.get('Set the expiry of which session?')!.some((d) => /\bexpired\b/.test(d)), 'a new expiry brings an expired session back');
  });

  it('edits a value in place and the view shows the stored value, and so does the open session document', async () => {
    const alice = (await sessions(api)).find((s) => s.session.userId === '1' && !s.session.expired);
    await vscode.commands.executeCommand('djangoSessions.openSession', alice);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document, 'a session document is open');
    // Opened by an earlier test too, it reads the session again: settings changed since.
    for (let tries = 0; tries < 50 && !document.getText().includes('"EUR"'); tries++) {
      await pause(100);
    }
    assert.ok(document.getText().includes('  "currency": "EUR",'), document.getText());
    const currency = (await valuesOf(api, '1')).get('currency');
    assert.ok(currency);
    assert.equal(currency.value.json, '"EUR"');
    await vscode.commands.executeCommand('djangoSessions.editSessionValue', currency, '"USD"');
    assert.equal((await valuesOf(api, '1')).get('currency')?.value.preview, "'USD'");
    for (let tries = 0; tries < 50 && !document.getText().includes('"USD"'); tries++) {
      await pause(100);
    }
    assert.ok(document.getText().includes('  "currency": "USD",'), 'the open document read the session again');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('refuses an Edit Value made against a value changed after the view showed it, keeping the change', async () => {
    const stale = (await valuesOf(api, '1')).get('currency');
    assert.equal(stale?.value.json, '"USD"');
    // Django (here, the view's own edit of a fresh row) changes the value the stale row still shows.
    await vscode.commands.executeCommand('djangoSessions.editSessionValue', (await valuesOf(api, '1')).get('currency'), '"NOK"');
    await vscode.commands.executeCommand('djangoSessions.editSessionValue', stale, '"DKK"');
    assert.equal((await valuesOf(api, '1')).get('currency')?.value.preview, "'NOK'");
    await vscode.commands.executeCommand('djangoSessions.editSessionValue', (await valuesOf(api, '1')).get('currency'), '"USD"');
    assert.equal((await valuesOf(api, '1')).get('currency')?.value.preview, "'USD'");
  });

  it('marks a mistake in a session document as it is typed, as its save would word it, and clears the mark once the text is fixed', async () => {
    const document = await openSessionDocument(api, '1');
    const marks = () => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Django Sessions');
    const until = async (done: () => boolean) => {
      for (let tries = 0; tries < 50 && !done(); tries++) {
        await pause(100);
      }
    };
    assert.deepEqual(marks(), [], 'the text as read is fine');
    assert.equal(await replaceIn(document, '"currency": "', '"currency": x"'), true);
    await until(() => marks().length > 0);
    const [mark] = marks();
    assert.ok(mark, 'the mistake is marked before any save');
    assert.equal(mark.message, 'Expecting value. The session data must be one JSON object, and only whole lines at the top may be // comments.');
    assert.equal(mark.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(document.getText(mark.range), 'x', 'on the character the value should start at');
    assert.equal(await replaceIn(document, '"currency": x"', '"currency": "'), true);
    await until(() => marks().length === 0);
    assert.deepEqual(marks(), [], 'fixed, the text has no mark');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("saves an edited session document, and the view shows what it wrote; the document reads the session back", async () => {
    const document = await openSessionDocument(api, '1');
    assert.equal(await replaceIn(document, '"currency": "USD"', '"currency": "GBP"'), true);
    const versionLine = () => document.getText().split('\n').find((line) => line.startsWith('// version ')) ?? '';
    const before = versionLine();
    assert.match(before, /^\/\/ version [0-9a-f]{32}$/);
    assert.equal(await document.save(), true, 'saved');
    assert.equal((await valuesOf(api, '1')).get('currency')?.value.preview, "'GBP'");
    // The save wrote a new version (and expiry, as Django's save does): the document reads it back into its header.
    for (let tries = 0; tries < 50 && versionLine() === before; tries++) {
      await pause(100);
    }
    assert.notEqual(versionLine(), before, 'the header names the version the save wrote');
    assert.ok(document.getText().includes('  "currency": "GBP",'));
    assert.equal(document.isDirty, false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('refuses to save a session document over a change made after it was read, and keeps that change', async () => {
    const document = await openSessionDocument(api, '1');
    assert.equal(await replaceIn(document, '"currency": "GBP"', '"currency": "JPY"'), true);
    const currency = (await valuesOf(api, '1')).get('currency');
    assert.ok(currency);
    await vscode.commands.executeCommand('djangoSessions.editSessionValue', currency, '"CHF"');
    assert.equal(await document.save(), false, 'the save failed');
    assert.equal(document.isDirty, true);
    // Written past VS Code's own check of the file's time, the server still refuses it.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(document.uri, new TextEncoder().encode(document.getText()))), /Django changed this session after the document was read, so nothing was written/);
    assert.equal((await valuesOf(api, '1')).get('currency')?.value.preview, "'CHF'");
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('offers the session as stored now beside an edit Django overtook, and saves the edit once it takes the stored version line', async () => {
    const document = await openSessionDocument(api, '1');
    assert.equal(await replaceIn(document, '"currency": "CHF"', '"currency": "SEK"'), true);
    const viewed = (await valuesOf(api, '1')).get('recently_viewed');
    assert.ok(viewed);
    // Django (here, the view's own edit) changes another value after the document was read.
    await vscode.commands.executeCommand('djangoSessions.editSessionValue', viewed, '[9]');
    const showWarningMessage = vscode.window.showWarningMessage;
    const offered = new Promise<void>((resolve) => {
      vscode.window.showWarningMessage = ((message: string, ...items: string[]) => {
        resolve();
        return Promise.resolve(/changed this session after you opened it/.test(message) ? items[0] : undefined);
      }) as unknown as typeof showWarningMessage;
    });
    try {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(document.uri, new TextEncoder().encode(document.getText()))), /Django changed this session/);
      await offered;
    } finally {
      vscode.window.showWarningMessage = showWarningMessage;
    }
    let diff: vscode.TabInputTextDiff | undefined;
    for (let tries = 0; tries < 50 && !diff; tries++) {
      await pause(100);
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      diff = input instanceof vscode.TabInputTextDiff ? input : undefined;
    }
    assert.ok(diff, 'a diff editor opened');
    assert.match(diff.original.query, /view=stored/);
    assert.equal(diff.modified.toString(), document.uri.toString());
    const stored = await vscode.workspace.openTextDocument(diff.original);
    const versionLine = stored.getText().split('\n').find((line) => line.startsWith('// version '));
    assert.ok(versionLine);
    assert.equal((await vscode.workspace.fs.stat(diff.original)).permissions, vscode.FilePermission.Readonly);
    // Taking the stored version line into the edit saves it.
    const lines = document.getText().split('\n');
    const at = lines.findIndex((line) => line.startsWith('// version '));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(at, 0, at, lines[at]!.length), versionLine);
    await vscode.workspace.applyEdit(edit);
    await vscode.workspace.fs.writeFile(document.uri, new TextEncoder().encode(document.getText()));
    assert.equal((await valuesOf(api, '1')).get('currency')?.value.preview, "'SEK'");
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('keeps the rows Load more brought in view after a change made from the view', async () => {
    await updateSetting('djangoSessions.view.pageSize', 2);
    try {
      const [store] = await api.sessionsTree.getChildren();
      const more = (await api.sessionsTree.getChildren(store)).find((n) => n.kind === 'more');
      assert.ok(more, 'a page of 2 leaves more to load');
      await vscode.commands.executeCommand(api.sessionsTree.getTreeItem(more).command!.command);
      const loaded = await sessions(api);
      assert.equal(loaded.length, 4);
      const rows = await Promise.all(loaded.slice(2).map(async (row) => ({ row, values: await api.sessionsTree.getChildren(row) })));
      const value = rows.flatMap(({ values }) => values).find((n): n is Extract<SessionsNode, { kind: 'value' }> => n.kind === 'value' && n.owner !== undefined && n.value.editable === true);
      assert.ok(value, 'a row Load more brought holds an editable value');
      await vscode.commands.executeCommand('djangoSessions.editSessionValue', value, value.value.json);
      const after = await sessions(api);
      assert.equal(after.length, 4, 'the view still shows the rows loaded');
      assert.ok(after.some((s) => s.session.ref === value.owner!.ref), 'including the session just changed');
    } finally {
      await updateSetting('djangoSessions.view.pageSize', undefined);
    }
  });

  it('removes a value', async () => {
    const coupon = (await valuesOf(api, '2')).get('coupon');
    assert.ok(coupon);
    await vscode.commands.executeCommand('djangoSessions.deleteSessionValue', coupon);
    assert.equal((await valuesOf(api, '2')).has('coupon'), false);
  });

  it('sets the expiry to browser close and the session reflects it', async () => {
    const row = (await sessions(api)).find((s) => s.session.userId === '3');
    assert.ok(row);
    await vscode.commands.executeCommand('djangoSessions.setSessionExpiry', row, { kind: 'browser-close' });
    assert.equal((await valuesOf(api, '3')).get('_session_expiry')?.value.preview, '0');
    const after = (await sessions(api)).find((s) => s.session.userId === '3');
    assert.match(String(api.sessionsTree.getTreeItem(after!).description), /ends when the browser closes, or in \d+ days/);
  });

  it('clears expired sessions, as clearsessions would, in a notification that can be cancelled', async () => {
    const before = await sessions(api);
    const expired = before.filter((s) => s.session.expired).length;
    assert.equal(expired, 2);
    // Watches (and still calls) the real withProgress: the extension and this suite share one API object.
    const shown: vscode.ProgressOptions[] = [];
    const withProgress = vscode.window.withProgress;
    vscode.window.withProgress = (options, task) => {
      shown.push(options);
      return withProgress(options, task);
    };
    try {
      await vscode.commands.executeCommand('djangoSessions.clearExpiredSessions');
    } finally {
      vscode.window.withProgress = withProgress;
    }
    // One indicator only: the server reports into the client's notification instead of opening its own.
    assert.deepEqual(shown.map((o) => [o.location, o.cancellable]), [[vscode.ProgressLocation.Notification, true]]);
    const after = await sessions(api);
    assert.equal(after.length, before.length - expired);
    assert.equal(after.filter((s) => s.session.expired).length, 0);
    // Again: the database counts none, so nothing is asked or run, and the message says so.
    const said: string[] = [];
    const showInformationMessage = vscode.window.showInformationMessage;
    vscode.window.showInformationMessage = ((message: string) => {
      said.push(message);
      return Promise.resolve(undefined);
    }) as typeof showInformationMessage;
    vscode.window.withProgress = (options, task) => {
      shown.push(options);
      return withProgress(options, task);
    };
    try {
      await vscode.commands.executeCommand('djangoSessions.clearExpiredSessions');
    } finally {
      vscode.window.showInformationMessage = showInformationMessage;
      vscode.window.withProgress = withProgress;
    }
    assert.deepEqual(said, ['No expired sessions in db · SQLite · db.sqlite3: nothing to delete.']);
    assert.equal(shown.length, 1, 'no second deletion ran');
  });

  it('flushes a session picked from a list when run from the palette, with no row', async () => {
    const before = await sessions(api);
    await answerPicks(vscode.commands.executeCommand('djangoSessions.flushSession'));
    const after = await sessions(api);
    // As sets: sessions an earlier test saved may have moved in the expiry order between the two listings.
    const refs = (rows: SessionRow[]) => rows.map((s) => s.session.ref).sort();
    assert.deepEqual(refs(after), refs(before.slice(1)), 'the first session listed, as the picker lists them');
  });

  it('changes nothing when the palette picker is dismissed', async () => {
    const before = await contents(api);
    assert.ok(before.some(([, values]) => values.length > 0), 'some session holds values the command could remove');
    // Watches (and still calls) the real showQuickPick, to dismiss the picker once it is up.
    let picks = 0;
    let shown!: () => void;
    const up = new Promise<void>((resolve) => (shown = resolve));
    const showQuickPick = vscode.window.showQuickPick;
    vscode.window.showQuickPick = ((...args: Parameters<typeof showQuickPick>) => {
      picks++;
      const result = showQuickPick(...args);
      shown();
      return result;
    }) as typeof showQuickPick;
    try {
      let finished = false;
      const done = Promise.resolve(vscode.commands.executeCommand('djangoSessions.deleteSessionValue')).finally(() => (finished = true));
      await up;
      // The picker opens in the window a moment after the call: close it until the command ends.
      for (let tries = 0; !finished && tries < 50; tries++) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await Promise.race([done, pause(100)]);
      }
      await done;
    } finally {
      vscode.window.showQuickPick = showQuickPick;
    }
    assert.equal(picks, 1, 'the session picker was shown, and nothing after it');
    assert.deepEqual(await contents(api), before);
  });

  it('flushes a session', async () => {
    const before = await sessions(api);
    const anonymous = before.find((s) => s.session.userId === undefined && s.session.signature === 'valid');
    assert.ok(anonymous);
    await vscode.commands.executeCommand('djangoSessions.flushSession', anonymous);
    const after = await sessions(api);
    assert.equal(after.length, before.length - 1);
    assert.ok(!after.some((s) => s.session.ref === anonymous.session.ref));
  });
  it('takes the mark off an unsaved mistake in a session document once the session is deleted, as there is no save left to refuse', async () => {
    const row = (await sessions(api)).find((s) => s.session.userId === undefined && s.session.signature === 'valid' && !s.session.expired);
    assert.ok(row);
    await vscode.commands.executeCommand('djangoSessions.openSession', row);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document?.uri.scheme === 'django-session');
    const marks = () => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Django Sessions');
    const until = async (done: () => boolean) => {
      for (let tries = 0; tries < 50 && !done(); tries++) {
        await pause(100);
      }
    };
    assert.equal(await replaceIn(document, '{', '{,'), true);
    await until(() => marks().length > 0);
    assert.equal(marks().length, 1, 'the mistake is marked');
    await vscode.commands.executeCommand('djangoSessions.flushSession', row);
    await until(() => marks().length === 0);
    assert.deepEqual(marks(), [], 'the deleted session leaves no mark behind');
    assert.equal(document.isDirty, true, 'what was typed stays in the editor');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('selects the session under its new key once Cycle Key has moved it, masked as every row', async () => {
    await vscode.commands.executeCommand(FOCUS_SESSIONS_VIEW);
    const row = (await sessions(api)).find((s) => s.session.userId === '2' && !s.session.expired);
    assert.ok(row, 'user 2 has a live session');
    await vscode.commands.executeCommand('djangoSessions.cycleSessionKey', row);
    const selected = () => {
      const [node] = api.sessionsView.selection;
      return node?.kind === 'session' && node.session.userId === '2' && node.session.ref !== row.session.ref ? node : undefined;
    };
    // VS Code tells the extension of the selection after the reveal settles.
    for (let tries = 0; tries < 50 && !selected(); tries++) {
      await pause(100);
    }
    const moved = selected();
    assert.ok(moved, `user 2's session under its new key is selected: ${JSON.stringify(api.sessionsView.selection)}`);
    assert.match(moved.session.displayKey, /^[a-z0-9]{4}•{8}$/);
    assert.ok((await sessions(api)).some((s) => s.session.ref === moved.session.ref), 'the row selected is listed');
  });
});
