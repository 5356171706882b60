import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import { Commands, FOCUS_SESSIONS_VIEW } from '../../../client/src/ids';
import type { SessionsNode } from '../../../client/src/sessionsTree';
import { pgAdmin, POSTGRES, requireService, runTag } from '../../interop/localServices';
import { saveSettings } from './demoSettings';
import { readyApi } from './readyApi';

type SessionRow = Extract<SessionsNode, { kind: 'session' }>;

const DEMO_DATABASES = /^DATABASES = \{[\s\S]*?^\}\n/m;
const CREATE_SESSION = 'from django.contrib.sessions.backends.db import SessionStore\ns = SessionStore()\ns["cart"] = {"7": 1}\ns.create()\nprint(s.session_key)';

/** The demo's Django (Debian's python3-django), run in the workspace as a developer would. */
function manage(...args: string[]): string {
  const demo = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  return execFileSync('/usr/bin/python3', ['manage.py', ...args], { cwd: demo, encoding: 'utf8' }).trim();
}

function django(code: string): string {
  return manage('shell', '-c', code);
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
    await vscode.commands.executeCommand(FOCUS_SESSIONS_VIEW);
  });

  it('lists a session real Django creates in the SQLite store, and drops it once Django deletes it, without a refresh', async () => {
    const before = await rows(api);
    const key = django(CREATE_SESSION);
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

  it('marks the rows as perhaps out of date while listing the store again fails, and lists it again once it works', async () => {
    const database = `${vscode.workspace.workspaceFolders![0]!.uri.fsPath}/db.sqlite3`;
    const before = await rows(api);
    const marker = async () => {
      const [store] = await api.sessionsTree.getChildren();
      return (await api.sessionsTree.getChildren(store)).find((n) => n.kind === 'message' && n.text.startsWith('Listing again failed'));
    };
    fs.renameSync(database, `${database}.moved`);
    try {
      const shown = await untilShown(api, () => true, 'rows');
      assert.ok(shown.length > 0);
      const deadline = Date.now() + 30_000;
      while (!(await marker())) {
        assert.ok(Date.now() < deadline, 'the view did not mark its rows within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal((await rows(api)).length, before.length, 'the rows listed before stay');
    } finally {
      fs.renameSync(`${database}.moved`, database);
    }
    const deadline = Date.now() + 30_000;
    while (await marker()) {
      assert.ok(Date.now() < deadline, 'the view did not list the store again within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual((await rows(api)).map((r) => r.session.ref), before.map((r) => r.session.ref));
  });

  it('keeps an expanded session in view when a session Django creates pushes it past the rows loaded', async () => {
    await vscode.workspace.getConfiguration().update('djangoSessions.view.pageSize', 5, vscode.ConfigurationTarget.Workspace);
    try {
      const five = await untilShown(api, (now) => now.length === 5, 'five rows');
      const last = five[4]!;
      // As the view reports a row the user expands.
      api.sessionsTree.expanded(last, true);
      const key = django(CREATE_SESSION);
      const shown = await untilShown(api, (now) => now.some((row) => row.session.displayKey.startsWith(key.slice(0, 4))), 'the new session');
      assert.equal(shown.length, 6, 'one row more, so the expanded one stays');
      assert.equal(shown[5]!.session.ref, last.session.ref);
      django(`from django.contrib.sessions.backends.db import SessionStore\nSessionStore(session_key="${key}").delete()`);
      const after = await untilShown(api, (now) => !now.some((row) => row.session.displayKey.startsWith(key.slice(0, 4))), 'the session gone');
      assert.ok(after.some((row) => row.session.ref === last.session.ref));
      api.sessionsTree.expanded(last, false);
    } finally {
      await vscode.workspace.getConfiguration().update('djangoSessions.view.pageSize', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('lists again a PostgreSQL store on this machine, which tells no one of its writes, while the view shows', async function () {
    await requireService(this, POSTGRES);
    const name = `djs_live_${runTag()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(`${vscode.workspace.workspaceFolders![0]!.uri.fsPath}/shop/settings.py`));
    const original = document.getText();
    assert.match(original, DEMO_DATABASES);
    const onPostgres = original.replace(DEMO_DATABASES, `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "${name}", "USER": "root", "HOST": "127.0.0.1", "PORT": ${POSTGRES.port}}}\n`);
    try {
      // The settings as saved are what Django and the view both read; the view lists the new store, then Django makes its table.
      const label = `db · PostgreSQL · ${name}`;
      await saveSettings(api, document, onPostgres, label);
      manage('migrate', 'sessions', '--skip-checks');
      await vscode.commands.executeCommand(Commands.refreshSessions);
      const stores = await api.sessionsTree.getChildren();
      assert.deepEqual(stores.map((n) => String(api.sessionsTree.getTreeItem(n).label)), [label]);
      assert.deepEqual(await rows(api), []);
      const key = django(CREATE_SESSION);
      const shown = await untilShown(api, (now) => now.some((row) => row.session.displayKey.startsWith(key.slice(0, 4))), 'the session Django created in PostgreSQL');
      assert.equal(shown.length, 1);
    } finally {
      await saveSettings(api, document, original, 'db · SQLite · db.sqlite3');
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });
});
