import * as vscode from 'vscode';
import type { ServerSettings } from '../../server/src/protocol';
import { Settings } from './ids';

/**
 * The settings the server needs to find and open stores. They are window-scoped: the server keeps
 * one value of each for the whole workspace, whichever folder a project is in.
 */
export function serverSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration();
  return {
    storeUrl: config.get<string>(Settings.storeUrl, ''),
    settingsModule: config.get<string>(Settings.settingsModule, ''),
  };
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

/** Whether a configuration change touches a setting the server acts on. */
export function affectsServer(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(Settings.storeUrl) || event.affectsConfiguration(Settings.settingsModule);
}

/** Whether a configuration change alters how the tree shows sessions, or when. */
export function affectsView(event: vscode.ConfigurationChangeEvent): boolean {
  // Turning autoRefresh back on lists again at once what changed while it was off.
  return event.affectsConfiguration(Settings.pageSize) || event.affectsConfiguration(Settings.maskKeys) || event.affectsConfiguration(Settings.autoRefresh);
}
