import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import type { SessionsNode } from '../../../client/src/sessionsTree';
import { readyApi } from './readyApi';

type SessionRow = Extract<SessionsNode, { kind: 'session' }>;
type ValueRow = Extract<SessionsNode, { kind: 'value' }>;

async function sessions(api: DjangoSessionsApi): Promise<SessionRow[]> {
  const [store] = await api.sessionsTree.getChildren();
  return (await api.sessionsTree.getChildren(store)).filter((n): n is SessionRow => n.kind === 'session');
}

/** Runs `command` with the dialogs and boxes it shows recorded and answered by `answer` (undefined backs out). */
async function recording(command: () => Thenable<unknown>, answer: (shown: string) => string | undefined = () => undefined): Promise<string[]> {
  const shown: string[] = [];
  const { showInputBox, showQuickPick, showWarningMessage } = vscode.window;
  vscode.window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
    const typed = answer(`input: ${options?.title}`);
    const check = typed === undefined ? undefined : await options?.validateInput?.(typed);
    shown.push(`input: ${options?.title}${check ? ` [${typeof check === 'string' ? check : `${vscode.InputBoxValidationSeverity[check.severity]}: ${check.message}`}]` : ''}`);
    return typed;
  }) as typeof showInputBox;
  vscode.window.showQuickPick = (async (_items: unknown, options?: vscode.QuickPickOptions) => {
    shown.push(`pick: ${options?.title}`);
    return undefined;
  }) as typeof showQuickPick;
  vscode.window.showWarningMessage = (async (message: string, ...rest: unknown[]) => {
    const detail = (rest[0] as vscode.MessageOptions | undefined)?.detail;
    shown.push(`warning: ${message}${detail ? ` (${detail})` : ''}`);
    const action = rest.find((r): r is string => typeof r === 'string');
    return action && answer(`warning: ${message}`) === action ? action : undefined;
  }) as typeof showWarningMessage;
  try {
    await command();
  } finally {
    Object.assign(vscode.window, { showInputBox, showQuickPick, showWarningMessage });
  }
  return shown;
}

describe("the session actions' prompts", () => {
  let api: DjangoSessionsApi;
  let alice: SessionRow;
  let currency: ValueRow;

  before(async () => {
    api = await readyApi();
    const row = (await sessions(api)).find((s) => s.session.userId === '1' && !s.session.expired);
    assert.ok(row, "alice's live session is listed");
    alice = row;
    const value = (await api.sessionsTree.getChildren(alice)).find((n): n is ValueRow => n.kind === 'value' && n.value.label === 'currency');
    assert.ok(value?.owner, 'her currency can be edited');
    currency = value;
  });

  it('name the session a value is edited or removed in, as the session actions name theirs', async () => {
    const key = alice.session.displayKey;
    assert.deepEqual(await recording(() => vscode.commands.executeCommand('djangoSessions.editSessionValue', currency)), [`input: Edit "currency" of session ${key}`]);
    assert.deepEqual(await recording(() => vscode.commands.executeCommand('djangoSessions.deleteSessionValue', currency)), [`warning: Remove "currency" from session ${key}? (Like del request.session["currency"].)`]);
    assert.deepEqual(await recording(() => vscode.commands.executeCommand('djangoSessions.setSessionExpiry', alice)), [`pick: Set the expiry of session ${key}`]);
    assert.deepEqual(await recording(() => vscode.commands.executeCommand('djangoSessions.flushSession', alice)), [`warning: Delete session ${key}? (Its user is logged out and its data is gone.)`]);
  });

  it("say what Cycle Key does to the visitor's browser, which Django's cycle_key() keeps logged in and this does not", async () => {
    assert.deepEqual(await recording(() => vscode.commands.executeCommand('djangoSessions.cycleSessionKey', alice)), [
      `warning: Give session ${alice.session.displayKey} a new key? (Its data moves to a new key, as cycle_key() does, but no response takes the new key to the browser holding the old one: that browser loses the session (a logged-in user is logged out).)`,
    ]);
  });

  it('warn, as it is typed and when done, that a username is not the id a session holds, also beside a session that cannot be decoded', async () => {
    const before = (await sessions(api)).length;
    assert.ok((await sessions(api)).some((s) => s.session.signature === 'undecodable'), 'the demo keeps a row that is not session data');
    const hint = 'Sessions hold the user\'s primary key (usually a number, as in User.objects.get(username="alice").pk), not the username.';
    const shown = await recording(
      () => vscode.commands.executeCommand('djangoSessions.logoutUser'),
      (prompt) => (prompt.startsWith('input:') ? 'alice' : 'Log Out'),
    );
    // The server counts none of alice's: nothing is asked or deleted, and the message says why.
    assert.deepEqual(shown, [
      `input: Log which user out of db · SQLite · db.sqlite3? [Warning: ${hint}]`,
      `warning: User alice has no sessions in db · SQLite · db.sqlite3 that could be read: nothing to delete, but 1 session could not be decoded to check whose it is (the view marks it undecodable, with why). ${hint}`,
    ]);
    assert.equal((await sessions(api)).length, before, 'nothing was deleted');
  });

  it("say how many sessions the user has before logging them out everywhere, and how many were deleted after", async () => {
    const unchecked = '1 session could not be decoded to check whose it is, and is left: the user may stay logged in there.';
    assert.deepEqual(await recording(() => vscode.commands.executeCommand('djangoSessions.logoutUser', alice)), [
      `warning: Log user 1 out everywhere? (This deletes the only session user 1 has in db · SQLite · db.sqlite3. ${unchecked})`,
    ]);
    assert.ok((await sessions(api)).some((s) => s.session.ref === alice.session.ref), 'backing out deleted nothing');
    // Two sessions of a user of its own, logged in by real Django, so the other tests keep theirs.
    const demo = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const login = 'from django.contrib.sessions.backends.db import SessionStore\nfor _ in range(2):\n    s = SessionStore()\n    s["_auth_user_id"] = "42"\n    s.create()';
    execFileSync('/usr/bin/python3', ['manage.py', 'shell', '-c', login], { cwd: demo });
    const shown = await recording(
      () => vscode.commands.executeCommand('djangoSessions.logoutUser'),
      (prompt) => (prompt.startsWith('input:') ? '42' : 'Log Out'),
    );
    assert.deepEqual(shown, [
      'input: Log which user out of db · SQLite · db.sqlite3?',
      `warning: Log user 42 out everywhere? (This deletes the 2 sessions user 42 has in db · SQLite · db.sqlite3. ${unchecked})`,
      'warning: User 42 may still be logged in to db · SQLite · db.sqlite3: 2 sessions deleted, but 1 session could not be decoded to check whose it is (the view marks it undecodable, with why).',
    ]);
    assert.ok(!(await sessions(api)).some((s) => s.session.userId === '42'), 'both were deleted');
  });
});
