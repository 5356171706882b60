import * as vscode from 'vscode';
import { DecodeCookieRequest, type StoreInfo } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { showAsSession } from './sessionDocuments';
import type { SessionsNode } from './sessionsTree';

/**
 * Reads a session cookie, as the developer tools show it: a signed_cookies cookie holds the
 * session itself, which opens decoded, read-only, as the project's Django reads it; any other
 * engine's holds the session key, whose session opens as Open Session shows it. Run on a store's
 * row, it reads that store's cookie. The cookie's value comes from a test or a keybinding
 * (`target`, or after the row) instead of the box.
 */
export async function decodeSessionCookie(ctx: Ctx, target?: unknown, cookieValue?: unknown): Promise<void> {
  const row = isStoreNode(target) ? target.store : undefined;
  const value = row ? cookieValue : target;
  let stores: StoreInfo[];
  try {
    stores = row ? [row] : await ctx.tree.fetchStores();
  } catch (err) {
    // As the other commands say it (an untrusted workspace, a store URL that does not parse), not as a failed command.
    void vscode.window.showErrorMessage(`Django Sessions: ${(err as Error).message}`);
    return;
  }
  if (stores.length === 0) {
    void vscode.window.showInformationMessage('Django Sessions found no session store in this workspace, so there is no session cookie to read.');
    return;
  }
  const store =
    stores.length === 1
      ? stores[0]
      : (await vscode.window.showQuickPick(stores.map((s) => ({ label: s.label, description: s.location, store: s })), { title: "Read a cookie of which store's sessions?" }))?.store;
  if (!store) {
    return;
  }
  const cookie =
    typeof value === 'string'
      ? value
      : await vscode.window.showInputBox({
          title: store.engine === 'signed_cookies' ? 'Decode a session cookie' : 'Open the session of a cookie',
          prompt: "The session cookie's value, as the browser's developer tools show it (Application → Cookies)",
          ignoreFocusOut: true,
        });
  if (!cookie?.trim()) {
    return;
  }
  let read;
  try {
    read = await ctx.client.sendRequest(DecodeCookieRequest, { storeId: store.id, value: cookie });
  } catch (err) {
    void vscode.window.showErrorMessage(`Django Sessions: ${(err as Error).message}`);
    return;
  }
  if ('session' in read) {
    await ctx.documents.openInEditor(store.id, read.session.ref, read.session.maskedKey);
    return;
  }
  const document = await vscode.workspace.openTextDocument(ctx.cookies.add(read.text, 'session-cookie.session.jsonc'));
  await showAsSession(document);
}

function isStoreNode(target: unknown): target is Extract<SessionsNode, { kind: 'store' }> {
  return typeof target === 'object' && target !== null && (target as { kind?: unknown }).kind === 'store';
}
