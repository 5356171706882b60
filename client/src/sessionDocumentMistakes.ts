import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CheckSessionDocumentRequest } from '../../server/src/protocol';

/** How long typing must pause before the text is checked: a check per keystroke would mark every half-typed value. */
const PAUSE_MS = 300;

/** The name the editor gives these marks, in the Problems panel and on hover. */
const SOURCE = 'Django Sessions';

/**
 * Marks in an editable session document, as it is typed, what saving it would be refused for
 * (JSON that is not one object, a lost `// version` line, a `_session_expiry` the project's Django
 * would fail on), as VS Code's own JSON marks its mistakes, instead of only once a save fails.
 * The server checks the text as the save does. A document loses its mark once its text is fine
 * again, is no longer editable, or is closed.
 */
export class SessionDocumentMistakes implements vscode.Disposable {
  private readonly marks = vscode.languages.createDiagnosticCollection(SOURCE);
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];
  private disposed = false;

  /**
   * `editableStore` names the store of a session document the user can edit and save, and nothing
   * for any other document; `sessionRead` fires when a document's session was read anew.
   */
  constructor(
    private readonly client: LanguageClient,
    private readonly editableStore: (uri: vscode.Uri) => string | undefined,
    sessionRead: vscode.Event<vscode.Uri>,
  ) {
    this.subscriptions = [
      this.marks,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
      vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => contentChanges.length > 0 && this.schedule(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      // A reading changes what the unsaved text can be saved as, with no edit: the session was
      // deleted under it (no save left to refuse), or a document VS Code restored after a reload
      // reads its session again once the view has listed it (its text is now checked).
      sessionRead((uri) => {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (document) {
          this.schedule(document);
        }
      }),
    ];
  }

  dispose(): void {
    this.disposed = true;
    this.pending.forEach((timer) => clearTimeout(timer));
    this.pending.clear();
    this.subscriptions.forEach((d) => d.dispose());
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    if (this.editableStore(document.uri) === undefined) {
      this.pending.delete(key);
      this.marks.delete(document.uri);
      return;
    }
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.check(document);
      }, PAUSE_MS),
    );
  }

  private forget(uri: vscode.Uri): void {
    clearTimeout(this.pending.get(uri.toString()));
    this.pending.delete(uri.toString());
    this.marks.delete(uri);
  }

  private async check(document: vscode.TextDocument): Promise<void> {
    const storeId = this.editableStore(document.uri);
    if (storeId === undefined || document.isClosed) {
      this.marks.delete(document.uri);
      return;
    }
    const version = document.version;
    // A check that fails (the server restarting) leaves the marks as they were until the next edit.
    const result = await this.client.sendRequest(CheckSessionDocumentRequest, { storeId, text: document.getText() }).then(undefined, () => undefined);
    // A later edit has its own check coming; a closed document keeps no marks; a check answered
    // after the extension stopped has no marks left to set.
    if (!result || this.disposed || document.isClosed || document.version !== version) {
      return;
    }
    const mistake = result.mistake;
    if (!mistake) {
      this.marks.delete(document.uri);
      return;
    }
    const { start, end } = mistake.range;
    const mark = new vscode.Diagnostic(new vscode.Range(start.line, start.character, end.line, end.character), mistake.message, vscode.DiagnosticSeverity.Error);
    mark.source = SOURCE;
    this.marks.set(document.uri, [mark]);
  }
}
