import * as vscode from 'vscode';
import type { LanguageClient, ResponseError } from 'vscode-languageclient/node';
import { SaveSessionDocumentRequest, SessionDocumentRequest, type StoreErrorData, type StoreInfo } from '../../server/src/protocol';
import { confirmChange, ELSEWHERE } from './confirmChange';
import { maskKeys } from './config';
import { BuiltinCommands, DocumentSchemes, Languages } from './ids';

/** One reading of a session document from the server. */
interface Reading {
  text: string;
  editable: boolean;
}

/** What `stat` reports for a document: its last reading, and when that reading last changed. */
interface Shown {
  text: string;
  size: number;
  editable: boolean;
  /** Moves forward whenever the text changes: VS Code reloads a document only when its mtime or size does. */
  mtime: number;
}

/** Gives a session document the language package.json declares for it (Languages.session). */
const DOCUMENT_SUFFIX = '.session.jsonc';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Sessions opened whole in an editor, as JSONC documents the server writes, edited and saved
 * back through the server. A document's URI names the session by the server's ref and its key
 * as the view shows it (masked by default), never by anything that would let the key be read back.
 * Every open one is read again when the Sessions view refreshes, which every change made from it
 * does. The text names the stored version it was read from (its `// version` line), so a save
 * always sends the version of the very text it saves, and the server refuses it if Django wrote
 * to the session since: an edit never overwrites a change it did not show.
 */
