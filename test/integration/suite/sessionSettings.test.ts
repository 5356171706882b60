import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readyApi } from './readyApi';

/** Longer than the longest batch of file events VS Code's recursive watcher (parcel) reports. */
const WATCHER_BATCH_MS = 1000;

/** The hover text at a position, all contents joined. */
async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('SESSION_* settings in the editor', () => {
  let root: string;
  let settings: vscode.TextDocument;
  let age: vscode.Position;

  before(async () => {
    await readyApi();
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    settings = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, 'shop', 'settings.py')));
    age = settings.positionAt(settings.getText().indexOf('SESSION_COOKIE_AGE') + 3);
  });

  it("hovers a setting with Django's default and the demo's value", async () => {
    const text = await hoverText(settings, age);
    assert.match(text, /\*\*Django setting\*\* `SESSION_COOKIE_AGE`/);
    assert.match(text, /Django's default: `1209600`/);
    assert.match(text, /This project: `1209600`, set in `shop\/settings.py:\d+`/);
  });

  it('goes to the assignment and refuses a rename', async () => {
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', settings.uri, age);
    const lines = locations.map((l) => ('range' in l ? l.range : l.targetRange).start.line);
    assert.ok(lines.includes(age.line), `the assignment's line ${age.line} among ${lines.join(', ')}`);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.prepareRename', settings.uri, age)),
      /Django reads it by this exact name/,
    );
  });

  it('completes setting names and SameSite values while typing', async () => {
    const editor = await vscode.window.showTextDocument(settings);
    try {
      const end = settings.lineAt(settings.lineCount - 1).range.end;
      await editor.edit((e) => e.insert(end, '\nSESSION_COOKIE_SA'));
      const names = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', settings.uri, settings.lineAt(settings.lineCount - 1).range.end);
      const samesite = names.items.find((i) => i.label === 'SESSION_COOKIE_SAMESITE');
      assert.ok(samesite, 'SESSION_COOKIE_SAMESITE offered');
      assert.equal(samesite.detail, "'Lax', 'Strict', 'None', False or None · default 'Lax'");
      await editor.edit((e) => e.insert(settings.lineAt(settings.lineCount - 1).range.end, "MESITE = '"));
      const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', settings.uri, settings.lineAt(settings.lineCount - 1).range.end, "'");
      const labels = values.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      for (const value of ['Lax', 'Strict', 'None']) {
        assert.ok(labels.includes(value), `${value} offered, got ${labels.join(', ')}`);
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('completes, hovers and goes to the cache SESSION_CACHE_ALIAS names, from CACHES as the editor has it, a password masked', async () => {
    const editor = await vscode.window.showTextDocument(settings);
    try {
      const caches = [
        'CACHES = {',
        '    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},',
        '    "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://:s3cret@127.0.0.1:6379/1"},',
        '}',
        "SESSION_CACHE_ALIAS = '",
      ];
      await editor.edit((e) => e.insert(settings.lineAt(settings.lineCount - 1).range.end, `\n${caches.join('\n')}`));
      const end = settings.lineAt(settings.lineCount - 1).range.end;
      const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', settings.uri, end, "'");
      const offered = new Map(values.items.map((i) => [typeof i.label === 'string' ? i.label : i.label.label, i]));
      assert.deepEqual([...offered.keys()].filter((label) => label === 'default' || label === 'sessions'), ['default', 'sessions']);
      const documentation = offered.get('sessions')!.documentation;
      const shown = typeof documentation === 'string' ? documentation : documentation!.value;
      assert.equal(shown, "BACKEND: 'django.core.cache.backends.redis.RedisCache'\nLOCATION: 'redis://:…@127.0.0.1:6379/1'");
      await editor.edit((e) => e.insert(end, "sessions'"));
      const alias = new vscode.Position(end.line, end.character + 2);
      const hover = await hoverText(settings, alias);
      assert.match(hover, /\*\*cache\*\* `sessions`/);
      assert.match(hover, /- BACKEND: `'django\.core\.cache\.backends\.redis\.RedisCache'`/);
      assert.match(hover, /- LOCATION: `'redis:\/\/:…@127\.0\.0\.1:6379\/1'`/);
      assert.ok(!hover.includes('s3cret'), hover);
      const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', settings.uri, alias);
      const targets = locations.map((l) => ('range' in l ? [l.uri, l.range] : [l.targetUri, l.targetRange]) as [vscode.Uri, vscode.Range]);
      assert.deepEqual(
        targets.map(([uri, range]) => [uri.fsPath, settings.getText(range)]),
        [[settings.uri.fsPath, '"sessions"']],
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('finds the stores again when a .env file names another settings module', async () => {
    const api = await readyApi();
    const envFile = path.join(root, '.env');
    const other = path.join(root, 'shop', 'settings_cookies.py');
    const current = async () => (await api.sessionsTree.getChildren()).map((n) => String(api.sessionsTree.getTreeItem(n).label));
    /**
     * The store labels once the view shows `expected` after `change`, or what it shows when it
     * settles otherwise. Creating or deleting a settings-like file is a change of its own, and
     * the server may tell it apart from the .env change or together with it: so the view is read
     * on each change until it shows what is expected, not only on the first.
     */
    const labels = async (change: () => void, expected: string[]) => {
      let seen: string[] = [];
      const settled = new Promise<void>((resolve) => {
        const deadline = setTimeout(() => {
          listener.dispose();
          resolve();
        }, 20_000);
        const listener = api.sessionsTree.onDidChangeTreeData(async () => {
          seen = await current();
          if (JSON.stringify(seen) === JSON.stringify(expected)) {
            clearTimeout(deadline);
            listener.dispose();
            resolve();
          }
        });
      });
      change();
      await settled;
      return seen;
    };
    fs.writeFileSync(other, 'from .settings import *\nSESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n');
    try {
      // manage.py only sets a default, so the .env value wins, as it would when Django runs.
      const cookies = ["signed_cookies · in the browser's cookie"];
      assert.deepEqual(await labels(() => fs.writeFileSync(envFile, 'DJANGO_SETTINGS_MODULE=shop.settings_cookies\n'), cookies), cookies);
    } finally {
      // VS Code's recursive watcher (parcel) reports each batch's net change, and a batch lasts up
      // to 500 ms while events keep coming (the store's file changes too): a file created and
      // deleted within one batch gives no event at all. So the deletions wait out the creations' batch.
      await new Promise((resolve) => setTimeout(resolve, WATCHER_BATCH_MS));
      fs.rmSync(other, { force: true });
      const db = ['db · SQLite · db.sqlite3'];
      assert.deepEqual(await labels(() => fs.rmSync(envFile, { force: true }), db), db);
    }
  });

  it('finds the stores again when a settings file open in an editor changes on disk (a checkout)', async () => {
    const api = await readyApi();
    const settingsFile = path.join(root, 'shop', 'settings.py');
    const original = fs.readFileSync(settingsFile, 'utf8');
    await vscode.window.showTextDocument(vscode.Uri.file(settingsFile));
    const labels = async (text: string) => {
      // Bounded, so a view that never refreshes fails here and the finally below restores the file.
      const changed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the view did not refresh after the settings file changed on disk')), 15_000);
        const listener = api.sessionsTree.onDidChangeTreeData(() => {
          listener.dispose();
          clearTimeout(timer);
          resolve();
        });
      });
      fs.writeFileSync(settingsFile, text);
      await changed;
      return (await api.sessionsTree.getChildren()).map((n) => String(api.sessionsTree.getTreeItem(n).label));
    };
    try {
      assert.deepEqual(await labels(`${original}\nSESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n`), ["signed_cookies · in the browser's cookie"]);
    } finally {
      fs.writeFileSync(settingsFile, original);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    assert.deepEqual(await labels(original), ['db · SQLite · db.sqlite3']);
  });
});
