import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type Connection,
  type InitializeParams,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { deepestWithin, installedApps, isTemplatePath, isWithin, StoreError, TEMPLATE_GLOB } from '../../engine/src';
import { completeSessionKeys, completeSessionSettings } from './completion';
import { DiagnosticsPublisher } from './diagnostics';
import { sessionKeyHighlights, sessionSettingHighlights } from './documentHighlights';
import { hoverCacheAlias, hoverSessionKey, hoverSessionSetting, hoverUnresolvedKey } from './hover';
import { KeyIndexService, textSource, toPath } from './keyIndexService';
import { keyUsageAt } from './keyUsageAt';
import { keyUsers } from './keyUsers';
import { cacheAliasDefinition, sessionKeyDefinition, sessionKeyReferences, sessionKeyReferencesOf, sessionSettingDefinition, sessionSettingReferences } from './navigation';
import {
  BulkDeleteRequest,
  CheckSessionDocumentRequest,
  CountUserSessionsRequest,
  CheckValueRequest,
  EditSessionRequest,
  GetSessionRequest,
  SaveSessionDocumentRequest,
  SessionDocumentRequest,
  DecodeCookieRequest,
  KeyAtRequest,
  KeyReferencesRequest,
  ListSessionsRequest,
  ListStoresRequest,
  ServerReadyNotification,
  SettingsChangedNotification,
  StorePasswordsNotification,
  SessionsChangedNotification,
  StoresChangedNotification,
  WorkspaceTrustedNotification,
  type InitializationOptions,
  type ServerSettings,
  type StoreErrorData,
} from './protocol';
import { EnvFileWatch } from './envFileWatch';
import { fileUri, openDocumentOf, toFilePath } from './fileUri';
import { PasswordCipher } from './passwordCipher';
import { refKeyFromEnvironment } from './refKey';
import { ProjectModel, type SettingScope } from './projectModel';
import { prepareSessionKeyRename, refuseSessionSettingRename, renameSessionKey } from './rename';
import { isValueJson } from './sessionEdit';
import { StoreRegistry } from './storeRegistry';
import { nonUtf8File } from './nonUtf8File';

/** How long changes to settings files are gathered before the client is told to list the stores again. */
const STORES_CHANGED_DELAY_MS = 150;

/**
 * Python files and templates change in place; a folder deleted, moved or copied is reported as the folder alone,
 * never per file, so creations and deletions are watched for every path. Each event comes once.
 */
