import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import { REF_KEY_VARIABLE } from '../../server/src/protocol';
import { StorageKeys } from './ids';

/**
 * The server's environment entry for the workspace's ref key (see REF_KEY_VARIABLE), made on the
 * first start and kept in `state` (the workspace's), so every server started for the workspace
 * names a session by the same ref. A ref tells nothing of the key it names, with or without this.
 */
export async function refKeyEnvironment(state: vscode.Memento): Promise<Record<string, string>> {
  let key = state.get<string>(StorageKeys.refKey);
  if (key === undefined || Buffer.from(key, 'base64').length !== 32) {
    key = randomBytes(32).toString('base64');
    await state.update(StorageKeys.refKey, key);
  }
  return { [REF_KEY_VARIABLE]: key };
}
