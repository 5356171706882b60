import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import type { SessionsNode } from '../../../client/src/sessionsTree';

/**
 * Replaces the whole settings file and waits until the Sessions view lists the store labelled
 * `label`: the view may refresh for another reason (a listing in flight) before it has re-read
 * the settings, so its first change is not proof of the new store.
 */
export async function saveSettings(api: DjangoSessionsApi, document: vscode.TextDocument, text: string, label: string): Promise<SessionsNode[]> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  await vscode.workspace.applyEdit(edit);
  await document.save();
  const labels = (stores: SessionsNode[]) => stores.map((n) => String(api.sessionsTree.getTreeItem(n).label));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const stores = await api.sessionsTree.getChildren();
    if (labels(stores).includes(label) || Date.now() > deadline) {
      return stores;
    }
    await new Promise<void>((resolve) => {
      const listener = api.sessionsTree.onDidChangeTreeData(() => {
        listener.dispose();
        resolve();
      });
      setTimeout(() => {
        listener.dispose();
        resolve();
      }, 500);
    });
  }
}

/**
 * Sets a workspace setting and waits until VS Code has told the extension, which handles the
 * change first (it listened first): a setting that refreshes the view does so before this returns.
 */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const told = new Promise<void>((resolve) => {
    const listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(key)) {
        listener.dispose();
        resolve();
      }
    });
  });
  await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Workspace);
  await told;
}
