import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  GetSessionRequest,
  ListSessionsRequest,
  ListStoresRequest,
  type SessionDetail,
  type SessionFilter,
  type SessionSummary,
  type StoreInfo,
  type StoreNote,
  type ValueNode,
} from '../../server/src/protocol';
import { autoRefresh, maskKeys, pageSize } from './config';
import { BuiltinCommands, Commands, Views } from './ids';
import { keepsSessions } from './keepsSessions';
import { type Listing, LoadMoreCommands } from './loadMoreCommands';
import { markdownText } from './markdownText';
import { formatSessionFilter } from './sessionFilterText';
import { describeSession, sessionTooltip } from './sessionText';
import { storedExpiryMeaning } from './expiryText';

/** A store error that is a refused or missing password (PostgreSQL, MySQL, Redis), after which setting one can help. */
const PASSWORD_REFUSED = /password|authentication|NOAUTH|WRONGPASS|Access denied/i;

/** Rows listed again at most when Django changes a store: more than a few pages loaded start over from this many. */
const MAX_RELISTED = 1000;
/** How many times its own duration a listing for Django's changes waits before the next. */
const RELIST_SPACING = 10;
/** How often a store on this machine that no watch covers is listed again while the view shows. */
const POLL_MS = 5000;
/** How long after a shown session's expiry its store is listed again (see watchExpiries). */
const EXPIRY_GRACE_MS = 1000;
/** How long after an expiry its store is still listed again when no listing has shown it expired. */
const MISSED_EXPIRY_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A store's warning as a row, which opens the settings line it is about. */
function noteNode(note: StoreNote): SessionsNode {
  return { kind: 'message', text: note.text, icon: 'warning', ...(note.source ? { source: note.source } : {}) };
}

const OPEN_SETTINGS = { kind: 'message', text: 'Open the Django Sessions settings…', icon: 'settings-gear', command: Commands.openSettings } as const;

/** A row of the Sessions view. */
export type SessionsNode =
  | { kind: 'store'; store: StoreInfo }
  /** `drift` marks a row of a cached_db store's Cache out of sync list, which may repeat a row of its main list. */
  | { kind: 'session'; storeId: string; session: SessionSummary; drift?: boolean }
  /** `owner` is set on a session's top-level values under a str key, which can be edited and removed; `displayKey` names the session as its row does. */
  | { kind: 'value'; value: ValueNode; owner?: { storeId: string; ref: string; displayKey: string; key: string } }
  /** cached_db: the cache entries Django would serve differently from the table, listed on expand. */
  | { kind: 'drift'; storeId: string }
  /** `scanned`: with a filter, how many stored sessions have been read so far. */
  | { kind: 'more'; storeId: string; page: string; drift?: boolean; scanned?: number }
  | { kind: 'message'; text: string; icon: string; tooltip?: string; command?: string; source?: StoreNote['source'] };

interface StorePages {
  sessions: SessionSummary[];
  nextPage?: string;
  total?: number;
  /** With a filter: the stored sessions read for the pages so far. */
  scanned?: number;
  error?: string;
  /** Why listing the store again for Django's changes failed: the rows are from the listing before. */
  staleBecause?: string;
}

/**
 * The Sessions view. Everything it shows comes from the server: stores, then pages of sessions,
 * then one session's decoded data when it is expanded.
 */
export class SessionsTree implements vscode.TreeDataProvider<SessionsNode> {
  private readonly changed = new vscode.EventEmitter<SessionsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly listedFirst = new vscode.EventEmitter<string>();
  /** A store's first rows were listed: the server now knows their refs (a server started anew knows none before). */
  readonly onDidListFirst = this.listedFirst.event;
  private stores: StoreInfo[] | undefined;
  /** Why the server found no store, when it found none (shown in place of the rows). */
  private whyNone: string[] = [];
  /** The one request for the stores in flight, which the view, the status bar and the pickers share. */
  private storesRequest: Promise<StoreInfo[]> | undefined;
  private readonly pages = new Map<string, StorePages>();
  /** The first pages being listed, by store (see firstPage). */
  private readonly firstPages = new Map<string, Promise<StorePages>>();
  private refreshStores = false;
  /** Counts refreshes, so a store list asked for before the last one is not kept. */
  private generation = 0;
  /** Counts refreshes and filter changes, so pages listed before the last one are not kept. */
  private pagesGeneration = 0;
  private readonly loading = new Set<string>();
  /** Whether the view is on screen; a store Django changes while it is not waits in `staleStores`. */
  private visible = false;
  private readonly staleStores = new Set<string>();
  /** Stores listed again on the poll's turn (see poll), shown anew only where their rows changed. */
  private readonly polledStores = new Set<string>();
  /** The sessions whose rows are expanded, by ref. */
  private readonly expandedRefs = new Set<string>();
  /** Each row given to the view, with the row it was listed under (see getParent). */
  private readonly parents = new WeakMap<SessionsNode, SessionsNode>();
  private pollTimer: NodeJS.Timeout | undefined;
  /** Fires as the next session shown expires (see watchExpiries). */
  private expiryTimer: NodeJS.Timeout | undefined;
  private relistTimer: NodeJS.Timeout | undefined;
  private relisting = false;
  /** The listing again in flight, while `relisting` (see runRelist). */
  private relistRun: Promise<boolean> | undefined;
  /** When the next listing for Django's changes may start (see relistStale). */
  private nextRelistAt = 0;
  private shownFilter: SessionFilter | undefined;
  private shownFilterText: string | undefined;
  private readonly filterChanged = new vscode.EventEmitter<string | undefined>();
  /** Fires with the new filter as its text reads (undefined once cleared). */
  readonly onDidChangeFilter = this.filterChanged.event;
  private readonly loadMoreCommands = new LoadMoreCommands((listing) => this.loadNext(listing));
  /** Why a store (by label; '' for the stores as a whole) cannot be listed, as the view's message says it. */
  private readonly problems = new Map<string, string>();
  private shownMessage: string | undefined;
  private readonly messageChanged = new vscode.EventEmitter<string | undefined>();
  /** Fires with the view's new message (see message). */
  readonly onDidChangeMessage = this.messageChanged.event;

