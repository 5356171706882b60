import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import { Commands } from '../../../client/src/ids';
import type { SessionsNode } from '../../../client/src/sessionsTree';
import { readyApi } from './sessionsView.test';

type SessionRow = Extract<SessionsNode, { kind: 'session' }>;

/** The demo's Django (Debian's python3-django), run in the workspace as a developer would. */
function django(code: string): string {
  const demo = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  return execFileSync('/usr/bin/python3', ['manage.py', 'shell', '-c', code], { cwd: demo, encoding: 'utf8' }).trim();
}

async function rows(api: DjangoSessionsApi): Promise<SessionRow[]> {
  const [store] = await api.sessionsTree.getChildren();
  return (await api.sessionsTree.getChildren(store)).filter((n): n is SessionRow => n.kind === 'session');
}

/** Waits for the view to change by itself (no refresh is asked for) until `done` holds for its rows. */
async function untilShown(api: DjangoSessionsApi, done: (shown: SessionRow[]) => boolean, what: string): Promise<SessionRow[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const changed = new Promise<void>((resolve) => {
      const listener = api.sessionsTree.onDidChangeTreeData(() => {
        listener.dispose();
        resolve();
      });
      setTimeout(resolve, 1000);
    });
    const shown = await rows(api);
    if (done(shown)) {
      return shown;
    }
    assert.ok(Date.now() < deadline, `the view did not show ${what} within 30 s`);
    await changed;
  }
}

describe('Sessions view following Django', () => {
  let api: DjangoSessionsApi;

  before(async () => {
    api = await readyApi();
    await vscode.commands.executeCommand(Commands.focusSessions);
  });

  it('lists a session real Django creates in the SQLite store, and drops it once Django deletes it, without a refresh', async () => {
    const before = await rows(api);
    const key = django(
      'from django.contrib.sessions.backends.db import SessionStore\ns = SessionStore()\ns["cart"] = {"7": 1}\ns.create()\nprint(s.session_key)',
    );
    assert.match(key, /^[a-z0-9]{32}$/);
    const isNew = (row: SessionRow) => row.session.displayKey.startsWith(key.slice(0, 4)) && !before.some((b) => b.session.ref === row.session.ref);
    const shown = await untilShown(api, (now) => now.some(isNew), 'the new session');
    assert.equal(shown.length, before.length + 1);
    const created = shown.find(isNew)!;
    assert.equal(created.session.signature, 'valid');
    const values = await api.sessionsTree.getChildren(created);
    assert.deepEqual(values.map((v) => (v.kind === 'value' ? `${v.value.label}=${v.value.preview}` : v.kind)), ["cart={'7': 1}"]);

    django(`from django.contrib.sessions.backends.db import SessionStore\nSessionStore(session_key="${key}").delete()`);
    const after = await untilShown(api, (now) => !now.some((row) => row.session.ref === created.session.ref), 'the session gone');
    assert.deepEqual(after.map((r) => r.session.ref).sort(), before.map((r) => r.session.ref).sort());
  });
});
