import { createHmac, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import {
  assumedCookieAgeNote,
  assumedTimeSettingsNote,
  unloadedEnvNote,
  needsDecoding,
  outermostWithin,
  isExpired,
  isLocalStore,
  isValidSessionKey,
  maskSessionKey,
  openStore,
  passwordVariables,
  storeLocation,
  storeUrlDefaults,
  envFileVariablesNote,
  readsTableOnly,
  tableOnlyRefusal,
  parseStoreUrl,
  EXPIRY_KEY,
  refuseBadExpiryValue,
  StoreChangeWatch,
  StoreError,
  type SessionFilter,
  type SessionPage,
  type SessionRecord,
  type DjangoProject,
  type ProjectProblem,
  type SessionStore,
  type StoreDescriptor,
} from '../../engine/src';
import type {
  BulkDeleteParams,
  BulkDeleteResult,
  CheckSessionDocumentParams,
  CheckSessionDocumentResult,
  CountUserSessionsParams,
  CountUserSessionsResult,
  DecodeCookieParams,
  DecodeCookieResult,
  EditSessionParams,
  EditSessionResult,
  GetSessionParams,
  GetSessionResult,
  ListSessionsParams,
  ListSessionsResult,
  SaveSessionDocumentParams,
  ServerSettings,
  SessionDocumentParams,
  SessionDocumentResult,
  StoreInfo,
  StoreNote,
  StorePassword,
} from './protocol';
import { fileUri } from './fileUri';
import { cheapToCount, listFilter } from './listFilter';
import { ListedSessionKeys, type ListedKeys } from './listedSessionKeys';
import type { StoredUnderKey } from './storedUnderKey';
import { OpenedStore } from './openedStore';
import { PasswordCipher, withoutPasswordKey, type OpenedPassword } from './passwordCipher';
import type { ProjectModel } from './projectModel';
import { mistakeMessage, readOnlyReason, sessionDocumentEdit, sessionDocumentMistake, renderSessionDocument, sessionDocumentVersion } from './sessionDocument';
import { applySessionEdit, asCachedDb } from './sessionEdit';
import { detail, summarize } from './sessionPresenter';
import { cookieDocument } from './cookieDocument';
import { storeLabel } from './storeLabel';

/**
 * node:sqlite deletes on the server's own thread: a bulk delete batch this short keeps
 * completion, hover and the Sessions view answering while clear-expired runs.
 */
const SERVER_LOCK_BUDGET_MS = 150;

/**
 * Page tokens kept: every listing of a long store hands out one and most are never used, and they
 * now outlive refreshes, so the oldest go first. A picker or the view only uses a recent one.
 */
const MAX_PAGE_TOKENS = 1000;
/** Refs kept, newest last: a ref is only a handle on a listed row, and relisting issues it again. */
const MAX_REFS = 20_000;
/** Sessions decoded per page while counting those that hold a renamed key. */
const STORED_KEY_SCAN = 2000;

interface KnownStore {
  descriptor: StoreDescriptor;
  notes: StoreNote[];
  opened?: OpenedStore;
  /** Reports Django's changes to a store kept in local files, while it is the one under its id. */
  watch?: StoreChangeWatch;
  /** The project's name where the workspace has several (two folders each with `db.sqlite3` must be told apart). */
  project?: string;
  /** The root of the project whose settings name it; none for the djangoSessions.store.url setting's. */
  projectRoot?: string;
}

/**
 * What a ref or a page token stands for, in which store: its id, and which database or cache
 * that id named then, since an id (`db:default`, `url:sqlite`) can name another one after a change.
 */
interface InStore {
  storeId: string;
  identity: string;
  value: string;
}

/** What a store's id stands for: the engine, where it lives and which table or key space. */
function identityOf(descriptor: StoreDescriptor): string {
  return JSON.stringify([descriptor.engine, storeLocation(descriptor), descriptor.table, descriptor.cache?.keyPrefix, descriptor.cache?.version, descriptor.cookieName]);
}

/** Adds a handle, forgetting the oldest beyond `max`; an existing one moves to the newest place. */
function remember<T>(entries: Map<string, T>, handle: string, entry: T, max: number): void {
  entries.delete(handle);
  entries.set(handle, entry);
  if (entries.size > max) {
    entries.delete(entries.keys().next().value!);
  }
}

/**
 * Owns every store connection of the server. Stores are found once per refresh and opened on
 * first use; sessions are handed to the client under refs, so keys stay on this side.
 */
export class StoreRegistry {
  private stores = new Map<string, KnownStore>();
  /** Why discovery found no store (see noStoreReasons); empty while there are stores. */
  private whyNone: string[] = [];
  private noProject = false;
  /** Refs and page tokens outlive a refresh (a picker may be open on them); only those of a store that is gone are dropped. */
  private readonly keysByRef = new Map<string, InStore>();
  /** A page token continues its listing: the cursor, and the filter the listing had. */
  private readonly pageCursors = new Map<string, InStore & { filter?: SessionFilter }>();
  /**
   * Per ref (which names one key in one database), the versions of its session document's last
   * save: the one the saved text named, and the one written.
   */
  private readonly documentSaves = new Map<string, { from: string; to: string }>();
  /** The keys the sessions listed last hold, per store (see listedKeys). */
  private readonly listed = new ListedSessionKeys();
  /** The latest discovery, running or done; undefined when the next request must discover. */
  private discovery: Promise<void> | undefined;
  /** The discovery still running, which a refresh joins instead of starting another beside it. */
  private running: Promise<void> | undefined;
  private passwords: OpenedPassword[] = [];
  private sessionsChanged: (storeId: string) => void = () => undefined;
  private disposed = false;

  /** `cipher` opens the passwords the client seals; by default with the key the client put in this process's environment. */
  constructor(
    private readonly model: ProjectModel,
    private readonly roots: () => string[],
    private readonly log: (message: string) => void,
    private readonly cipher = PasswordCipher.fromEnvironment(),
    /** What refs and page tokens are made under (see REF_KEY_VARIABLE); the same key gives the same refs. */
    private readonly refKey: Buffer = randomBytes(32),
  ) {}

  /**
   * The stores of every Django project under the workspace roots, or the one the settings name.
   * A refresh asked while discovery runs shares it: the view and the status bar ask at once.
   */
  async listStores(settings: ServerSettings, refresh: boolean): Promise<StoreInfo[]> {
    if (refresh && !this.running) {
      this.invalidate();
    }
    await (this.discovery ??= this.startDiscovery(settings));
    return [...this.stores.values()].map((s) => this.info(s));
  }

  /**
   * Hears that the sessions of a store kept in local files (SQLite, the file engine) changed
   * other than through this registry, such as by Django serving requests.
   */
  onSessionsChanged(listener: (storeId: string) => void): void {
    this.sessionsChanged = listener;
  }

  /**
   * Why no store was found, as the projects' problems say (with their places), or that no project
   * was (`noProject`); empty while there are stores.
   */
  async whyNoStores(settings: ServerSettings): Promise<{ whyNone: string[]; noProject: boolean }> {
    await this.listStores(settings, false);
    return { whyNone: this.whyNone, noProject: this.noProject };
  }

  /**
   * Settings, an environment file or passwords may have changed: the next request discovers again,
   * after any discovery still running. Open stores stay open for the operations running on them.
   */
  invalidate(): void {
    this.model.invalidate();
    this.discovery = undefined;
  }

  async listSessions(params: ListSessionsParams): Promise<ListSessionsResult> {
    // Taken in the tick `use` picks the store: a discovery during the listing may give the id to
    // another database, while these rows and this cursor still come from the one listed.
    const identity = this.identity(params.storeId);
    const cursor = params.page ? this.pageCursors.get(params.page) : undefined;
    if (params.page && (cursor?.storeId !== params.storeId || cursor.identity !== identity)) {
      throw new StoreError('bad-cursor', 'That page is no longer available; refresh the Sessions view.');
    }
    const filter = params.page ? cursor?.filter : listFilter(params.filter);
    if (filter && params.cacheDrift) {
      throw new StoreError('bad-input', 'The cache entries out of sync are listed whole; they take no filter.');
    }
    return this.use(params.storeId, async (store) => {
      const page = params.cacheDrift ? await cacheDriftPage(store, params.limit, cursor?.value) : await store.list({ limit: params.limit, cursor: cursor?.value, filter });
      // A filtered listing shows some of the sessions, and the cache entries out of sync are not what Django reads.
      if (params.forView && !params.cacheDrift && filter === undefined) {
        this.listed.note(params.storeId, identity, page.sessions, params.page === undefined);
      }
      const now = Date.now();
      let nextPage: string | undefined;
      if (page.nextCursor) {
        // The same page of the same listing gets the same token, so listing a store again (the view
        // follows Django's changes) keeps the token its Load more row holds from being forgotten.
        // Tokens are not spent on use: the view and a picker may hold the same one.
        nextPage = createHmac('sha256', this.refKey).update(JSON.stringify(['page', params.storeId, identity, params.cacheDrift === true, page.nextCursor, filter ?? null])).digest('base64url').slice(0, 16);
        remember(this.pageCursors, nextPage, { storeId: params.storeId, identity, value: page.nextCursor, filter }, MAX_PAGE_TOKENS);
      }
      return {
        sessions: page.sessions.map((r) => summarize(r, this.refFor(params.storeId, identity, r.key), params.maskKeys, now, store.descriptor.djangoVersion)),
        nextPage,
        total: params.withTotal && !params.page && !params.cacheDrift && cheapToCount(filter, store.descriptor.engine) ? await store.count(filter) : undefined,
        scanned: needsDecoding(filter) ? page.scanned : undefined,
      };
    });
  }

  /**
   * The keys that the sessions of the stores of the project at `projectRoot` (and of the
   * djangoSessions.store.url setting's store) hold, as the Sessions view last listed them: no store
   * is read for it, so a store the Sessions view has not listed gives none.
   */
  listedKeys(projectRoot: string | undefined): ListedKeys[] {
    return [...this.stores.entries()]
      .filter(([, known]) => known.projectRoot === undefined || known.projectRoot === projectRoot)
      .map(([id, known]) => ({ store: this.info(known).label, sessions: this.listed.counts(id, identityOf(known.descriptor)) }))
      .filter((listed) => listed.sessions.size > 0);
  }

  /**
   * The live sessions that hold `key`, in the stores on this machine, read for at most `budgetMs`:
   * what a rename of the key in the code would leave behind. A store searched only in part is
   * listed whatever it held so far. Stores elsewhere are not read for it, and a store that cannot be read counts none.
   */
  async storedWithKey(key: string, settings: ServerSettings, budgetMs: number): Promise<StoredUnderKey[]> {
    const deadline = Date.now() + budgetMs;
    await this.listStores(settings, false);
    const found: StoredUnderKey[] = [];
    for (const [id, known] of this.stores) {
      const info = this.info(known);
      if (known.descriptor.engine === 'signed_cookies' || !info.local) {
        continue;
      }
      try {
        const counted = await this.use(id, async (store) => {
          let cursor: string | undefined;
          let holding = 0;
          let read = 0;
          do {
            // A page decodes at most STORED_KEY_SCAN sessions, so the deadline is looked at often; each store gets one.
            const page = await store.list({ limit: STORED_KEY_SCAN, cursor, filter: { state: 'active', hasKey: key }, maxScan: STORED_KEY_SCAN });
            // A session whose signature Django rejects reads as empty there: renaming loses it nothing.
            holding += page.sessions.filter((session) => !session.decoded.ok || session.decoded.session.signature !== 'invalid').length;
            read += page.scanned ?? 0;
            cursor = page.nextCursor;
          } while (cursor !== undefined && Date.now() < deadline);
          return { holding, read, complete: cursor === undefined };
        });
        // A search cut short that found none yet is no answer: the rename still asks.
        if (counted.holding > 0 || !counted.complete) {
          found.push({ store: info.label, ...counted });
        }
      } catch (err) {
        this.log(`Could not count the sessions holding a renamed key in ${info.label}: ${(err as Error).message}`);
      }
    }
    return found;
  }

  async getSession(params: GetSessionParams): Promise<GetSessionResult> {
    const key = this.keyOf(params.storeId, params.ref);
    if (key === undefined) {
      return { unlisted: true };
    }
    const { record, djangoVersion } = await this.use(params.storeId, async (store) => ({ record: await store.get(key), djangoVersion: store.descriptor.djangoVersion }));
    const shown = params.cacheDrift && record?.served ? { ...record, decoded: record.served } : record;
    return { session: shown ? detail(shown, params.ref, params.maskKeys, djangoVersion) : undefined };
  }

  /**
   * One session, whole, as the text of a document. An open document is read again whenever the
   * view refreshes, which may be before the view lists the stores again: so the stores
   * `settings` name are found first, as listing them would.
   */
  async sessionDocument(params: SessionDocumentParams, settings: ServerSettings): Promise<SessionDocumentResult> {
    await this.listStores(settings, false);
    const key = this.keyOf(params.storeId, params.ref);
    const known = this.stores.get(params.storeId);
    if (key === undefined || !known) {
      return { unlisted: true };
    }
    const record = await this.use(params.storeId, (store) => store.get(key));
    if (!record) {
      return {};
    }
    return renderSessionDocument(record, known.descriptor, storeLabel(known.descriptor), params.maskKeys);
  }

  /** A signed_cookies session cookie the user pasted, read as the store's Django reads it (see cookieDocument). */
  async decodeCookie(params: DecodeCookieParams, settings: ServerSettings): Promise<DecodeCookieResult> {
    await this.listStores(settings, false);
    const known = this.stores.get(params.storeId);
    if (!known) {
      throw new StoreError('not-found', `No store "${params.storeId}"; refresh the Sessions view.`);
    }
    const label = storeLabel(known.descriptor);
    if (known.descriptor.engine === 'signed_cookies') {
      return { text: cookieDocument(params.value, known.descriptor, label) };
    }
    // The cookie of every other engine holds the session key, as Django sets it.
    const key = params.value.trim();
    if (!isValidSessionKey(key)) {
      throw new StoreError('bad-input', `A ${known.descriptor.engine} session cookie holds the session's key, of at least 8 characters, which this value is not; copy the session cookie's value (named by SESSION_COOKIE_NAME, sessionid by default).`);
    }
    const identity = this.identity(params.storeId);
    const record = await this.use(params.storeId, (store) => store.get(key));
    if (!record) {
      throw new StoreError('not-found', `${label} holds no session under this cookie's key, so Django starts a new, empty session for it (the session expired and was cleared, was flushed, or lives in another store).`);
    }
    return { session: { ref: this.refFor(params.storeId, identity, key), maskedKey: maskSessionKey(key) } };
  }

  /**
   * Writes an edited session document back as the session's data. The session is read again and
   * must still be the version the document's text was read from; the write itself is a
   * compare-and-swap on that read, so a write by Django at any point before it is never overwritten.
   */
  async saveSessionDocument(params: SaveSessionDocumentParams, settings: ServerSettings): Promise<void> {
    await this.listStores(settings, false);
    const key = this.keyOf(params.storeId, params.ref);
    if (key === undefined) {
      throw new StoreError('not-found', 'This session is no longer listed, so nothing was written: refresh the Sessions view, open the session again and redo the edit there.');
    }
    const edit = sessionDocumentEdit(params.text);
    await this.write(params.storeId, async (store) => {
      const record = await store.get(key);
      if (!record) {
        throw new StoreError('not-found', 'This session no longer exists (it was deleted or its key cycled); nothing was written.');
      }
      const current = sessionDocumentVersion(record, store.descriptor);
      // A text still naming the version our last save of it replaced was read before that save,
      // and nothing but that save has written since: the editor just has not reloaded yet.
      const ours = this.documentSaves.get(params.ref);
      if (current !== edit.version && !(ours?.from === edit.version && ours.to === current)) {
        throw new StoreError('conflict', "Django changed this session after the document was read, so nothing was written. Compare it with the session as stored now and take the stored '// version' line (and any of Django's change to keep) into your edit, then save again; or revert the file (File: Revert File).");
      }
      const reason = readOnlyReason(record, store.descriptor);
      if (reason !== undefined) {
        throw new StoreError(record.decoded.ok ? 'unsupported' : 'undecodable', `${reason} Nothing was written.`);
      }
      refuseBadExpiryValue(edit.data.get(EXPIRY_KEY), store.descriptor);
      const saved = await store.save(key, edit.data, { expectedRaw: record.raw });
      remember(this.documentSaves, params.ref, { from: edit.version, to: sessionDocumentVersion(saved, store.descriptor) }, MAX_REFS);
    });
  }

  /**
   * What a save of an edited session document would refuse in its text alone, with the store's
   * settings for its `_session_expiry`; nothing is read from the store, as this is asked while typing.
   */
  async checkSessionDocument(params: CheckSessionDocumentParams, settings: ServerSettings): Promise<CheckSessionDocumentResult> {
    await this.listStores(settings, false);
    const mistake = sessionDocumentMistake(params.text, this.stores.get(params.storeId)?.descriptor);
    if (!mistake) {
      return {};
    }
    return { mistake: { message: mistakeMessage(mistake), range: { start: { line: mistake.line, character: mistake.character }, end: { line: mistake.line, character: mistake.end } } } };
  }

  /** Applies one change to one session; the store re-reads it and refuses on a concurrent write. */
  async editSession(params: EditSessionParams): Promise<EditSessionResult> {
    const key = this.keyOf(params.storeId, params.ref);
    if (key === undefined) {
      throw new StoreError('not-found', 'That session is no longer listed; refresh the Sessions view.');
    }
    const cycled = await this.write(params.storeId, (store) => applySessionEdit(store, key, params.edit));
    return cycled ? { cycled: { ref: this.refFor(params.storeId, this.identity(params.storeId), cycled.key), maskedKey: maskSessionKey(cycled.key) } } : {};
  }

  /** Deletes expired sessions, or one user's, reporting progress; stops early when `signal` aborts. */
  async bulkDelete(params: BulkDeleteParams, signal: AbortSignal, onProgress: (done: number, undecodable: number) => void): Promise<BulkDeleteResult> {
    // A cancellation after the last deletion was written cancels nothing.
    let finished = false;
    let undecodable = 0;
    const options = { signal, onProgress: (done: number) => onProgress(done, undecodable), onFinished: () => (finished = true), onUndecodable: () => undecodable++ };
    const deleted = await this.write(params.storeId, (store) => (params.userId === undefined ? store.clearExpired(options) : store.deleteByUser(params.userId, options)));
    return { deleted, cancelled: signal.aborted && !finished, ...(undecodable > 0 ? { undecodable } : {}) };
  }

  /**
   * How many sessions `bulkDelete` would delete for `params.userId` now, reading the store for at
   * most `budgetMs` (or until `signal` aborts): no count when it was not read to its end by then.
   */
  async countUserSessions(params: CountUserSessionsParams, signal: AbortSignal, budgetMs: number, onProgress: (done: number) => void): Promise<CountUserSessionsResult> {
    let finished = false;
    let undecodable = 0;
    let expired = 0;
    const now = Date.now();
    const stop = AbortSignal.any([signal, AbortSignal.timeout(budgetMs)]);
    const onFound = (record: SessionRecord) => {
      if (isExpired(record, now)) {
        expired++;
      }
    };
    const sessions = await this.use(params.storeId, (store) => store.findByUser(params.userId, { signal: stop, onProgress, onFinished: () => (finished = true), onUndecodable: () => undecodable++, onFound }));
    if (stop.aborted && !finished) {
      return {};
    }
    return { sessions, ...(expired > 0 ? { expired } : {}), ...(undecodable > 0 ? { undecodable } : {}) };
  }

  /** Replaces the passwords from secret storage (sealed by the client) and reopens stores with them on next use. */
  async setPasswords(passwords: StorePassword[]): Promise<void> {
    this.passwords = passwords.flatMap((sealed) => {
      const opened = this.cipher.open(sealed);
      if (!opened) {
        this.log(`The saved password for $${sealed.variable} could not be opened (this server was not started by the extension?); it is not used.`);
      }
      return opened ? [opened] : [];
    });
    retireInBackground([...this.stores.values()]);
  }

  /** Closes every open store, each once the operations running on it have settled. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const known = [...this.stores.values()];
    known.forEach((s) => s.watch?.close());
    this.stores.clear();
    this.invalidate();
    await retire(known);
  }

  /** Discovers after the discovery before it, so two never write the stores at once. */
  private startDiscovery(settings: ServerSettings): Promise<void> {
    const run = (this.running ?? Promise.resolve()).catch(() => undefined).then(() => this.discover(settings));
    this.running = run;
    run.then(
      () => this.settled(run, true),
      () => this.settled(run, false),
    );
    return run;
  }

  private settled(run: Promise<void>, ok: boolean): void {
    if (this.running === run) {
      this.running = undefined;
    }
    // A failed discovery is tried again on the next request.
    if (!ok && this.discovery === run) {
      this.discovery = undefined;
    }
  }

  /** Replaces the stores with those found now; the requests meanwhile use the old ones, which are then retired. */
  private async discover(settings: ServerSettings): Promise<void> {
    const roots = this.roots();
    const projects = await this.model.projects();
    let found = new Map<string, KnownStore>();
    const labels = projectLabels(projects.map((project) => project.root));
    for (const [i, project] of projects.entries()) {
      // Where each problem is, so a syntax error or an unreadable setting can be found.
      const notes: StoreNote[] = project.problems.map((p) => ({ text: problemText(p, roots), ...(p.location ? { source: { uri: fileUri(p.location.file), line: p.location.line } } : {}) }));
      if (project.settingsNote) {
        notes.push({ text: `${project.settingsNote[0]!.toUpperCase()}${project.settingsNote.slice(1)}.` });
      }
      const envNote = envFileVariablesNote(project, (file) => relativeToRoot(roots, file));
      if (envNote) {
        notes.push({ text: `${envNote[0]!.toUpperCase()}${envNote.slice(1)}.` });
      }
      for (const descriptor of project.stores) {
        const id = projects.length > 1 ? `${labels[i]}/${descriptor.id}` : descriptor.id;
        const storeNotes = [...notes];
        if (descriptor.secretKeys.missing) {
          storeNotes.push({ text: `Signatures are not verified: ${descriptor.secretKeys.missing}.` });
        }
        const unloaded = unloadedEnvNote(descriptor, (file) => relativeToRoot(roots, file));
        if (unloaded) {
          storeNotes.push({ text: `${unloaded[0]!.toUpperCase()}${unloaded.slice(1)}.` });
        }
        const refusal = tableOnlyRefusal(descriptor);
        if (refusal) {
          storeNotes.push({ text: refusal });
        }
        found.set(id, { descriptor: { ...descriptor, id }, notes: storeNotes, projectRoot: project.root, ...(projects.length > 1 ? { project: labels[i] } : {}) });
      }
    }
    if (settings.storeUrl) {
      const descriptor = parseStoreUrl(settings.storeUrl, projects[0]?.root ?? roots[0] ?? process.cwd(), storeUrlDefaults(projects[0]?.stores[0]));
      const times = assumedTimeSettingsNote(descriptor);
      const age = assumedCookieAgeNote(descriptor);
      const assumed = [...(times ? [`Its ${times}.`] : []), ...(age ? [`${age.charAt(0).toUpperCase()}${age.slice(1)}.`] : [])];
      const refusal = tableOnlyRefusal(descriptor);
      const notes = ['From the djangoSessions.store.url setting.', ...assumed, ...(refusal ? [refusal] : [])];
      found = new Map([[descriptor.id, { descriptor, notes: notes.map((text) => ({ text })) }]]);
    }
    // A discovery that outlives dispose() leaves nothing open behind it.
    if (this.disposed) {
      return;
    }
    const previous = [...this.stores.values()];
    previous.forEach((s) => s.watch?.close());
    for (const [id, known] of found) {
      known.watch = StoreChangeWatch.start(known.descriptor, () => this.sessionsChanged(id));
    }
    this.stores = found;
    forgetOtherStores(this.keysByRef, this.stores);
    forgetOtherStores(this.pageCursors, this.stores);
    this.whyNone = found.size > 0 ? [] : noStoreReasons(projects, roots);
    this.noProject = projects.length === 0;
    this.log(`Found ${this.stores.size} session store(s) in ${projects.length} Django project(s).${this.whyNone.map((why) => `\n  ${why}`).join('')}`);
    retireInBackground(previous);
  }

  /** Runs one operation on a store, opening it first if needed; the store stays open until the operation settles. */
  private use<T>(storeId: string, run: (store: SessionStore) => Promise<T>): Promise<T> {
    const known = this.stores.get(storeId);
    if (!known) {
      return Promise.reject(new StoreError('not-found', `No store "${storeId}"; refresh the Sessions view.`));
    }
    if (known.descriptor.engine === 'signed_cookies') {
      return Promise.reject(new StoreError('unsupported', SIGNED_COOKIES_IN_VSCODE));
    }
    if (!known.opened) {
      const opened = new OpenedStore(openStore(known.descriptor, { env: { ...withoutPasswordKey(process.env), ...this.passwordsFor(known.descriptor) }, lockBudgetMs: SERVER_LOCK_BUDGET_MS, urlHint: 'the djangoSessions.store.url setting' }));
      opened.opening.catch(() => {
        if (known.opened === opened) {
          known.opened = undefined;
        }
      });
      known.opened = opened;
    }
    return known.opened.use(run);
  }

  /** Runs a change to a store: the view lists the store again after it, so its own change is not reported as Django's. */
  private write<T>(storeId: string, run: (store: SessionStore) => Promise<T>): Promise<T> {
    const watch = this.stores.get(storeId)?.watch;
    return watch ? watch.during(() => this.use(storeId, run)) : this.use(storeId, run);
  }

  /** The key behind a ref, when the ref was handed out for that store, as it is now. */
  private keyOf(storeId: string, ref: string): string | undefined {
    const entry = this.keysByRef.get(ref);
    return entry?.storeId === storeId && entry.identity === this.identity(storeId) ? entry.value : undefined;
  }

  /** The identity of the store under this id now ('' when there is none). */
  private identity(storeId: string): string {
    const known = this.stores.get(storeId);
    return known ? identityOf(known.descriptor) : '';
  }

  /** Only the passwords saved for this very store: one saved for another server is never sent here. */
  private passwordsFor(descriptor: StoreDescriptor): Record<string, string> {
    const location = storeLocation(descriptor);
    return Object.fromEntries(this.passwords.filter((p) => p.location === location).map((p) => [p.variable, p.value]));
  }

  private info(store: KnownStore): StoreInfo {
    const d = store.descriptor;
    return {
      id: d.id,
      label: store.project ? `${store.project} › ${storeLabel(d)}` : storeLabel(d),
      engine: d.engine,
      location: storeLocation(d),
      source: d.source ? { uri: fileUri(d.source.file), line: d.source.line } : undefined,
      notes: store.notes,
      passwordVariables: passwordVariables(d),
      // A store the routers may make the wrong one gets every change confirmed, as one elsewhere does.
      local: isLocalStore(d) && !d.routersCaveat,
      cacheDrift: d.engine === 'cached_db' && !readsTableOnly(d),
      watched: store.watch !== undefined,
    };
  }

  /** A ref is stable for a key of a store's database within this server process, and reveals nothing about it. */
  private refFor(storeId: string, identity: string, key: string): string {
    const ref = createHmac('sha256', this.refKey).update(`${storeId}\0${identity}\0${key}`).digest('base64url').slice(0, 22);
    remember(this.keysByRef, ref, { storeId, identity, value: key }, MAX_REFS);
    return ref;
  }
}

/** Retires the stores' connections: each closes once the operations running on it settle. */
async function retire(stores: KnownStore[]): Promise<void> {
  const opened = stores.map((s) => s.opened);
  stores.forEach((s) => (s.opened = undefined));
  await Promise.all(opened.map((o) => o?.retire()));
}

/**
 * Retires connections without waiting for them to close: new ones open on next use at once, and
 * no request waits on a close that a dead peer drags out (OpenedStore bounds each close anyway).
 */
function retireInBackground(stores: KnownStore[]): void {
  void retire(stores);
}

/**
 * Names for project directories, unique among them, so store ids are: each directory's own name,
 * or, where two share one (two roots each holding an `app`), its path below their common parent.
 */
function projectLabels(roots: string[]): string[] {
  const names = roots.map((root) => path.basename(root));
  if (new Set(names).size === names.length) {
    return names;
  }
  let common = path.dirname(roots[0] ?? '');
  while (!roots.every((root) => root.startsWith(common + path.sep)) && path.dirname(common) !== common) {
    common = path.dirname(common);
  }
  return roots.map((root) => path.relative(common, root).split(path.sep).join('/'));
}

/** Drops the refs or page tokens of stores that discovery no longer finds, or finds somewhere else. */
function forgetOtherStores(entries: Map<string, InStore>, stores: ReadonlyMap<string, KnownStore>): void {
  for (const [handle, entry] of entries) {
    const known = stores.get(entry.storeId);
    if (!known || identityOf(known.descriptor) !== entry.identity) {
      entries.delete(handle);
    }
  }
}

/**
 * The engine's own message names CLI commands; this one says where such sessions are and how to
 * read one from VS Code's terminal.
 */
const SIGNED_COOKIES_IN_VSCODE =
  "The signed_cookies engine keeps each session in the visitor's browser, in the session cookie, so there is no store to list here. " +
  "To read one, copy the cookie's value from the browser's developer tools and run Django Sessions: Decode Session Cookie… (or, in a terminal, django-sessions decode-cookie VALUE).";

/** A page of a cached_db store's cache entries that disagree with its table. */
function cacheDriftPage(store: SessionStore, limit: number, cursor: string | undefined): Promise<SessionPage> {
  return asCachedDb(store).listCacheDrift({ limit, cursor });
}

/** A file as the view names it: from the workspace folder that holds it. */
function relativeToRoot(roots: string[], file: string): string {
  const root = outermostWithin(roots, file);
  return root === undefined ? file : path.relative(root, file).split(path.sep).join('/');
}

/** Why projects gave no store, as their problems say (with their places), or that there is no project. */
function noStoreReasons(projects: readonly DjangoProject[], roots: string[]): string[] {
  if (projects.length === 0) {
    return [
      "No Django project found: no manage.py of Django's (one that imports django or sets DJANGO_SETTINGS_MODULE, itself or through modules of the project it imports) in a workspace folder or two levels below, and no wsgi.py, asgi.py, pytest or tox configuration naming DJANGO_SETTINGS_MODULE. Name the settings in the djangoSessions.project.settingsModule setting: a dotted module, or the settings file's path from the workspace folder (a project deeper down: backend/services/api/mysite/settings.py).",
    ];
  }
  const why = projects.flatMap((project) => project.problems.map((p) => problemText(p, roots)));
  return why.length > 0 ? why : ['The settings name no session store that can be read statically.'];
}

/** A settings problem as the view shows it: where it is, then what it is. */
function problemText(problem: ProjectProblem, roots: string[]): string {
  return problem.location ? `${relativeToRoot(roots, problem.location.file)}:${problem.location.line}: ${problem.message}` : problem.message;
}
