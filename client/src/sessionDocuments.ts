import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SessionDocumentRequest } from '../../server/src/protocol';
import { maskKeys } from './config';
import { DocumentSchemes } from './ids';

/**
 * Sessions opened whole in an editor, as read-only JSONC documents the server writes. A
 * document's URI names the session by the server's ref and its key as the view shows it
 * (masked by default), never by anything that would let the key be read back. Every open one is
 * read again when the Sessions view refreshes, which every change made from it does.
 */
export class SessionDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  /** Where one session's document lives; the `.jsonc` name gives it JSON with comments. */
  static uri(storeId: string, ref: string, displayKey: string): vscode.Uri {
    return vscode.Uri.from({ scheme: DocumentSchemes.session, path: `/${displayKey}.jsonc`, query: new URLSearchParams({ store: storeId, ref }).toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const query = new URLSearchParams(uri.query);
    try {
      const result = await this.client.sendRequest(SessionDocumentRequest, { storeId: query.get('store') ?? '', ref: query.get('ref') ?? '', maskKeys: maskKeys() }, token);
      if (result.text !== undefined) {
        return result.text;
      }
      return result.unlisted ? '// This session is no longer listed: refresh the Sessions view and open it again.\n' : '// This session no longer exists.\n';
    } catch (err) {
      return `// Could not read the session: ${(err as Error).message}\n`;
    }
  }

  /** Reads every open session document again. */
  refresh(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === DocumentSchemes.session) {
        this.changed.fire(document.uri);
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
