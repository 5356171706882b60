import * as vscode from 'vscode';
import { KeyAtRequest } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { FOCUS_SESSIONS_VIEW } from './ids';

/**
 * Show Sessions Holding Key: the Sessions view, focused, filtered to the sessions holding `key`
 * (a hover's link passes it), or the key under the cursor in the active editor (its context menu).
 */
export async function showSessionsWithKey(ctx: Ctx, key?: unknown): Promise<void> {
  const name = typeof key === 'string' ? key : await keyUnderCursor(ctx);
  if (name === undefined) {
    return;
  }
  if (name === '') {
    void vscode.window.showInformationMessage('Django Sessions cannot filter on the empty key.');
    return;
  }
  ctx.tree.setFilter({ hasKey: name });
  await vscode.commands.executeCommand(FOCUS_SESSIONS_VIEW);
}

async function keyUnderCursor(ctx: Ctx): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const at = editor && ctx.client.code2ProtocolConverter.asTextDocumentPositionParams(editor.document, editor.selection.active);
  const { key } = at ? await ctx.client.sendRequest(KeyAtRequest, at) : {};
  if (key === undefined) {
    void vscode.window.showInformationMessage('No session key under the cursor: put it on a key the code spells out, as in request.session["cart"].');
  }
  return key;
}