export class SessionDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly readings = new vscode.EventEmitter<vscode.Uri>();
  /** A document's session was read and differs from its last reading (or is its first), even where VS Code shows the unsaved text instead. */
  readonly onDidRead = this.readings.event;
  private readonly shown = new Map<string, Shown>();
  private readonly watched = new Map<string, vscode.Uri>();
  /**
   * Open documents written but not yet marked saved. Only once VS Code has taken the written text
   * as saved does it reload a document on a change, so only then is the session read again for
   * its new header (the save wrote a new expiry).
   */
  private readonly justSaved = new Set<string>();
  /** Documents whose session the server did not know when last read: a server started anew knows a ref once it has listed its session. */
  private readonly unlisted = new Set<string>();
  /** Per document, how many saves have started: a reading begun before a save is older than what it wrote. */
  private readonly saves = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly client: LanguageClient,
    private readonly stores: () => Promise<StoreInfo[]>,
    private readonly onSaved: (storeId: string) => void,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (this.justSaved.delete(document.uri.toString())) {
          void this.reread([document.uri]);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.shown.delete(document.uri.toString());
        this.saves.delete(document.uri.toString());
        this.justSaved.delete(document.uri.toString());
        this.unlisted.delete(document.uri.toString());
      }),
    ];
  }

  /**
   * Where one session's document lives; the `.session.jsonc` name gives it the Django Session
   * language (JSON with comments, never saved by auto save: a save writes to the live store). URIs
   * are kept in editor history, so the name shows the key masked even when the view does not mask it.
   */
  static uri(storeId: string, ref: string, maskedKey: string): vscode.Uri {
    return vscode.Uri.from({ scheme: DocumentSchemes.session, path: `/${maskedKey}${DOCUMENT_SUFFIX}`, query: new URLSearchParams({ store: storeId, ref }).toString() });
  }

  /** Shows a session whole in an editor; a document still open from before reads the session again. */
  async openInEditor(storeId: string, ref: string, maskedKey: string): Promise<void> {
    const uri = SessionDocuments.uri(storeId, ref, maskedKey);
    const wasOpen = vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString());
    const document = await vscode.workspace.openTextDocument(uri);
    if (wasOpen) {
      void this.refresh();
    }
    await showAsSession(document);
  }

  /** The store of a session document the user can edit and save, as last read; nothing for a read-only one or any other document. */
  editableStore(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== DocumentSchemes.session || isStoredView(uri) || this.shown.get(uri.toString())?.editable !== true) {
      return undefined;
    }
    return new URLSearchParams(uri.query).get('store') ?? undefined;
  }

  watch(uri: vscode.Uri): vscode.Disposable {
    const key = uri.toString();
    this.watched.set(key, uri);
    return new vscode.Disposable(() => this.watched.delete(key));
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const shown = this.shown.get(uri.toString()) ?? this.show(uri, await this.read(uri));
    const readonly = !shown.editable || isStoredView(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: shown.mtime, size: shown.size, permissions: readonly ? vscode.FilePermission.Readonly : undefined };
  }

  /**
   * After Django changed a session under an edit, offers the session as stored now beside the
   * edit, read-only: taking its `// version` line (and whatever else of Django's change is to stay)
   * into the edit lets it be saved, so the edit need not be redone.
   */
  private async offerCompare(uri: vscode.Uri): Promise<void> {
    const compare = 'Compare with the Stored Session';
    const choice = await vscode.window.showWarningMessage('Django changed this session after you opened it, so nothing was written.', compare);
    if (choice === compare) {
      const stored = uri.with({ query: `${uri.query}&${STORED_VIEW}` });
      await vscode.commands.executeCommand(BuiltinCommands.diff, stored, uri, `${uri.path.slice(1)}: stored now ↔ your edit`);
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const reading = await this.read(uri);
    this.show(uri, reading);
    return encoder.encode(reading.text);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const { storeId, ref } = sessionOf(uri);
    if (!(await this.confirmSave(uri, storeId))) {
      throw new Error('Nothing was written: the save was not confirmed.');
    }
    const text = decoder.decode(content);
    this.saves.set(uri.toString(), (this.saves.get(uri.toString()) ?? 0) + 1);
    try {
      await this.client.sendRequest(SaveSessionDocumentRequest, { storeId, ref, text });
    } catch (err) {
      if ((err as ResponseError<StoreErrorData | undefined>).data?.code === 'conflict') {
        void this.offerCompare(uri);
      }
      throw new Error((err as Error).message);
    }
    this.show(uri, { text, editable: true });
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
      this.justSaved.add(uri.toString());
    } else {
      void this.reread([uri]);
    }
    this.onSaved(storeId);
  }

  /** Reads every open or watched session document again, and tells VS Code which ones changed. */
  async refresh(): Promise<void> {
    const uris = new Map(this.watched);
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === DocumentSchemes.session) {
        uris.set(document.uri.toString(), document.uri);
      }
    }
    // A document whose save has not been marked done yet is left for that; one written some other
    // way (never marked) is read again like the rest once its editor holds nothing unsaved.
    const settled = [...uris.values()].filter((uri) => !this.justSaved.has(uri.toString()) || !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty));
    settled.forEach((uri) => this.justSaved.delete(uri.toString()));
    await this.reread(settled);
  }

  /**
   * Reads again the open documents of `storeId` whose session was not listed when last read, or
   * that were never read (VS Code restored their unsaved text after a reload), now that the view
   * has listed the store: an edit made before the server restarted or the window reloaded can
   * then be saved, and is checked for mistakes.
   */
  async listed(storeId: string): Promise<void> {
    const waiting = vscode.workspace.textDocuments.filter(
      (d) => d.uri.scheme === DocumentSchemes.session && (this.unlisted.has(d.uri.toString()) || !this.shown.has(d.uri.toString())) && new URLSearchParams(d.uri.query).get('store') === storeId,
    );
    await this.reread(waiting.map((d) => d.uri));
  }

  readDirectory(): never {
    throw vscode.FileSystemError.NoPermissions('Session documents are not in folders.');
  }

  createDirectory(): never {
    throw vscode.FileSystemError.NoPermissions('Session documents are not in folders.');
  }

  delete(): never {
    throw vscode.FileSystemError.NoPermissions('Delete a session from the Sessions view (Delete Session).');
  }

  rename(): never {
    throw vscode.FileSystemError.NoPermissions('A session document cannot be renamed; Cycle Key in the Sessions view gives a session a new key.');
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
    this.readings.dispose();
  }

  private async reread(uris: vscode.Uri[]): Promise<void> {
    const changes: vscode.FileChangeEvent[] = [];
    await Promise.all(
      uris.map(async (uri) => {
        const saves = this.saves.get(uri.toString());
        const reading = await this.read(uri);
        if (this.saves.get(uri.toString()) !== saves) {
          return;
        }
        const before = this.shown.get(uri.toString());
        if (this.show(uri, reading) !== before) {
          changes.push({ type: vscode.FileChangeType.Changed, uri });
        }
      }),
    );
    if (changes.length > 0) {
      this.changed.fire(changes);
    }
  }

  /** The document as the server writes it now; a session that is gone or cannot be read is a read-only note saying so. */
  private async read(uri: vscode.Uri): Promise<Reading> {
    const { storeId, ref } = sessionOf(uri);
    try {
      const result = await this.client.sendRequest(SessionDocumentRequest, { storeId, ref, maskKeys: maskKeys() });
      if (result.unlisted) {
        this.unlisted.add(uri.toString());
      } else {
        this.unlisted.delete(uri.toString());
      }
      if (result.text !== undefined) {
        return { text: result.text, editable: result.editable === true };
      }
      return { text: result.unlisted ? '// This session is no longer listed: refresh the Sessions view and open it again.\n' : '// This session no longer exists.\n', editable: false };
    } catch (err) {
      return { text: `// Could not read the session: ${(err as Error).message}\n`, editable: false };
    }
  }

  /** Records a reading for `stat`, with a later mtime only when it differs from the last one; returns what `stat` now reports. */
  private show(uri: vscode.Uri, reading: Pick<Reading, 'text' | 'editable'>): Shown {
    const key = uri.toString();
    const last = this.shown.get(key);
    if (last?.text === reading.text && last.editable === reading.editable) {
      return last;
    }
    const shown = { text: reading.text, size: encoder.encode(reading.text).byteLength, editable: reading.editable, mtime: Math.max(Date.now(), (last?.mtime ?? 0) + 1) };
    this.shown.set(key, shown);
    this.readings.fire(uri);
    return shown;
  }

  /** Saving to a store on another machine asks first, as every change to one does. */
  private async confirmSave(uri: vscode.Uri, storeId: string): Promise<boolean> {
    const store = (await this.stores().catch(() => [])).find((s) => s.id === storeId);
    const displayKey = uri.path.slice(1, uri.path.endsWith(DOCUMENT_SUFFIX) ? -DOCUMENT_SUFFIX.length : undefined);
    return confirmChange('edit', store?.local === true, `Save session ${displayKey} in ${store?.label ?? storeId}?`, ELSEWHERE, 'Save');
  }
}

/** The query flag of a session document's read-only view of the session as stored now. */
const STORED_VIEW = 'view=stored';

function isStoredView(uri: vscode.Uri): boolean {
  return new URLSearchParams(uri.query).get('view') === 'stored';
}

/** The store and ref a session document's URI names; any other path in the scheme is not a file. */
function sessionOf(uri: vscode.Uri): { storeId: string; ref: string } {
  const query = new URLSearchParams(uri.query);
  const storeId = query.get('store');
  const ref = query.get('ref');
  if (!storeId || !ref) {
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  return { storeId, ref };
}

/** Shows a document as a session, in the session language whatever its name made of it. */
export async function showAsSession(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document.languageId === Languages.session ? document : await vscode.languages.setTextDocumentLanguage(document, Languages.session), { preview: true });
}