  /** `onProblem` hears a store's listing failing (its label and why), or working again (undefined); '' stands for the stores as a whole. */
  constructor(
    private readonly client: LanguageClient,
    private readonly onStores: (stores: StoreInfo[], noProject: boolean) => void,
    private readonly onProblem: (store: string, problem: string | undefined) => void = () => undefined,
  ) {}

  /** Forgets everything shown and asks the server again, re-reading settings. */
  refresh(): void {
    this.stores = undefined;
    this.storesRequest = undefined;
    this.generation++;
    this.clearPages();
    this.refreshStores = true;
    this.changed.fire(undefined);
  }

  /**
   * Lists these stores' sessions again after Django changed them: as many rows as were loaded (a
   * page at least), with the filter, so the stores, the filter and expanded rows stay as they
   * were. A store not listed yet waits for its first page; while the view is hidden, every store
   * waits until it shows. A listing that fails leaves the rows shown, marked as perhaps out of date, with why.
   * Nothing is listed while the autoRefresh setting is off.
   */
  sessionsChanged(storeIds: readonly string[]): void {
    if (!autoRefresh()) {
      return;
    }
    storeIds.forEach((id) => this.staleStores.add(id));
    this.relistStale();
  }

  /**
   * Lists these stores again at once after a change made from the editor: as many rows as were
   * loaded, with the filter and the expanded sessions, as for Django's changes (see relist), whatever
   * the autoRefresh setting, since the user asked for the change. Says whether the view changed.
   */
  async listAgain(storeIds: readonly string[]): Promise<boolean> {
    // A listing begun before the change would show the rows from before it: this one waits for it.
    while (this.relistRun) {
      await this.relistRun.catch(() => false);
    }
    // The change may be to the cache alone (a cache-only session flushed), which the rows do not show.
    const drifted = storeIds.filter((id) => this.pages.delete(pagesKey(id, true)));
    if (await this.runRelist([...storeIds], new Set(storeIds))) {
      return true;
    }
    if (drifted.length > 0) {
      this.changed.fire(undefined);
      return true;
    }
    return false;
  }

  /** The view shows or hides; stores Django changed while it was hidden are listed again as it shows. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.schedulePoll();
    this.relistStale();
  }

  /** Stops listing the stores again: no timer outlives the view. */
  dispose(): void {
    this.visible = false;
    clearTimeout(this.pollTimer);
    clearTimeout(this.relistTimer);
    clearTimeout(this.expiryTimer);
    this.loadMoreCommands.dispose();
    this.listedFirst.dispose();
  }

