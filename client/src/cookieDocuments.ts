import * as vscode from 'vscode';
import { DocumentSchemes } from './ids';

/**
 * Decoded session cookies as read-only documents: VS Code offers no edit or save of a document
 * a content provider gives, so a decoded cookie (user id, auth hash) is never written to disk by
 * a stray Save, nor asked about when it is closed. Each text is kept until its document closes.
 */
export class CookieDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private opened = 0;
  private readonly closing = vscode.workspace.onDidCloseTextDocument((document) => this.texts.delete(document.uri.toString()));

  /** A new document showing `text`, named after what it decodes. */
  add(text: string, name: string): vscode.Uri {
    this.opened++;
    const uri = vscode.Uri.from({ scheme: DocumentSchemes.cookie, path: `/${name}`, query: String(this.opened) });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '// This decoded cookie was closed; decode the cookie again.\n';
  }

  dispose(): void {
    this.closing.dispose();
    this.texts.clear();
  }
}