const PYTHON_WATCHERS = [
  { globPattern: '**/*.py', kind: WatchKind.Change },
  { globPattern: TEMPLATE_GLOB, kind: WatchKind.Change },
  { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
];

/** How long a rename waits while the local stores are searched for sessions holding the key. */
const STORED_KEY_BUDGET_MS = 2000;

/**
 * How long Log User Out Everywhere reads a store to count the user's sessions before it asks:
 * longer, and it asks about all of them, uncounted, rather than keep the user waiting.
 */
const USER_COUNT_BUDGET_MS = 3000;

/** LSP error code for store failures, so the client can show the message as it is. */
const STORE_ERROR = -32001;

/** Wires the language server's features and custom requests onto a connection and starts listening. */
export function startServer(connection: Connection): void {
  // First of all, before any discovery reads process.env: the key leaves it here.
  const cipher = PasswordCipher.fromEnvironment(process.env);
  const refKey = refKeyFromEnvironment(process.env);
  const documents = new TextDocuments(TextDocument);
  let roots: string[] = [];
  let clientSendsFolders = false;
  /** Whether the client asks before applying edits marked as needing confirmation (LSP change annotations). */
  let clientConfirmsEdits = false;
  let trusted = false;
  let settings: ServerSettings = { storeUrl: '', settingsModules: {} };
  const log = (message: string) => connection.console.info(message);
  const envFiles = new EnvFileWatch(connection);
  const indexing = KeyIndexService.create(() => roots);
  const model = new ProjectModel(
    () => roots,
    () => settings,
    (projects) => {
      envFiles.watch(projects.flatMap((p) => p.envFiles));
      void indexing.then((service) => service.projectsFound(projects));
    },
  );
  const registry = new StoreRegistry(model, () => roots, log, cipher, refKey);
  registry.onSessionsChanged((storeId) => void connection.sendNotification(SessionsChangedNotification, { storeIds: [storeId] }));
  const isOpen = (file: string) => openDocumentOf(documents, file) !== undefined;
  const text = textSource((file) => openDocumentOf(documents, file)?.getText());
  // A rename's edits to a file the editor has not opened are applied to it decoded as UTF-8.
  const unsafeToEdit = (file: string) => (isOpen(file) ? undefined : nonUtf8File(file));
  /** The version of each open document, by path. */
  const openVersions = () => {
    const versions = new Map<string, number>();
    for (const document of documents.all()) {
      const file = toFilePath(document.uri);
      if (file !== undefined) {
        versions.set(file, document.version);
      }
    }
    return versions;
  };
  const diagnostics = new DiagnosticsPublisher(connection, indexing, model, text, openVersions);

  connection.onInitialize((params: InitializeParams) => {
    roots = (params.workspaceFolders ?? []).flatMap((f) => toFilePath(f.uri) ?? []);
    clientSendsFolders = params.capabilities.workspace?.workspaceFolders === true;
    clientConfirmsEdits = params.capabilities.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined && params.capabilities.workspace.workspaceEdit.documentChanges === true;
    const options = params.initializationOptions as InitializationOptions | undefined;
    trusted = options?.trusted ?? false;
    settings = options?.settings ?? settings;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: ["'", '"', '[', '('] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'Django Sessions' },
    };
  });

  /** Work on the index's folders, in order: a folder added while the first scan runs is indexed after it. */
  let folderWork = Promise.resolve();
  const failed = (what: string) => (err: Error) => connection.console.error(`${what} failed: ${err.stack ?? String(err)}`);
  connection.onInitialized(() => {
    if (clientSendsFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        folderWork = folderWork.then(() => changeFolders(event)).catch(failed('Following the workspace folders'));
      });
    }
    folderWork = indexWorkspace().catch(failed('Starting the server'));
    return folderWork;
  });

  /** Indexes the workspace folders the server started with, then tells the client the server is ready. */
  async function indexWorkspace(): Promise<void> {
    // Environment files are watched as discovery finds them (EnvFileWatch).
    await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: PYTHON_WATCHERS });
    const started = Date.now();
    const service = await indexing;
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Indexing session keys', 0, 'finding Python files…');
    let reported = 0;
    let indexedFiles = 0;
    try {
      indexedFiles = await service.indexRoots(roots, (root, done, total) => {
        // A message per file would flood the client; one per percent is plenty.
        if (done === total || done - reported >= Math.max(1, total / 100)) {
          reported = done === total ? 0 : done;
          progress.report(Math.floor((done / total) * 100), `${done}/${total} Python files${roots.length > 1 ? ` in ${path.basename(root)}` : ''}`);
        }
      });
    } catch (err) {
      // The client still hears that the server is ready: stores, hover and completion work without the index.
      connection.console.error(`Indexing the workspace failed: ${(err as Error).stack ?? String(err)}`);
    } finally {
      progress.done();
    }
    const stores = trusted ? (await guarded(() => registry.listStores(settings, false), log))?.length ?? 0 : 0;
    log(`Indexed ${indexedFiles} Python file(s) in ${Date.now() - started} ms.`);
    await diagnostics.publish();
    void connection.sendNotification(ServerReadyNotification, { stores, indexedFiles });
  }

  /**
   * Follows workspace folders added and removed after start: an added one is indexed (open
   * editors in it keep their unsaved text), a removed one's files leave the index and so their
   * diagnostics, and the client lists the stores again, of the projects in the folders there are now.
   */
  async function changeFolders(event: WorkspaceFoldersChangeEvent): Promise<void> {
    const service = await indexing;
    const removed = event.removed.flatMap((f) => toFilePath(f.uri) ?? []);
    const added = event.added.flatMap((f) => toFilePath(f.uri) ?? []).filter((root) => !roots.includes(root));
    roots = [...roots.filter((root) => !removed.includes(root)), ...added];
    const inWorkspace = (file: string) => roots.some((root) => isWithin(root, file));
    removed.forEach((root) => service.removeRoot(root, inWorkspace));
    await service.indexRoots(added).catch(failed('Indexing the added workspace folders'));
    for (const document of documents.all()) {
      const file = toFilePath(document.uri);
      if (file && added.some((root) => isWithin(root, file))) {
        service.updateText(document.uri, document.getText());
      }
    }
    registry.invalidate();
    diagnostics.schedule(true);
    storesChangedSoon();
  }

  connection.onNotification(WorkspaceTrustedNotification, (params) => {
    trusted = params.trusted;
  });
  connection.onNotification(StorePasswordsNotification, (params) => registry.setPasswords(params.passwords));
  connection.onNotification(SettingsChangedNotification, (next) => {
    settings = next;
    registry.invalidate();
    diagnostics.schedule(true);
  });

  connection.onRequest(ListStoresRequest, (params) =>
    storeRequest(async () => {
      const stores = await registry.listStores(settings, params.refresh ?? false);
      if (stores.length > 0) {
        return { stores };
      }
      const { whyNone, noProject } = await registry.whyNoStores(settings);
      return noProject ? { stores, whyNone, noProject } : { stores, whyNone };
    }),
  );
  connection.onRequest(ListSessionsRequest, (params) => storeRequest(() => registry.listSessions(params)));
  connection.onRequest(GetSessionRequest, (params) => storeRequest(() => registry.getSession(params)));
  connection.onRequest(SessionDocumentRequest, (params) => storeRequest(() => registry.sessionDocument(params, settings)));
  connection.onRequest(DecodeCookieRequest, (params) => storeRequest(() => registry.decodeCookie(params, settings)));
  connection.onRequest(SaveSessionDocumentRequest, (params) => storeRequest(() => registry.saveSessionDocument(params, settings)));
  connection.onRequest(CheckSessionDocumentRequest, (params) => storeRequest(() => registry.checkSessionDocument(params, settings)));
  connection.onRequest(EditSessionRequest, (params) => storeRequest(() => registry.editSession(params)));
  connection.onRequest(CheckValueRequest, ({ json }) => ({ valid: isValueJson(json) }));
  connection.onRequest(BulkDeleteRequest, (params, token) =>
    storeRequest(async () => {
      const title = params.userId === undefined ? 'Clearing expired sessions' : 'Logging the user out everywhere';
      // The client shows its own cancellable notification and passes its token: report into that.
      const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
      progress.begin(title, undefined, 'starting…', true);
      const abort = new AbortController();
      const stop = () => abort.abort();
      const subscriptions = [token.onCancellationRequested(stop)];
      try {
        return await registry.bulkDelete(params, abort.signal, (done, undecodable) => progress.report(`${done} sessions checked${undecodable > 0 ? `, ${undecodable} could not be decoded` : ''}`));
      } finally {
        subscriptions.forEach((d) => d.dispose());
        progress.done();
      }
    }),
  );

  connection.onRequest(CountUserSessionsRequest, (params, token) =>
    storeRequest(async () => {
      const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
      progress.begin('Counting the sessions of the user', undefined, 'starting…', true);
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      try {
        return await registry.countUserSessions(params, abort.signal, USER_COUNT_BUDGET_MS, (done) => progress.report(`${done} sessions checked`));
      } finally {
        subscription.dispose();
        progress.done();
      }
    }),
  );

  /** INSTALLED_APPS of the project a file belongs to; undefined when unknown. */
  const installedAppsOf = async (file: string) => {
    const { project } = await model.settingScope(file);
    return project ? installedApps(project) : undefined;
  };
  connection.onCompletion(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) {
      return undefined;
    }
    const { line, character } = params.position;
    const service = await indexing;
    const file = toPath(document.uri);
    if (file && isTemplatePath(file)) {
      return completeSessionKeys(service.index, document, file, line, character, rootOf(file), await installedAppsOf(file), registry.listedKeys((await model.settingScope(file)).project?.root));
    }
    const scope = file ? await model.settingScope(file) : undefined;
    // SESSION_CACHE_ALIAS's values are the keys of CACHES, read as the editors have the settings, as the settings findings are.
    const aliasLine = document.getText({ start: { line, character: 0 }, end: { line, character } }).includes('SESSION_CACHE_ALIAS');
    const project = file && scope?.inSettingsModule && aliasLine ? await model.openProjectOf(file, text) : scope?.project;
    const settings = scope?.inSettingsModule ? completeSessionSettings(service.index.python, document, line, character, project) : undefined;
    return settings ?? completeSessionKeys(service.index, document, file, line, character, file ? rootOf(file) : '', file ? await installedAppsOf(file) : undefined, registry.listedKeys(scope?.project?.root));
  });

  // The deepest folder holding the file, by whole path segments (nested folders, and /proj2 beside /proj).
  const rootOf = (file: string) => deepestWithin(roots, file) ?? roots[0] ?? '/';
  /** Runs a key-navigation feature on a Python file once the index is ready. */
  async function onKey<T>(uri: string, run: (service: KeyIndexService, file: string) => T): Promise<T | undefined> {
    const file = toPath(uri);
    const service = await indexing;
    // A file whose text does not parse yet has the places of its older text: none of them is where the cursor is.
    return file && !service.index.isHeldBack(file) ? run(service, file) : undefined;
  }
  /** Runs a feature on a `SESSION_*` setting, with the project whose settings the file sees. */
  async function onSetting<T>(uri: string, run: (service: KeyIndexService, file: string, scope: SettingScope) => T): Promise<T | undefined> {
    const file = toPath(uri);
    // A template names no setting; its text is no Python to look for one in.
    return file && !isTemplatePath(file) ? run(await indexing, file, await model.settingScope(file)) : undefined;
  }
  // Each feature tries a session key first; a setting name never is one, so at most one answers.
  // A key computed at run time comes last: a setting named inside it (`session[settings.SESSION_X + id]`) tells more.
  /** Whether the Sessions view lists some store's sessions: a trusted workspace with a store that keeps them (not signed_cookies). */
  const listsSessions = async () => trusted && ((await guarded(() => registry.listStores(settings, false), log)) ?? []).some((store) => store.engine !== 'signed_cookies');
  connection.onHover(
    async ({ textDocument, position }) =>
      (await onKey(textDocument.uri, async (s, file) =>
        hoverSessionKey(s.index, file, position.line, position.character, rootOf(file), await installedAppsOf(file), await listsSessions(), registry.listedKeys((await model.settingScope(file)).project?.root)),
      )) ??
      (await onSetting(textDocument.uri, (s, file, scope) => hoverSessionSetting(s.index.python, text(file) ?? '', position, scope, rootOf(file)))) ??
      (await onSetting(textDocument.uri, (s, file) => hoverCacheAlias(s.index.python, text, file, position, model))) ??
      onKey(textDocument.uri, (s, file) => hoverUnresolvedKey(s.index, file, position)),
  );
  connection.onDefinition(
    async ({ textDocument, position }) =>
      (await onKey(textDocument.uri, (s, file) => sessionKeyDefinition(s.index, file, position.line, position.character))) ??
      (await onSetting(textDocument.uri, (s, file, scope) => sessionSettingDefinition(s.index, text, file, position, scope))) ??
      onSetting(textDocument.uri, (s, file, scope) => cacheAliasDefinition(s.index.python, text, file, position, scope)),
  );
  connection.onReferences(
    async ({ textDocument, position, context }) =>
      (await onKey(textDocument.uri, (s, file) => sessionKeyReferences(s.index, file, position.line, position.character, context.includeDeclaration))) ??
      onSetting(textDocument.uri, (s, file, scope) => sessionSettingReferences(s.index, text, file, position, scope)),
  );
  connection.onDocumentHighlight(
    async ({ textDocument, position }) =>
      (await onKey(textDocument.uri, (s, file) => sessionKeyHighlights(s.index, file, position))) ??
      onSetting(textDocument.uri, (s, file, scope) => sessionSettingHighlights(s.index, text, file, position, scope)),
  );
  connection.onRequest(KeyReferencesRequest, async ({ key }) => {
    const { index } = await indexing;
    // A session's key is the workspace's, INSTALLED_APPS each project's: taken as unknown, so a common name (`next`) or an app's prefix is no app's.
    return typeof key === 'string' ? { locations: sessionKeyReferencesOf(index, key), usedBy: keyUsers(key, undefined, undefined, (name) => name).sentences } : { locations: [], usedBy: [] };
  });
  connection.onRequest(KeyAtRequest, async ({ textDocument, position }) => ({ key: await onKey(textDocument.uri, (s, file) => keyUsageAt(s.index, file, position)?.key) }));
  connection.onPrepareRename(
    async ({ textDocument, position }) =>
      (await onKey(textDocument.uri, async (s, file) => prepareSessionKeyRename(s.index, text, file, position.line, position.character, await installedAppsOf(file), unsafeToEdit))) ??
      onSetting(textDocument.uri, (s, file, scope) => refuseSessionSettingRename(s.index.python, text(file) ?? '', position, scope)),
  );
  connection.onRenameRequest(
    async ({ textDocument, position, newName }) =>
      await onKey(textDocument.uri, async (s, file) => {
        const context = { installedApps: await installedAppsOf(file), confirmsEdits: clientConfirmsEdits, unsafeToEdit };
        let edit = renameSessionKey(s.index, text, file, position.line, position.character, newName, context);
        // Only a rename that can be made, in an editor that can ask, is told of the sessions it leaves behind.
        const key = keyUsageAt(s.index, file, position)?.key;
        if (edit && !(edit instanceof ResponseError) && trusted && clientConfirmsEdits && key !== undefined && key !== newName) {
          const stored = await registry.storedWithKey(key, settings, STORED_KEY_BUDGET_MS);
          if (stored.length > 0) {
            edit = renameSessionKey(s.index, text, file, position.line, position.character, newName, { ...context, stored });
          }
        }
        // VS Code shows a confirmed rename in its Refactor Preview with every change unticked, and says why only on hover.
        const confirmation = edit && !(edit instanceof ResponseError) ? Object.values(edit.changeAnnotations ?? {})[0] : undefined;
        if (confirmation) {
          void connection.window.showWarningMessage(`${confirmation.label}. ${confirmation.description ?? ''} The rename waits in the Refactor Preview: tick its changes and Apply to rename anyway, or Discard.`);
        }
        return edit;
      }),
  );

  connection.onCodeAction(({ textDocument, range }) => {
    const file = toPath(textDocument.uri);
    return file ? diagnostics.codeActions(file, range) : [];
  });

  /** A notification to list the stores again, waiting for the changes that come with it. */
  let storesChanged: NodeJS.Timeout | undefined;
  function storesChangedSoon(): void {
    storesChanged ??= setTimeout(() => {
      storesChanged = undefined;
      void connection.sendNotification(StoresChangedNotification);
    }, STORES_CHANGED_DELAY_MS);
  }

  /**
   * Re-lints after a Python file changed. Once a settings file (or an environment file discovery
   * read) is saved, discovery reads it again, the stores are found again and the client is told,
   * so the view never shows a stale store. Discovery reads files from disk, so an unsaved edit
   * changes nothing it reads: re-reading every settings module per keystroke would be wasted.
   */
  function changed(uri: string, saved: boolean): void {
    const file = toFilePath(uri);
    const settingsTouched = file !== undefined && model.affectsDiscovery(file);
    if (saved && settingsTouched) {
      registry.invalidate();
      // A save comes twice, as the save and as the file watcher's change: the view lists once.
      storesChangedSoon();
    }
    // Settings findings follow the editor's unsaved text too; the stores only what is saved.
    diagnostics.schedule(settingsTouched);
  }

  documents.onDidChangeContent(async (change) => {
    (await indexing).updateText(change.document.uri, change.document.getText());
    changed(change.document.uri, false);
  });
  documents.onDidSave(async (event) => {
    (await indexing).saved(event.document.uri, event.document.getText());
    changed(event.document.uri, true);
  });
  documents.onDidClose(async (event) => {
    (await indexing).updateFromDisk(event.document.uri);
    changed(event.document.uri, false);
  });
  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    const service = await indexing;
    for (const change of changes) {
      const file = toFilePath(change.uri);
      if (file === undefined) {
        continue;
      }
      // An open file is indexed from its editor's text; but what discovery reads is the file on
      // disk, which changed (a checkout under an open settings.py): that still counts.
      if (isOpen(file)) {
        changed(change.uri, true);
        continue;
      }
      if (toPath(change.uri)) {
        if (change.type === FileChangeType.Deleted) {
          service.remove(change.uri);
        } else {
          service.updateFromDisk(change.uri);
        }
        changed(change.uri, true);
        continue;
      }
      // Any other path is a folder, an environment file discovery reads, or neither (a .pyc).
      const held = change.type === FileChangeType.Deleted ? service.removeFolder(file, isOpen) : change.type === FileChangeType.Created ? service.indexFolder(file, isOpen) : [];
      held.forEach((python) => changed(fileUri(python), true));
      if (model.affectsDiscovery(file)) {
        changed(change.uri, true);
      }
    }
  });
  connection.onShutdown(async () => {
    diagnostics.dispose();
    (await indexing).dispose();
    return registry.dispose();
  });

  /** Stores stay closed in an untrusted workspace, and store failures reach the user as messages. */
  async function storeRequest<T>(run: () => Promise<T>): Promise<T | ResponseError<StoreErrorData | undefined>> {
    if (!trusted) {
      return new ResponseError(STORE_ERROR, 'This workspace is not trusted, so Django Sessions does not open its session stores.');
    }
    try {
      return await run();
    } catch (err) {
      if (err instanceof StoreError) {
        return new ResponseError(STORE_ERROR, err.message, { code: err.code });
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