  /** While the view shows, every POLL_MS: stores on this machine that no watch covers are listed again (see poll). */
  private schedulePoll(): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = this.visible
      ? setTimeout(() => {
          this.poll();
          this.schedulePoll();
        }, POLL_MS)
      : undefined;
  }

  /**
   * Database and cache servers tell no one of Django's writes: those on this machine (a
   * development database, a docker-compose Postgres) are listed again, and the view changes only
   * where the listing differs (a save moves a session's expiry, so it shows).
   */
  private poll(): void {
    if (!autoRefresh()) {
      return;
    }
    for (const store of this.stores ?? []) {
      if (store.local && !store.watched && keepsSessions(store) && this.pages.has(store.id)) {
        this.polledStores.add(store.id);
      }
    }
    this.relistStale();
  }

  /**
   * Lists the stores Django changed or that are polled, once the view shows and the last such
   * listing is far enough behind: one that took d ms waits RELIST_SPACING × d, so a large database
   * read whole (sql.js) while Django writes to it without pause is not read back to back.
   */
  private relistStale(): void {
    if (!this.visible || this.staleStores.size + this.polledStores.size === 0 || this.relistTimer || this.relisting) {
      return;
    }
    const wait = this.nextRelistAt - Date.now();
    if (wait > 0) {
      this.relistTimer = setTimeout(() => {
        this.relistTimer = undefined;
        this.relistStale();
      }, wait);
      return;
    }
    const reported = new Set(this.staleStores);
    const storeIds = [...new Set([...this.staleStores, ...this.polledStores])];
    this.staleStores.clear();
    this.polledStores.clear();
    void this.runRelist(storeIds, reported);
  }

  /**
   * One listing again at a time: a second begun while one runs would find the rows the first
   * set, take them for changed under it, and give way, leaving the older rows shown.
   */
  private runRelist(storeIds: string[], reported: ReadonlySet<string>): Promise<boolean> {
    this.relisting = true;
    const run = this.relistNow(storeIds, reported).finally(() => {
      this.relisting = false;
      this.relistRun = undefined;
      this.relistStale();
    });
    this.relistRun = run;
    return run;
  }

  /**
   * A row says whether its session has expired as of its listing, so a store on this machine is
   * listed again as the next session it shows expires (a second later, as Django's clock may lag):
   * its row turns expired, and offers what an expired session allows, without a Refresh. As for
   * Django's changes, not while the autoRefresh setting is off; stores elsewhere wait for Refresh.
   */
  private watchExpiries(): void {
    clearTimeout(this.expiryTimer);
    const now = Date.now();
    const local = new Set((this.stores ?? []).filter((store) => store.local).map((store) => store.id));
    let next: { at: number; storeIds: Set<string> } | undefined;
    for (const [key, pages] of this.pages) {
      const storeId = key.split('\u0000')[0]!;
      if (!local.has(storeId)) {
        continue;
      }
      for (const session of pages.sessions) {
        const expiry = session.expireDate === undefined || session.expired || session.outlivesCookie ? NaN : Date.parse(session.expireDate);
        // An expiry passed that no listing has shown yet (one was skipped or failed) is tried again soon, for a while.
        const at = expiry > now ? expiry : expiry > now - MISSED_EXPIRY_MS ? now : NaN;
        if (!(at >= now)) {
          continue;
        }
        if (!next || at < next.at) {
          next = { at, storeIds: new Set([storeId]) };
        } else if (at === next.at) {
          next.storeIds.add(storeId);
        }
      }
    }
    // A later expiry is looked at again on the day: setTimeout takes at most about 24 days.
    if (next) {
      const { storeIds } = next;
      this.expiryTimer = setTimeout(() => {
        this.expiryTimer = undefined;
        if (autoRefresh()) {
          storeIds.forEach((id) => this.staleStores.add(id));
          this.relistStale();
        }
      }, Math.min(next.at - now + EXPIRY_GRACE_MS, DAY_MS));
    }
  }

  /**
   * Lists the stores again, and shows those whose rows differ; says whether the view changed. A
   * write Django reports may be to another table of the same database (`auth_user.last_login`),
   * which changes no row.
   */
  private async relistNow(storeIds: string[], reported: ReadonlySet<string>): Promise<boolean> {
    const started = Date.now();
    const generation = this.pagesGeneration;
    const relisted = await Promise.all(storeIds.map((id) => this.relist(id, reported.has(id))));
    this.nextRelistAt = Date.now() + RELIST_SPACING * (Date.now() - started);
    // A refresh or a filter change since has listed them anew.
    if (generation !== this.pagesGeneration) {
      return false;
    }
    let shown = false;
    relisted.forEach((pages, i) => {
      const id = storeIds[i]!;
      const before = this.pages.get(id);
      if (pages && !samePages(before, pages)) {
        this.pages.set(id, pages);
        // Cache out of sync follows the rows: a row Django changed alone now differs from its cache entry.
        this.pages.delete(pagesKey(id, true));
        shown = true;
        // The status bar follows: a store that failed to list before lists now, or one that listed fails now.
        const store = before?.error || before?.staleBecause || pages.staleBecause ? this.stores?.find((s) => s.id === id) : undefined;
        if (store) {
          this.problem(store.label, pages.staleBecause);
        }
      }
    });
    if (shown) {
      this.changed.fire(undefined);
    } else {
      this.watchExpiries();
    }
    return shown;
  }

  /**
   * A store's rows listed again: as many as were loaded. Where an expanded session is missing
   * from them (newer sessions pushed it down), a page more is listed and cut after it, so it
   * stays in view; the cut listing is asked for exactly, so its Load more continues from there.
   * `reported`: Django's change to this store was reported, which lists it even where its last
   * listing failed (a database Django has just created).
   */
  private async relist(storeId: string, reported: boolean): Promise<StorePages | undefined> {
    const shown = this.pages.get(storeId);
    if (!shown || (shown.error && !reported) || this.loading.has(storeId)) {
      return undefined;
    }
    const count = shown.sessions.length;
    const loaded = Math.min(MAX_RELISTED, Math.max(pageSize(), count));
    try {
      let listed = await this.listFirst(storeId, loaded);
      const listedRefs = new Set(listed.sessions.map((s) => s.ref));
      if (listed.nextPage && loaded < MAX_RELISTED && shown.sessions.some((s) => this.expandedRefs.has(s.ref) && !listedRefs.has(s.ref))) {
        const wider = await this.listFirst(storeId, Math.min(MAX_RELISTED, loaded + pageSize()));
        const lastExpanded = wider.sessions.reduce((last, s, i) => (this.expandedRefs.has(s.ref) ? i : last), -1);
        const keep = Math.max(loaded, lastExpanded + 1);
        listed = keep === loaded ? listed : keep === wider.sessions.length ? wider : await this.listFirst(storeId, keep);
      }
      // A Load more begun meanwhile has added rows, or is on its way: its rows stand, and this listing does not.
      if (this.pages.get(storeId) !== shown || shown.sessions.length !== count || this.loading.has(storeId)) {
        return undefined;
      }
      return listed;
    } catch (err) {
      // The rows stay, marked, since a failure may pass (a locked database); a store that never listed keeps its error.
      const because = (err as Error).message;
      return shown.error || this.pages.get(storeId) !== shown || because === shown.staleBecause ? undefined : { ...shown, staleBecause: because };
    }
  }

  /** The first `limit` rows of a store as the view lists them: with the filter, and counted. */
  private async listFirst(storeId: string, limit: number): Promise<StorePages> {
    const first = await this.client.sendRequest(ListSessionsRequest, { storeId, limit, maskKeys: maskKeys(), withTotal: true, filter: this.shownFilter, forView: true });
    this.listedFirst.fire(storeId);
    return { sessions: distinctByRef(first.sessions), nextPage: first.nextPage, total: first.total, scanned: first.scanned };
  }

  /** The view expanded or collapsed a row; an expanded session is kept in view as the store is listed again (see relist). */
  expanded(node: SessionsNode, open: boolean): void {
    if (node.kind !== 'session') {
      return;
    }
    if (open) {
      this.expandedRefs.add(node.session.ref);
    } else {
      this.expandedRefs.delete(node.session.ref);
    }
  }

  /** Which sessions the view lists: all, or those the filter matches. */
  get filter(): SessionFilter | undefined {
    return this.shownFilter;
  }

  /** The filter as the user wrote it, to show and to edit again; undefined without a filter. */
  get filterText(): string | undefined {
    return this.shownFilterText;
  }

  /**
   * Lists the stores' sessions again with this filter (undefined: all of them); the stores stay
   * as listed. `text` is how the user wrote it, kept as typed since the box's own rendering of a
   * filter cannot always say it back (a text holding a quote).
   */
  setFilter(filter: SessionFilter | undefined, text = filter ? formatSessionFilter(filter) : undefined): void {
    this.shownFilter = filter;
    this.shownFilterText = filter ? text : undefined;
    this.clearPages();
    this.filterChanged.fire(this.shownFilterText);
    this.showMessage();
    this.changed.fire(undefined);
  }

  /**
   * What the view says above its rows, where a long text wraps instead of being cut off as a row's
   * label is: the filter, why no store was found, and why a store cannot be listed, whose second
   * half (what to do about it) a row never shows.
   */
  get message(): string | undefined {
    const lines = [
      ...(this.shownFilterText !== undefined ? [`Filtered: ${this.shownFilterText}`] : []),
      ...(this.stores?.length === 0 ? this.whyNone : []),
      ...[...this.problems].map(([store, problem]) => (store ? `${store}: ${problem}` : problem)),
    ];
    return lines.length > 0 ? lines.join('\n') : undefined;
  }

  /** Tells the status bar and the view's message of a store that cannot be listed, or lists again (undefined). */
  private problem(store: string, problem: string | undefined): void {
    if (problem === undefined) {
      this.problems.delete(store);
    } else {
      this.problems.set(store, problem);
    }
    this.onProblem(store, problem);
    this.showMessage();
  }

  private showMessage(): void {
    const message = this.message;
    if (message !== this.shownMessage) {
      this.shownMessage = message;
      this.messageChanged.fire(message);
    }
  }

  /** Drops every listed page, and the pages still loading, whose answers no longer count. */
  private clearPages(): void {
    this.pagesGeneration++;
    this.pages.clear();
    this.firstPages.clear();
    this.loading.clear();
  }

  /**
   * The stores, asking the server when they are not listed yet (a command run before the view
   * opened, or after a refresh): one request at a time, re-reading settings once after `refresh()`.
   */
  fetchStores(): Promise<StoreInfo[]> {
    if (this.stores) {
      return Promise.resolve(this.stores);
    }
    this.storesRequest ??= this.requestStores();
    return this.storesRequest;
  }

  private async requestStores(): Promise<StoreInfo[]> {
    const refresh = this.refreshStores;
    this.refreshStores = false;
    const generation = this.generation;
    try {
      const { stores, whyNone, noProject } = await this.client.sendRequest(ListStoresRequest, { refresh });
      if (generation === this.generation) {
        this.stores = stores;
        this.whyNone = whyNone ?? [];
        for (const store of this.problems.keys()) {
          if (store !== '' && !stores.some((s) => s.label === store)) {
            this.problems.delete(store);
          }
        }
        this.onStores(stores, noProject ?? false);
        this.showMessage();
      }
      return stores;
    } catch (err) {
      // The next call asks again.
      if (generation === this.generation) {
        this.storesRequest = undefined;
      }
      throw err;
    }
  }

  /** A Load more row's click: the next page of what the listing shows now, with progress in the view. */
  private loadNext(listing: Listing): Thenable<void> {
    const page = this.pages.get(pagesKey(listing.storeId, listing.drift))?.nextPage;
    if (page === undefined) {
      return Promise.resolve();
    }
    return vscode.window.withProgress({ location: { viewId: Views.sessions } }, () => this.loadMore(listing.storeId, page, listing.drift));
  }

  /** Appends the next page of a store's sessions, or of its cache drift, unless `page` is no longer the next. */
  async loadMore(storeId: string, page: string, drift = false): Promise<void> {
    const key = pagesKey(storeId, drift);
    const current = this.pages.get(key);
    // A second click while a page loads would append it twice; only the newest page token counts.
    if (!current || current.nextPage !== page || this.loading.has(key)) {
      return;
    }
    const generation = this.pagesGeneration;
    this.loading.add(key);
    try {
      const next = await this.client.sendRequest(ListSessionsRequest, { storeId, page, limit: pageSize(), maskKeys: maskKeys(), cacheDrift: drift, forView: true });
      current.sessions = distinctByRef([...current.sessions, ...next.sessions]);
      current.nextPage = next.nextPage;
      if (next.scanned !== undefined) {
        current.scanned = (current.scanned ?? 0) + next.scanned;
      }
    } catch (err) {
      void vscode.window.showErrorMessage(`Django Sessions: ${(err as Error).message}`);
    } finally {
      // A load from before a refresh or a filter change must not clear the mark of one started since.
      if (generation === this.pagesGeneration) {
        this.loading.delete(key);
      }
      this.changed.fire(undefined);
    }
  }

  async getChildren(element?: SessionsNode): Promise<SessionsNode[]> {
    const children = await this.childrenOf(element);
    if (element) {
      children.forEach((child) => this.parents.set(child, element));
    }
    return children;
  }

  /** Where a row is, for VS Code to reveal it: the row it was listed under, undefined for a store's. */
  getParent(node: SessionsNode): SessionsNode | undefined {
    return this.parents.get(node);
  }

  /** The row of a session as the store's loaded rows list it, under its store's, to reveal; undefined where no loaded row holds it. */
  sessionRow(storeId: string, ref: string): SessionsNode | undefined {
    const store = this.stores?.find((s) => s.id === storeId);
    const session = this.pages.get(storeId)?.sessions.find((s) => s.ref === ref);
    if (!store || !session) {
      return undefined;
    }
    // VS Code finds rows by their item ids, so new objects stand for the rows it shows.
    const row: SessionsNode = { kind: 'session', storeId, session };
    this.parents.set(row, { kind: 'store', store });
    return row;
  }

  private async childrenOf(element: SessionsNode | undefined): Promise<SessionsNode[]> {
    if (!element) {
      return this.rootChildren();
    }
    switch (element.kind) {
      case 'store':
        return this.storeChildren(element.store);
      case 'session':
        return this.sessionChildren(element.storeId, element.session, element.drift === true);
      case 'drift':
        return this.driftChildren(element.storeId);
      case 'value':
        return (element.value.children ?? []).map((value) => ({ kind: 'value', value }));
      default:
        return [];
    }
  }

  /** A session's tooltip is built on hover, from its decoded detail, which a listing does not carry. */
  async resolveTreeItem(item: vscode.TreeItem, node: SessionsNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'session') {
      return item;
    }
    let detail: SessionDetail | undefined;
    if (!node.session.error) {
      try {
        detail = (await this.client.sendRequest(GetSessionRequest, { storeId: node.storeId, ref: node.session.ref, maskKeys: maskKeys() }, token)).session;
      } catch {
        // The tooltip then says what the listing said; the failure shows when the row is expanded.
      }
    }
    item.tooltip = new vscode.MarkdownString(sessionTooltip(node.session, detail));
    return item;
  }

  getTreeItem(node: SessionsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'store':
        return storeItem(node.store, this.pages.get(node.store.id), this.shownFilter !== undefined);
      case 'session':
        return sessionItem(node.session, node.drift === true);
      case 'value':
        return valueItem(node.value, node.owner !== undefined);
      case 'drift':
        return driftItem(node.storeId, this.shownFilter !== undefined);
      case 'more': {
        const item = new vscode.TreeItem(node.scanned === undefined ? 'Load more…' : `Load more… (${sessionCount(node.scanned)} read)`);
        item.command = { command: this.loadMoreCommands.idFor({ storeId: node.storeId, drift: node.drift === true }), title: 'Load More Sessions' };
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        // How far into a large store the rows go, which its row's count alone does not say.
        const pages = this.pages.get(pagesKey(node.storeId, node.drift === true));
        if (pages?.total !== undefined) {
          item.description = `${pages.sessions.length} of ${pages.total} shown`;
        }
        item.tooltip = `Loads the next ${sessionCount(pageSize())} (djangoSessions.view.pageSize).`;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip ?? node.text;
        if (node.command) {
          item.command = { command: node.command, title: node.text };
        } else if (node.source) {
          // A settings problem opens its line, where it can be fixed.
          const line = Math.max(0, node.source.line - 1);
          item.command = { command: BuiltinCommands.open, title: 'Open the settings line', arguments: [vscode.Uri.parse(node.source.uri), { selection: new vscode.Range(line, 0, line, 0) }] };
        }
        return item;
      }
    }
  }

  private async rootChildren(): Promise<SessionsNode[]> {
    // Nothing is opened in an untrusted workspace; the empty view shows the welcome to manage trust.
    if (!vscode.workspace.isTrusted) {
      return [];
    }
    let stores: StoreInfo[];
    try {
      stores = await this.fetchStores();
    } catch (err) {
      this.onStores([], false);
      this.problem('', (err as Error).message);
      return [{ kind: 'message', text: (err as Error).message, icon: 'error' }, OPEN_SETTINGS];
    }
    this.problem('', undefined);
    if (stores.length === 0 && this.whyNone.length > 0) {
      return [...this.whyNone.map((text): SessionsNode => ({ kind: 'message', text, icon: 'warning' })), OPEN_SETTINGS];
    }
    // The first page is fetched with the stores, so each store row can show its count at once; a
    // signed_cookies store has none to list, and asking would only earn the server's refusal as a problem.
    await Promise.all(stores.filter(keepsSessions).map((store) => this.pages.get(store.id) ?? this.firstPage(store)));
    return stores.map((store) => ({ kind: 'store', store }));
  }

  /**
   * A store's first page, asked for once however many ask at a time (the view and a test, the
   * root and a store row): a second listing arriving later would replace the pages a Load more has
   * added to meanwhile.
   */
  private firstPage(store: StoreInfo): Promise<StorePages> {
    let pending = this.firstPages.get(store.id);
    if (!pending) {
      const listing = this.listFirstPage(store).finally(() => {
        if (this.firstPages.get(store.id) === listing) {
          this.firstPages.delete(store.id);
        }
      });
      this.firstPages.set(store.id, listing);
      pending = listing;
    }
    return pending;
  }

  private async listFirstPage(store: StoreInfo): Promise<StorePages> {
    const generation = this.pagesGeneration;
    let pages: StorePages;
    try {
      pages = await this.listFirst(store.id, pageSize());
    } catch (err) {
      pages = { sessions: [], error: (err as Error).message };
    }
    this.problem(store.label, pages.error);
    // Listed for a filter or a refresh that has since been replaced, the page is shown once but not kept.
    if (generation === this.pagesGeneration) {
      this.pages.set(store.id, pages);
    }
    return pages;
  }

  private async storeChildren(store: StoreInfo): Promise<SessionsNode[]> {
    // A valid setup with nothing to list: its sessions are in the visitors' browsers.
    if (!keepsSessions(store)) {
      return [
        ...store.notes.map(noteNode),
        { kind: 'message', text: "Sessions live in each visitor's browser, in the session cookie.", icon: 'info' },
        { kind: 'message', text: 'Decode a session cookie…', icon: 'unlock', command: Commands.decodeSessionCookie },
      ];
    }
    const pages = this.pages.get(store.id) ?? (await this.firstPage(store));
    const nodes: SessionsNode[] = store.notes.map(noteNode);
    if (pages.error) {
      nodes.push({ kind: 'message', text: pages.error, icon: 'error' });
      // Offered where the server refused a password, not where nothing answered.
      if (store.passwordVariables.length > 0 && PASSWORD_REFUSED.test(pages.error)) {
        nodes.push({ kind: 'message', text: 'Set the store password…', icon: 'key', command: Commands.setStorePassword });
      }
      nodes.push(OPEN_SETTINGS);
      return nodes;
    }
    if (pages.staleBecause) {
      nodes.push({ kind: 'message', text: `Listing again failed, so these rows may be out of date: ${pages.staleBecause}`, icon: 'warning', command: Commands.refreshSessions });
    }
    if (store.cacheDrift) {
      nodes.push({ kind: 'drift', storeId: store.id });
    }
    if (pages.sessions.length === 0) {
      nodes.push({ kind: 'message', text: this.shownFilter ? emptyFilteredText(pages) : 'No sessions in this store.', icon: 'info' });
    }
    nodes.push(...pages.sessions.map((session): SessionsNode => ({ kind: 'session', storeId: store.id, session })));
    this.watchExpiries();
    if (pages.nextPage) {
      nodes.push({ kind: 'more', storeId: store.id, page: pages.nextPage, ...(pages.scanned !== undefined ? { scanned: pages.scanned } : {}) });
    }
    return nodes;
  }

  /** Walks the cache for entries that disagree with the table, a page at a time; a refresh starts again. */
  private async driftChildren(storeId: string): Promise<SessionsNode[]> {
    const loaded = this.pages.get(pagesKey(storeId, true));
    if (loaded) {
      return this.driftNodes(storeId, loaded);
    }
    const generation = this.pagesGeneration;
    let pages: StorePages;
    try {
      const first = await this.client.sendRequest(ListSessionsRequest, { storeId, limit: pageSize(), maskKeys: maskKeys(), cacheDrift: true });
      pages = { sessions: distinctByRef(first.sessions), nextPage: first.nextPage };
    } catch (err) {
      return [{ kind: 'message', text: (err as Error).message, icon: 'error' }];
    }
    // As for a store's first page: a walk from before a refresh is shown once, never kept.
    if (generation === this.pagesGeneration) {
      this.pages.set(pagesKey(storeId, true), pages);
    }
    return this.driftNodes(storeId, pages);
  }

  private driftNodes(storeId: string, pages: StorePages): SessionsNode[] {
    const nodes: SessionsNode[] = pages.sessions.map((session) => ({ kind: 'session', storeId, session, drift: true }));
    if (pages.nextPage) {
      nodes.push({ kind: 'more', storeId, page: pages.nextPage, drift: true });
    } else if (nodes.length === 0) {
      nodes.push({ kind: 'message', text: 'Every cache entry matches its row.', icon: 'check' });
    }
    return nodes;
  }

  /**
   * A session's values; under *Cache out of sync*, those Django serves from the cache, which are
   * not edited (edits go to the row), nor are those of a session whose signature does not hold.
   */
  private async sessionChildren(storeId: string, session: SessionSummary, drift: boolean): Promise<SessionsNode[]> {
    // Its row says it is undecodable and its tooltip points here: the reason is said here alone, whole in the row's own tooltip.
    if (session.error) {
      return [{ kind: 'message', text: session.error, icon: 'error' }];
    }
    const { session: detail, unlisted } = await this.client.sendRequest(GetSessionRequest, { storeId, ref: session.ref, maskKeys: maskKeys(), ...(drift ? { cacheDrift: true } : {}) });
    if (!detail) {
      const text = unlisted ? 'This row is out of date. Refresh the view to see the session.' : 'This session no longer exists. Refresh the view.';
      return [{ kind: 'message', text, icon: 'info' }];
    }
    if (detail.data.length === 0) {
      return [{ kind: 'message', text: 'Empty session ({})', icon: 'info' }];
    }
    // Only a live session whose signature holds, or that the store does not sign, can be changed: Django ignores any other.
    const editable = !drift && !session.expired && (session.signature === 'valid' || session.signature === 'unsigned');
    return detail.data.map((value) => ({ kind: 'value', value, ...(value.key !== undefined && editable ? { owner: { storeId, ref: session.ref, displayKey: session.displayKey, key: value.key } } : {}) }));
  }
}

