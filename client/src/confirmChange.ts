import * as vscode from 'vscode';
import { confirmChanges } from './config';
import { mustConfirm, type ChangeKind } from './confirmPolicy';

/** Edits ask only for a store off this machine, so their confirmation says why it asks. */
export const ELSEWHERE = 'This store is on another machine, perhaps one that real users reach, or DATABASE_ROUTERS may keep the sessions elsewhere, so every change to it is confirmed.';

/** Whether a change of `kind` to a store (on this machine, if `local`) asks first, as confirmChange would. */
export function asksFirst(kind: ChangeKind, local: boolean): boolean {
  return mustConfirm(kind, local, confirmChanges());
}

/**
 * Asks in a modal dialog when `mustConfirm` says a change must be confirmed; true when the change
 * may go ahead. `local` is false for a store that cannot be found, which counts as one elsewhere.
 */
export async function confirmChange(kind: ChangeKind, local: boolean, message: string, detail: string, action: string): Promise<boolean> {
  if (!asksFirst(kind, local)) {
    return true;
  }
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}
