import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { StoreError } from '../../engine/src';
import { completeSessionKeys } from './completion';
import { DiagnosticsPublisher } from './diagnostics';
import { hoverSessionKey } from './hover';
import { KeyIndexService, textSource, toPath } from './keyIndexService';
import { sessionKeyDefinition, sessionKeyReferences } from './navigation';
import {
  BulkDeleteRequest,
  EditSessionRequest,
  GetSessionRequest,
  ListSessionsRequest,
  ListStoresRequest,
  ServerReadyNotification,
  SettingsChangedNotification,
  StorePasswordsNotification,
  StoresChangedNotification,
  WorkspaceTrustedNotification,
  type InitializationOptions,
  type ServerSettings,
} from './protocol';
import { ProjectModel } from './projectModel';
import { prepareSessionKeyRename, renameSessionKey } from './rename';
import { StoreRegistry } from './storeRegistry';

/** LSP error code for store failures, so the client can show the message as it is. */
const STORE_ERROR = -32001;

/** Wires the language server's features and custom requests onto a connection and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let roots: string[] = [];
  let trusted = false;
  let settings: ServerSettings = { storeUrl: '', settingsModule: '' };
  const log = (message: string) => connection.console.info(message);
  const model = new ProjectModel(() => roots, () => settings);
  const registry = new StoreRegistry(model, () => roots, log);
  const indexing = KeyIndexService.create();
  const diagnostics = new DiagnosticsPublisher(connection, indexing, model);

  connection.onInitialize((params: InitializeParams) => {
    roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    const options = params.initializationOptions as InitializationOptions | undefined;
    trusted = options?.trusted ?? false;
    settings = options?.settings ?? settings;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: ["'", '"'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'Django Sessions' },
    };
  });

  connection.onInitialized(async () => {
    await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.py' }] });
    const started = Date.now();
    const service = await indexing;
    const indexedFiles = await service.indexRoots(roots);
    const stores = trusted ? (await guarded(() => registry.listStores(settings, false), log))?.length ?? 0 : 0;
    log(`Indexed ${indexedFiles} Python file(s) in ${Date.now() - started} ms.`);
    await diagnostics.publish();
    void connection.sendNotification(ServerReadyNotification, { stores, indexedFiles });
  });

  connection.onNotification(WorkspaceTrustedNotification, (params) => {
    trusted = params.trusted;
  });
  connection.onNotification(StorePasswordsNotification, (params) => registry.setPasswords(params.passwords));
  connection.onNotification(SettingsChangedNotification, async (next) => {
    settings = next;
    model.invalidate();
    await registry.dispose();
    diagnostics.schedule(true);
  });

  connection.onRequest(ListStoresRequest, (params) => storeRequest(() => registry.listStores(settings, params.refresh ?? false).then((stores) => ({ stores }))));
  connection.onRequest(ListSessionsRequest, (params) => storeRequest(() => registry.listSessions(params)));
  connection.onRequest(GetSessionRequest, (params) => storeRequest(() => registry.getSession(params)));
  connection.onRequest(EditSessionRequest, (params) => storeRequest(() => registry.editSession(params)));
  connection.onRequest(BulkDeleteRequest, (params, token) =>
    storeRequest(async () => {
      const title = params.userId === undefined ? 'Clearing expired sessions' : 'Logging the user out everywhere';
      const progress = await connection.window.createWorkDoneProgress();
      progress.begin(title, undefined, 'starting…', true);
      const abort = new AbortController();
      const stop = () => abort.abort();
      const subscriptions = [token.onCancellationRequested(stop), progress.token.onCancellationRequested(stop)];
      try {
        return await registry.bulkDelete(params, abort.signal, (done) => progress.report(`${done} sessions checked`));
      } finally {
        subscriptions.forEach((d) => d.dispose());
        progress.done();
      }
    }),
  );

  connection.onCompletion(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) {
      return undefined;
    }
    const service = await indexing;
    return completeSessionKeys(service.index, document, params.position.line, params.position.character);
  });

  const text = textSource((uri) => documents.get(uri)?.getText());
  const rootOf = (file: string) => roots.find((r) => file.startsWith(r)) ?? roots[0] ?? '/';
  /** Runs a key-navigation feature on a Python file once the index is ready. */
  async function onKey<T>(uri: string, run: (service: KeyIndexService, file: string) => T): Promise<T | undefined> {
    const file = toPath(uri);
    return file ? run(await indexing, file) : undefined;
  }
  connection.onHover(({ textDocument, position }) => onKey(textDocument.uri, (s, file) => hoverSessionKey(s.index, file, position.line, position.character, rootOf(file))));
  connection.onDefinition(({ textDocument, position }) => onKey(textDocument.uri, (s, file) => sessionKeyDefinition(s.index, file, position.line, position.character)));
  connection.onReferences(({ textDocument, position }) => onKey(textDocument.uri, (s, file) => sessionKeyReferences(s.index, file, position.line, position.character)));
  connection.onPrepareRename(({ textDocument, position }) => onKey(textDocument.uri, (s, file) => prepareSessionKeyRename(s.index, text, file, position.line, position.character)));
  connection.onRenameRequest(({ textDocument, position, newName }) => onKey(textDocument.uri, (s, file) => renameSessionKey(s.index, text, file, position.line, position.character, newName)));

  connection.onCodeAction(({ textDocument, range }) => {
    const file = toPath(textDocument.uri);
    return file ? diagnostics.codeActions(file, range) : [];
  });

  /**
   * Re-lints after a Python file changed. A settings file also re-reads discovery; once it is
   * saved, the stores are found again and the client is told, so the view never shows a stale store.
   */
  async function changed(uri: string, saved: boolean): Promise<void> {
    const file = toPath(uri);
    const settingsChanged = file !== undefined && model.affectsDiscovery(file);
    if (settingsChanged) {
      model.invalidate();
    }
    diagnostics.schedule(settingsChanged);
    if (settingsChanged && saved) {
      await registry.dispose();
      void connection.sendNotification(StoresChangedNotification);
    }
  }

  documents.onDidChangeContent(async (change) => {
    (await indexing).updateText(change.document.uri, change.document.getText());
    await changed(change.document.uri, false);
  });
  documents.onDidSave((event) => changed(event.document.uri, true));
  documents.onDidClose(async (event) => {
    await (await indexing).updateFromDisk(event.document.uri);
    await changed(event.document.uri, false);
  });
  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    const service = await indexing;
    for (const change of changes) {
      if (documents.get(change.uri)) {
        continue;
      }
      if (change.type === FileChangeType.Deleted) {
        service.remove(change.uri);
      } else {
        await service.updateFromDisk(change.uri);
      }
      await changed(change.uri, true);
    }
  });
  connection.onShutdown(() => {
    diagnostics.dispose();
    return registry.dispose();
  });

  /** Stores stay closed in an untrusted workspace, and store failures reach the user as messages. */
  async function storeRequest<T>(run: () => Promise<T>): Promise<T | ResponseError<void>> {
    if (!trusted) {
      return new ResponseError(STORE_ERROR, 'This workspace is not trusted, so Django Sessions does not open its session stores.');
    }
    try {
      return await run();
    } catch (err) {
      if (err instanceof StoreError) {
        return new ResponseError(STORE_ERROR, err.message);
      }
      connection.console.error(`Unexpected store failure: ${(err as Error).stack ?? String(err)}`);
      return new ResponseError(STORE_ERROR, `Unexpected failure: ${(err as Error).message}. See the Django Sessions log.`);
    }
  }

  documents.listen(connection);
  connection.listen();
}

async function guarded<T>(run: () => Promise<T>, log: (m: string) => void): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    log(`Store discovery failed: ${(err as Error).message}`);
    return undefined;
  }
}