/** Whether a listing shows what the rows already show: the same sessions, each as it was (its data's `version` too), the same count and the same failure. */
function samePages(shown: StorePages | undefined, listed: StorePages): boolean {
  return shown !== undefined && shown.total === listed.total && shown.staleBecause === listed.staleBecause && JSON.stringify(shown.sessions) === JSON.stringify(listed.sessions);
}

/**
 * SCAN-based stores may return a session twice, within a page or across pages; a row is shown
 * once, since VS Code refuses two tree items with one id.
 */
function distinctByRef(sessions: SessionSummary[]): SessionSummary[] {
  const seen = new Set<string>();
  return sessions.filter((s) => !seen.has(s.ref) && Boolean(seen.add(s.ref)));
}

/** Pages of a store's sessions and of its cache drift are kept apart. */
function pagesKey(storeId: string, drift: boolean): string {
  return drift ? `${storeId}\u0000drift` : storeId;
}

function driftItem(storeId: string, filtered: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem('Cache out of sync', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `drift:${storeId}`;
  item.description = filtered ? 'all of them, not filtered' : 'entries Django serves instead of the table';
  item.tooltip = new vscode.MarkdownString(
    'cached_db trusts a cache hit: these cache entries are what Django serves, though they differ from the table or have no row. They are found by walking the cache, a page at a time. Flushing one deletes the session: its row, if any, and its cache entry.',
  );
  item.iconPath = new vscode.ThemeIcon('sync-ignored');
  item.contextValue = 'cacheDrift';
  return item;
}

function sessionCount(n: number): string {
  return `${n} session${n === 1 ? '' : 's'}`;
}

function emptyFilteredText(pages: StorePages): string {
  return pages.nextPage && pages.scanned !== undefined ? `No match among the ${sessionCount(pages.scanned)} read so far.` : 'No sessions match the filter.';
}

function storeItem(store: StoreInfo, pages: StorePages | undefined, filtered: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(store.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `store:${store.id}`;
  item.description = storeDescription(store, pages, filtered);
  item.tooltip = new vscode.MarkdownString(`**${markdownText(store.label)}**\n\n${markdownText(store.location)}`);
  item.iconPath = new vscode.ThemeIcon('database');
  // `store.<listed|cookies>[.source]`: the menus offer clearing expired sessions only where there are sessions to clear.
  item.contextValue = ['store', keepsSessions(store) ? 'listed' : 'cookies', ...(store.source ? ['source'] : [])].join('.');
  return item;
}

function storeDescription(store: StoreInfo, pages: StorePages | undefined, filtered: boolean): string {
  if (pages?.total !== undefined) {
    return filtered ? `${pages.total} matching` : sessionCount(pages.total);
  }
  // A filter that decodes has no count from the store: what the pages read found tells it.
  if (filtered && pages && pages.error === undefined) {
    return `${pages.sessions.length} matching${pages.nextPage === undefined ? '' : ' so far'}`;
  }
  return filtered ? `filtered · ${store.location}` : store.location;
}

function sessionItem(session: SessionSummary, drift: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(session.displayKey, vscode.TreeItemCollapsibleState.Collapsed);
  // Tree item ids must be unique, and a stale row is listed both in its store and under the drift node.
  item.id = `${drift ? 'drift-session' : 'session'}:${session.ref}`;
  item.description = describeSession(session);
  item.iconPath = new vscode.ThemeIcon(iconFor(session));
  // No tooltip here: resolveTreeItem builds it on hover, and VS Code resolves only what is unset.
  // A cache entry without a row can be deleted, not changed: its state keeps the change menus off it.
  const state = session.cacheOnly ? 'cacheonly' : session.expired ? 'expired' : 'live';
  item.contextValue = ['session', state, session.userId !== undefined ? 'user' : 'anonymous', session.signature, ...(drift ? ['drift'] : [])].join('.');
  return item;
}

function iconFor(session: SessionSummary): string {
  if (session.signature === 'undecodable') {
    return 'error';
  }
  if (session.signature === 'invalid') {
    return 'warning';
  }
  if (session.expired) {
    return 'history';
  }
  return session.userId !== undefined ? 'account' : 'circle-outline';
}

/** The key under which Django's set_expiry() keeps a session's own expiry in its data. */
const EXPIRY_KEY = '_session_expiry';

/** Python types whose items the view lists by position, given the array icon rather than the dict one. */
const SEQUENCE_TYPES = new Set(['list', 'tuple', 'set', 'frozenset']);

function valueItem(value: ValueNode, topLevel: boolean): vscode.TreeItem {
  const expandable = value.children !== undefined && value.children.length > 0;
  const item = new vscode.TreeItem(value.label, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.description = value.preview;
  const meaning = topLevel && value.label === EXPIRY_KEY ? storedExpiryMeaning(value.type, value.preview) : undefined;
  item.tooltip = `${value.type}: ${value.preview}${meaning ? `\n${meaning}` : ''}`;
  // A string tooltip would be all a screen reader says: the key comes first, as on screen.
  item.accessibilityInformation = { label: `${value.label}: ${value.type} ${value.preview}` };
  item.iconPath = new vscode.ThemeIcon(expandable ? (SEQUENCE_TYPES.has(value.type) ? 'symbol-array' : 'symbol-object') : 'symbol-field');
  // `value.top[.json]` can be changed; `value.key` is any other value under a session's str key, which code may read or write.
  item.contextValue = topLevel ? (value.editable ? 'value.top.json' : 'value.top') : value.key !== undefined ? 'value.key' : 'value';
  return item;
}
