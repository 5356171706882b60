import * as vscode from 'vscode';
import type { ServerSettings } from '../../server/src/protocol';
import { Settings } from './ids';

/** The settings the server needs to find and open stores. */
export function serverSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration();
  return {
    storeUrl: config.get<string>(Settings.storeUrl, ''),
    settingsModule: config.get<string>(Settings.settingsModule, ''),
  };
}

export function pageSize(): number {
  return Math.min(1000, Math.max(1, vscode.workspace.getConfiguration().get<number>(Settings.pageSize, 100)));
}

export function maskKeys(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(Settings.maskKeys, true);
}

export function confirmChanges(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(Settings.confirmChanges, true);
}

/** Whether a configuration change touches a setting the server acts on. */
export function affectsServer(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(Settings.storeUrl) || event.affectsConfiguration(Settings.settingsModule);
}

/** Whether a configuration change alters how the tree shows sessions. */
export function affectsView(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(Settings.pageSize) || event.affectsConfiguration(Settings.maskKeys);
}
