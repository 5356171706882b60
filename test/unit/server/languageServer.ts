import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection, FileChangeType, type CodeAction, type Diagnostic, type FileSystemWatcher, type InitializeResult, type Range, type RegistrationParams, type ServerCapabilities } from 'vscode-languageserver/node';
import { ServerReadyNotification, StoresChangedNotification, type InitializationOptions, type ServerReadyParams } from '../../../server/src/protocol';
import { startServer } from '../../../server/src/server';

/** A language server started in this process, driven over in-memory pipes as VS Code drives it. */
export interface LanguageServer {
  client: MessageConnection;
  capabilities: ServerCapabilities;
  ready: ServerReadyParams;
  /** The diagnostics last published per file path. */
  diagnostics: Map<string, Diagnostic[]>;
  /** The document version each file's last diagnostics were published for, if any. */
  diagnosticVersions: Map<string, number | undefined>;
  /** How many times diagnostics were published per file path. */
  publications: Map<string, number>;
  /** The file watchers the server registered, in order. */
  watchers: FileSystemWatcher[];
  /** How many times the server told the client to list the stores again. */
  storesChanged(): number;
  open(file: string, text: string): void;
  /** Replaces the whole text of an open document. */
  change(file: string, text: string): void;
  save(file: string): void;
  close(file: string): void;
  /** Reports file-watcher events, as `[path, type]` pairs. */
  watched(changes: [string, FileChangeType][]): void;
  folders(added: string[], removed: string[]): void;
  /** Sends a text-document request at a position. */
  at<T>(method: string, file: string, line: number, character: number, extra?: object): Promise<T>;
  /** Asks for the quick fixes of a range, as the light bulb does. */
  codeActions(file: string, range: Range): Promise<CodeAction[]>;
  stop(): Promise<void>;
}

/**
 * Starts a server on the workspace folders `roots` and waits until it says it is ready.
 * `workspaceEdit` adds to the client's workspace-edit capabilities (VS Code's change annotations).
 */
export async function startLanguageServer(roots: string[], trusted = false, workspaceEdit: object = {}): Promise<LanguageServer> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const diagnostics = new Map<string, Diagnostic[]>();
  const watchers: FileSystemWatcher[] = [];
  let storesChanged = 0;
  const diagnosticVersions = new Map<string, number | undefined>();
  const publications = new Map<string, number>();
  client.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
    const file = fileURLToPath(params.uri);
    diagnostics.set(file, params.diagnostics);
    diagnosticVersions.set(file, params.version);
    publications.set(file, (publications.get(file) ?? 0) + 1);
  });
  client.onNotification(StoresChangedNotification.method, () => void storesChanged++);
  client.onRequest('client/registerCapability', (params: RegistrationParams) => {
    for (const registration of params.registrations) {
      watchers.push(...((registration.registerOptions as { watchers?: FileSystemWatcher[] } | undefined)?.watchers ?? []));
    }
    return null;
  });
  client.onRequest('window/workDoneProgress/create', () => null);
  const ready = new Promise<ServerReadyParams>((resolve) => client.onNotification(ServerReadyNotification.method, resolve));
  client.listen();
  const initializationOptions: InitializationOptions = { trusted, settings: { storeUrl: '', settingsModules: {} } };
  const { capabilities } = await client.sendRequest<InitializeResult>('initialize', {
    processId: null,
    rootUri: null,
    capabilities: { window: { workDoneProgress: true }, workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit } },
    workspaceFolders: roots.map((root) => ({ uri: uri(root), name: root })),
    initializationOptions,
  });
  await client.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  const next = (file: string) => {
    versions.set(file, (versions.get(file) ?? 0) + 1);
    return versions.get(file)!;
  };
  return {
    client,
    capabilities,
    ready: await ready,
    diagnostics,
    diagnosticVersions,
    publications,
    watchers,
    storesChanged: () => storesChanged,
    open: (file, text) => void client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'python', version: next(file), text } }),
    change: (file, text) => void client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version: next(file) }, contentChanges: [{ text }] }),
    save: (file) => void client.sendNotification('textDocument/didSave', { textDocument: { uri: uri(file) } }),
    close: (file) => void client.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } }),
    watched: (changes) => void client.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map(([file, type]) => ({ uri: uri(file), type })) }),
    folders: (added, removed) =>
      void client.sendNotification('workspace/didChangeWorkspaceFolders', {
        event: { added: added.map((f) => ({ uri: uri(f), name: f })), removed: removed.map((f) => ({ uri: uri(f), name: f })) },
      }),
    at: (method, file, line, character, extra = {}) => client.sendRequest(method, { textDocument: { uri: uri(file) }, position: { line, character }, ...extra }),
    codeActions: (file, range) => client.sendRequest('textDocument/codeAction', { textDocument: { uri: uri(file) }, range, context: { diagnostics: [] } }),
    stop: async () => {
      await client.sendRequest('shutdown');
      client.dispose();
      toServer.end();
      toClient.end();
    },
  };
}

/** Waits until `check` stops throwing, and throws its last error if it never does within `ms`. */
export async function eventually(check: () => void | Promise<void>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) {
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** A file's URI as VS Code sends it: vscode-uri percent-encodes all but letters, digits, `-._~` and `/` (`(` as `%28`, where Node keeps it). */
function uri(file: string): string {
  const encoded = file.split('/').map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  return `file://${encoded.join('/')}`;
}
