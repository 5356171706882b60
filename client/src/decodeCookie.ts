import * as vscode from 'vscode';
import { DecodeCookieRequest } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { SESSION_LANGUAGE } from './sessionDocuments';

/**
 * Reads a signed_cookies session cookie, which lives in the browser: asks for its value (the
 * developer tools show it) and opens it decoded, read-only, as the project's Django reads it.
 * `value` comes from a test or a keybinding instead of the box.
 */
export async function decodeSessionCookie(ctx: Ctx, value?: unknown): Promise<void> {
  const stores = (await ctx.tree.fetchStores()).filter((store) => store.engine === 'signed_cookies');
  if (stores.length === 0) {
    void vscode.window.showInformationMessage('No Django project in this workspace uses the signed_cookies session engine, whose sessions live in cookies.');
    return;
  }
  const store =
    stores.length === 1
      ? stores[0]
      : (await vscode.window.showQuickPick(stores.map((s) => ({ label: s.label, description: s.location, store: s })), { title: "Decode a cookie of which project's sessions?" }))?.store;
  if (!store) {
    return;
  }
  const cookie =
    typeof value === 'string'
      ? value
      : await vscode.window.showInputBox({
          title: 'Decode a session cookie',
          prompt: "The session cookie's value, as the browser's developer tools show it (Application → Cookies)",
          ignoreFocusOut: true,
        });
  if (!cookie?.trim()) {
    return;
  }
  const { text } = await ctx.client.sendRequest(DecodeCookieRequest, { storeId: store.id, value: cookie });
  const document = await vscode.workspace.openTextDocument(ctx.cookies.add(text, 'session-cookie.session.jsonc'));
  await vscode.window.showTextDocument(document.languageId === SESSION_LANGUAGE ? document : await vscode.languages.setTextDocumentLanguage(document, SESSION_LANGUAGE), { preview: true });
}
