import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ServerReadyNotification, SessionsChangedNotification, SettingsChangedNotification, StoresChangedNotification, WorkspaceTrustedNotification, type ServerReadyParams, type StoreInfo } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { ContextKeys, DocumentSchemes, Views } from './ids';
import { affectsServer, affectsView, serverSettings } from './config';
import { keepsSessions } from './keepsSessions';
import { createLanguageClient } from './languageClient';
import { PasswordSealer } from './passwordSealer';
import { refKeyEnvironment } from './refKey';
import { CookieDocuments } from './cookieDocuments';
import { SessionDocumentMistakes } from './sessionDocumentMistakes';
import { SessionDocuments } from './sessionDocuments';
import { SessionsTree, type SessionsNode } from './sessionsTree';
import { StoreStatus } from './statusBar';
import { StorePasswords } from './storePasswords';

/** The store-state context key drives the view's welcome content. */
type StoreState = 'loading' | 'none' | 'untrusted' | 'ready';

/**
 * Everything the running extension holds: the log, the language client and the Sessions view.
 * Created once per activation and disposed with the extension.
 */
export class Ctx implements vscode.Disposable {
  readonly tree: SessionsTree;
  readonly documents: SessionDocuments;
  readonly cookies = new CookieDocuments();
  readonly passwords: StorePasswords;
  private readonly status = new StoreStatus();
  readonly view: vscode.TreeView<SessionsNode>;
  /** Settles when the server has indexed the workspace and found its stores. */
  readonly ready: Promise<ServerReadyParams>;
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
    readonly client: LanguageClient,
    sealer: PasswordSealer,
  ) {
    this.tree = new SessionsTree(client, (stores, noProject) => this.onStores(stores, noProject), (store, problem) => this.status.problem(store, problem));
    this.documents = new SessionDocuments(client, () => this.tree.fetchStores(), (storeId) => void this.tree.listAgain([storeId]));
    this.passwords = new StorePasswords(extension, client, sealer);
    this.view = this.sessionsView();
    this.ready = new Promise((resolve) => {
      this.disposables.push(client.onNotification(ServerReadyNotification, (params) => {
        log.info(`Server ready: ${params.indexedFiles} Python file(s) indexed, ${params.stores} store(s) found.`);
        this.showStores();
        resolve(params);
      }));
    });
  }

  /** Starts the language server and registers the view and commands. */
  static async start(extension: vscode.ExtensionContext): Promise<Ctx> {
    const log = vscode.window.createOutputChannel('Django Sessions', { log: true });
    const sealer = new PasswordSealer();
    const client = createLanguageClient(extension, log, { ...sealer.serverEnvironment(), ...(await refKeyEnvironment(extension.workspaceState)) });
    const ctx = new Ctx(extension, log, client, sealer);
    ctx.disposables.push(
      log,
      ctx.status,
      client.onNotification(StoresChangedNotification, () => ctx.refresh()),
      client.onNotification(SessionsChangedNotification, (params) => ctx.tree.sessionsChanged(params.storeIds)),
      ctx.view,
      ctx.documents,
      vscode.workspace.registerFileSystemProvider(DocumentSchemes.session, ctx.documents, { isCaseSensitive: true }),
      new SessionDocumentMistakes(client, (uri) => ctx.documents.editableStore(uri), ctx.documents.onDidRead),
      ctx.cookies,
      vscode.workspace.registerTextDocumentContentProvider(DocumentSchemes.cookie, ctx.cookies),
      // Whatever makes the view list again (a change from it, Refresh, new settings) may have changed an open session.
      ctx.tree.onDidChangeTreeData(() => void ctx.documents.refresh()),
      ctx.tree.onDidListFirst((storeId) => void ctx.documents.listed(storeId)),
      ...registerCommands(ctx),
      vscode.workspace.onDidChangeConfiguration((event) => ctx.onConfiguration(event).catch((err: Error) => log.warn(`Could not apply the new settings: ${err.message}`))),
      vscode.workspace.onDidGrantWorkspaceTrust(() => ctx.onTrusted().catch((err: Error) => log.warn(`Could not open the stores after trust was granted: ${err.message}`))),
    );
    await ctx.setStoreState(vscode.workspace.isTrusted ? 'loading' : 'untrusted');
    try {
      await client.start();
    } catch (err) {
      // Nothing is left registered by an activation that failed: a retry starts clean.
      await ctx.dispose().catch(() => undefined);
      throw err;
    }
    // The view may have listed while the passwords were read (a keychain prompt can take a
    // while) and failed for want of one: it lists again with them.
    if ((await ctx.passwords.sync()) > 0) {
      ctx.tree.refresh();
    }
    // Registered once started, so only a restart after a crash: the new server has none of the
    // passwords, and knows the view's refs (made under the same key) only once it lists them.
    ctx.disposables.push(
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Running) {
          ctx.passwords
            .sync()
            .catch((err: Error) => log.warn(`Could not send the saved passwords to the restarted server: ${err.message}`))
            .finally(() => ctx.refresh());
        }
      }),
    );
    return ctx;
  }

  /**
   * The view, whose message (shown above the tree, also when the view's title is its container's)
   * names the filter while one is set, and says in full why a store cannot be listed. The tree
   * knows whether it is on screen, since Django's changes are listed only where they can be seen.
   */
  private sessionsView(): vscode.TreeView<SessionsNode> {
    const view = vscode.window.createTreeView(Views.sessions, { treeDataProvider: this.tree, showCollapseAll: true });
    this.tree.setVisible(view.visible);
    this.disposables.push(
      this.tree,
      view.onDidChangeVisibility(({ visible }) => this.tree.setVisible(visible)),
      view.onDidExpandElement(({ element }) => this.tree.expanded(element, true)),
      view.onDidCollapseElement(({ element }) => this.tree.expanded(element, false)),
      this.tree.onDidChangeMessage((message) => (view.message = message)),
      this.tree.onDidChangeFilter((text) => void vscode.commands.executeCommand('setContext', ContextKeys.filtered, text !== undefined)),
    );
    return view;
  }

  /**
   * Selects a session's row and scrolls it into view, where the view shows and its loaded rows
   * hold it: after a change moved it (a cycled key), the row chosen is no longer the session's.
   */
  async revealSession(storeId: string, ref: string): Promise<void> {
    const row = this.tree.sessionRow(storeId, ref);
    if (row && this.view.visible) {
      await this.view.reveal(row, { select: true, focus: false });
    }
  }

  /** Starts the language server again (after it misbehaved); the view lists again once it runs. */
  async restartServer(): Promise<void> {
    await this.client.restart();
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
    await this.client.stop();
  }

  private async onTrusted(): Promise<void> {
    await this.setStoreState('loading');
    await this.client.sendNotification(WorkspaceTrustedNotification, { trusted: true });
    // The server started untrusted, when VS Code withheld djangoSessions.store.url; now it may use it.
    await this.client.sendNotification(SettingsChangedNotification, serverSettings());
    await this.passwords.sync();
    this.refresh();
  }

  private async onConfiguration(event: vscode.ConfigurationChangeEvent): Promise<void> {
    if (affectsServer(event)) {
      await this.client.sendNotification(SettingsChangedNotification, serverSettings());
      this.refresh();
    } else if (affectsView(event)) {
      this.tree.refresh();
    }
  }

  /**
   * The stores may have changed: the view lists them again, and the status bar follows even while
   * the view is closed. Both share the tree's one request, so discovery runs once.
   */
  private refresh(): void {
    this.tree.refresh();
    this.showStores();
  }

  /**
   * Asks for the stores so the status bar shows them before the Sessions view is ever opened;
   * an untrusted workspace opens nothing, so there is nothing to show.
   */
  private showStores(): void {
    if (vscode.workspace.isTrusted) {
      this.tree.fetchStores().catch((err: Error) => this.log.warn(`Could not list the session stores: ${err.message}`));
    }
  }

  private onStores(stores: StoreInfo[], noProject: boolean): void {
    this.status.show(stores, noProject);
    void vscode.commands.executeCommand('setContext', ContextKeys.cacheDrift, stores.some((store) => store.cacheDrift));
    void vscode.commands.executeCommand('setContext', ContextKeys.listsSessions, stores.some(keepsSessions));
    if (vscode.workspace.isTrusted) {
      void this.setStoreState(stores.length > 0 ? 'ready' : 'none');
    }
  }

  private setStoreState(state: StoreState): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', ContextKeys.storeState, state);
  }
}
