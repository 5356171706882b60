import * as vscode from 'vscode';
import type { ServerSettings } from '../../server/src/protocol';
import { Settings } from './ids';

/**
 * The settings the server needs to find and open stores. The store URL is one for the window; the
 * settings module is each workspace folder's own (resource-scoped), since in a multi-root
 * workspace a module or path meant for one folder's project is not the other folder's.
 */
export function serverSettings(): ServerSettings {
  const settingsModules: Record<string, string> = {};
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const value = vscode.workspace.getConfiguration(undefined, folder.uri).get<string>(Settings.settingsModule, '');
    if (value) {
      settingsModules[folder.uri.toString()] = value;
    }
  }
  return { storeUrl: vscode.workspace.getConfiguration().get<string>(Settings.storeUrl, ''), settingsModules };
}

/** A whole number of sessions from 1 to 1000, whatever settings.json holds (the schema only warns). */
export function pageSize(): number {
  const value = Math.floor(Number(vscode.workspace.getConfiguration().get<unknown>(Settings.pageSize, 100)));
  return Number.isFinite(value) ? Math.min(1000, Math.max(1, value)) : 100;
}

export function maskKeys(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(Settings.maskKeys, true);
}

/** Whether the view lists a store again when Django changes it: watched local files, or polled servers on this machine. */
export function autoRefresh(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(Settings.autoRefresh, true);
}

export function confirmChanges(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(Settings.confirmChanges, true);
}

/**
 * Whether a configuration change touches a setting the server acts on; a folder added with its
 * own settingsModule is one too (VS Code reports its folder settings as changed).
 */
export function affectsServer(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(Settings.storeUrl) || event.affectsConfiguration(Settings.settingsModule);
}

/** Whether a configuration change alters how the tree shows sessions, or when. */
export function affectsView(event: vscode.ConfigurationChangeEvent): boolean {
  // Turning autoRefresh back on lists again at once what changed while it was off.
  return event.affectsConfiguration(Settings.pageSize) || event.affectsConfiguration(Settings.maskKeys) || event.affectsConfiguration(Settings.autoRefresh);
}
