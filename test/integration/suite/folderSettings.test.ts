import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import { readyApi } from './readyApi';

const SETTINGS_MODULE = 'djangoSessions.project.settingsModule';

/** The store rows' labels (the folder, then the store), sorted. */
async function storeLabels(api: DjangoSessionsApi): Promise<string[]> {
  const roots = await api.sessionsTree.getChildren();
  return roots.map((node) => String(api.sessionsTree.getTreeItem(node).label)).sort();
}

/** The store rows' labels once the view has changed after `change` (one or more times) to show `expected`. */
async function labelsAfter(api: DjangoSessionsApi, change: () => Thenable<unknown>, expected: string[]): Promise<string[]> {
  const changes: (() => void)[] = [];
  const listener = api.sessionsTree.onDidChangeTreeData(() => changes.splice(0).forEach((resolve) => resolve()));
  try {
    const next = () => new Promise<void>((resolve) => changes.push(resolve));
    let changed = next();
    await change();
    let labels: string[] = [];
    // The configuration event and the server's own reading may each redraw the view.
    for (let i = 0; i < 5; i++) {
      await changed;
      changed = next();
      labels = await storeLabels(api);
      if (JSON.stringify(labels) === JSON.stringify(expected)) {
        break;
      }
    }
    return labels;
  } finally {
    listener.dispose();
  }
}

describe('djangoSessions.project.settingsModule in a two-folder workspace', () => {
  let api: DjangoSessionsApi;
  let alpha: vscode.WorkspaceFolder;

  before(async () => {
    api = await readyApi();
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(
      folders.map((folder) => folder.name),
      ['alpha', 'beta'],
    );
    alpha = folders[0]!;
  });

  after(async () => {
    await vscode.workspace.getConfiguration(undefined, alpha.uri).update(SETTINGS_MODULE, undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    const added = vscode.workspace.workspaceFolders?.findIndex((folder) => folder.name === 'gamma') ?? -1;
    if (added >= 0) {
      vscode.workspace.updateWorkspaceFolders(added, 1);
    }
  });

  it("reads the module beta's folder settings name in beta only, alpha reading what its manage.py names", async () => {
    assert.deepEqual(await storeLabels(api), ['alpha › db · SQLite · alpha.sqlite3', 'beta › db · SQLite · beta-local.sqlite3']);
  });

  it("reads a settings file's path set on alpha's folder from alpha, beta keeping its own value", async () => {
    const expected = ['alpha › db · SQLite · alpha-local.sqlite3', 'beta › db · SQLite · beta-local.sqlite3'];
    const labels = await labelsAfter(api, () => vscode.workspace.getConfiguration(undefined, alpha.uri).update(SETTINGS_MODULE, 'alphasite/settings_local.py', vscode.ConfigurationTarget.WorkspaceFolder), expected);
    assert.deepEqual(labels, expected);
  });

  it('reads the settings module of a folder added later from its own folder settings', async () => {
    const gamma = vscode.Uri.joinPath(vscode.workspace.workspaceFile!, '..', 'gamma');
    const expected = ['alpha › db · SQLite · alpha-local.sqlite3', 'beta › db · SQLite · beta-local.sqlite3', 'gamma › db · SQLite · gamma-local.sqlite3'];
    const labels = await labelsAfter(api, () => Promise.resolve(vscode.workspace.updateWorkspaceFolders(2, 0, { uri: gamma })), expected);
    assert.deepEqual(labels, expected);
  });
});
