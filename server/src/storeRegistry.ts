import { createHmac, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CachedDbSessionStore,
  isLocalStore,
  openStore,
  passwordVariables,
  storeLocation,
  storeUrlDefaults,
  pythonJsonParse,
  parseStoreUrl,
  StoreError,
  type ExpirySetting,
  type PyValue,
  type SessionPage,
  type SessionStore,
  type StoreDescriptor,
} from '../../engine/src';
import type {
  BulkDeleteParams,
  BulkDeleteResult,
  EditSessionParams,
  ExpiryChoice,
  GetSessionParams,
  GetSessionResult,
  ListSessionsParams,
  ListSessionsResult,
  ServerSettings,
  StoreInfo,
  StorePassword,
} from './protocol';
import { PasswordCipher, type OpenedPassword } from './passwordCipher';
import type { ProjectModel } from './projectModel';
import { detail, summarize } from './sessionPresenter';
import { storeLabel } from './storeLabel';

/**
 * node:sqlite deletes on the server's own thread: a bulk delete batch this short keeps
 * completion, hover and the Sessions view answering while clear-expired runs.
 */
const SERVER_LOCK_BUDGET_MS = 150;

interface KnownStore {
  descriptor: StoreDescriptor;
  notes: string[];
  opened?: Promise<SessionStore>;
}

/**
 * Owns every store connection of the server. Stores are found once per refresh and opened on
 * first use; sessions are handed to the client under refs, so keys stay on this side.
 */
export class StoreRegistry {
  private stores = new Map<string, KnownStore>();
  private readonly refKey = randomBytes(32);
  private readonly keysByRef = new Map<string, string>();
  private readonly pageCursors = new Map<string, string>();
  private discovered = false;
  private passwords: OpenedPassword[] = [];

  /** `cipher` opens the passwords the client seals; by default with the key the client put in this process's environment. */
  constructor(
    private readonly model: ProjectModel,
    private readonly roots: () => string[],
    private readonly log: (message: string) => void,
    private readonly cipher = PasswordCipher.fromEnvironment(),
  ) {}

  /** The stores of every Django project under the workspace roots, or the one the settings name. */
  async listStores(settings: ServerSettings, refresh: boolean): Promise<StoreInfo[]> {
    if (refresh || !this.discovered) {
      if (refresh) {
        this.model.invalidate();
      }
      await this.discover(settings);
    }
    return [...this.stores.values()].map((s) => this.info(s));
  }

  async listSessions(params: ListSessionsParams): Promise<ListSessionsResult> {
    const store = await this.open(params.storeId);
    const cursor = params.page ? this.pageCursors.get(params.page) : undefined;
    if (params.page && cursor === undefined) {
      throw new StoreError('bad-cursor', 'That page is no longer available; refresh the Sessions view.');
    }
    if (params.page) {
      this.pageCursors.delete(params.page);
    }
    const page = params.cacheDrift ? await cacheDriftPage(store, params.limit, cursor) : await store.list({ limit: params.limit, cursor });
    const now = Date.now();
    let nextPage: string | undefined;
    if (page.nextCursor) {
      nextPage = randomBytes(12).toString('base64url');
      this.pageCursors.set(nextPage, page.nextCursor);
    }
    return {
      sessions: page.sessions.map((r) => summarize(r, this.refFor(params.storeId, r.key), params.maskKeys, now)),
      nextPage,
      // A cache has no count of its own: counting would scan the whole keyspace on every refresh.
      total: params.page || params.cacheDrift || store.descriptor.engine === 'cache' ? undefined : await store.count(),
    };
  }

  async getSession(params: GetSessionParams): Promise<GetSessionResult> {
    const key = this.keysByRef.get(params.ref);
    if (key === undefined) {
      return {};
    }
    const store = await this.open(params.storeId);
    const record = await store.get(key);
    return { session: record ? detail(record, params.ref, params.maskKeys) : undefined };
  }

  /** Applies one change to one session; the store re-reads it and refuses on a concurrent write. */
  async editSession(params: EditSessionParams): Promise<void> {
    const key = this.keysByRef.get(params.ref);
    if (key === undefined) {
      throw new StoreError('not-found', 'That session is no longer listed; refresh the Sessions view.');
    }
    const store = await this.open(params.storeId);
    const edit = params.edit;
    switch (edit.kind) {
      case 'flush':
        await store.delete(key);
        this.keysByRef.delete(params.ref);
        return;
      case 'clear':
        await store.clear(key);
        return;
      case 'cycleKey':
        // The new key gets its ref when the view lists the store again.
        await store.cycleKey(key);
        this.keysByRef.delete(params.ref);
        return;
      case 'setExpiry':
        await store.setExpiry(key, expirySetting(edit.expiry));
        return;
      case 'deleteValue':
        await store.update(key, (data) => {
          data.delete(edit.key);
        });
        return;
      case 'setValue': {
        const value = parseValue(edit.json);
        await store.update(key, (data) => {
          data.set(edit.key, value);
        });
        return;
      }
      case 'invalidateCache':
        await asCachedDb(store).invalidate(key);
        return;
    }
  }

  /** Deletes expired sessions, or one user's, reporting progress; stops early when `signal` aborts. */
  async bulkDelete(params: BulkDeleteParams, signal: AbortSignal, onProgress: (done: number) => void): Promise<BulkDeleteResult> {
    const store = await this.open(params.storeId);
    const options = { signal, onProgress };
    const deleted = params.userId === undefined ? await store.clearExpired(options) : await store.deleteByUser(params.userId, options);
    return { deleted, cancelled: signal.aborted };
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
    for (const store of this.stores.values()) {
      const opened = store.opened;
      store.opened = undefined;
      await (await opened?.catch(() => undefined))?.close();
    }
  }

  /** Closes every open store; discovery runs again on the next request. */
  async dispose(): Promise<void> {
    const open = [...this.stores.values()].map((s) => s.opened);
    this.stores.clear();
    this.keysByRef.clear();
    this.pageCursors.clear();
    this.discovered = false;
    await Promise.all(open.map(async (p) => (await p?.catch(() => undefined))?.close()));
  }

  private async discover(settings: ServerSettings): Promise<void> {
    await this.dispose();
    const roots = this.roots();
    const projects = await this.model.projects();
    for (const project of projects) {
      const notes = project.problems.map((p) => p.message);
      for (const descriptor of project.stores) {
        const id = projects.length > 1 ? `${path.basename(project.root)}/${descriptor.id}` : descriptor.id;
        const storeNotes = [...notes];
        if (descriptor.secretKeys.missing) {
          storeNotes.push(`Signatures are not verified: ${descriptor.secretKeys.missing}.`);
        }
        this.stores.set(id, { descriptor: { ...descriptor, id }, notes: storeNotes });
      }
    }
    if (settings.storeUrl) {
      const descriptor = parseStoreUrl(settings.storeUrl, projects[0]?.root ?? roots[0] ?? process.cwd(), storeUrlDefaults(projects[0]?.stores[0]));
      this.stores = new Map([[descriptor.id, { descriptor, notes: ['From the djangoSessions.store.url setting.'] }]]);
    }
    this.discovered = true;
    this.log(`Found ${this.stores.size} session store(s) in ${projects.length} Django project(s).`);
  }

  private open(storeId: string): Promise<SessionStore> {
    const known = this.stores.get(storeId);
    if (!known) {
      return Promise.reject(new StoreError('not-found', `No store "${storeId}"; refresh the Sessions view.`));
    }
    if (known.descriptor.engine === 'signed_cookies') {
      return Promise.reject(new StoreError('unsupported', SIGNED_COOKIES_IN_VSCODE));
    }
    known.opened ??= openStore(known.descriptor, { env: { ...process.env, ...this.passwordsFor(known.descriptor) }, lockBudgetMs: SERVER_LOCK_BUDGET_MS });
    known.opened.catch(() => {
      known.opened = undefined;
    });
    return known.opened;
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
      label: storeLabel(d),
      engine: d.engine,
      location: storeLocation(d),
      source: d.source ? { uri: pathToFileURL(d.source.file).toString(), line: d.source.line } : undefined,
      notes: store.notes,
      passwordVariables: passwordVariables(d),
      local: isLocalStore(d),
    };
  }

  /** A ref is stable for a key within this server process, and reveals nothing about it. */
  private refFor(storeId: string, key: string): string {
    const ref = createHmac('sha256', this.refKey).update(`${storeId}\0${key}`).digest('base64url').slice(0, 22);
    this.keysByRef.set(ref, key);
    return ref;
  }
}

/**
 * The engine's own message names CLI commands; this one says where such sessions are and how to
 * read one from VS Code's terminal.
 */
const SIGNED_COOKIES_IN_VSCODE =
  "The signed_cookies engine keeps each session in the visitor's browser, in the session cookie, so there is no store to list here. " +
  "To read one, copy the cookie's value from the browser's developer tools and decode it in a terminal with the django-sessions command-line tool: django-sessions decode-cookie VALUE.";

function expirySetting(choice: ExpiryChoice): ExpirySetting {
  if (choice.kind === 'at') {
    const date = new Date(choice.iso);
    if (!/(Z|[+-]\d{2}:\d{2})$/.test(choice.iso) || Number.isNaN(date.getTime())) {
      throw new StoreError('bad-input', `"${choice.iso}" is not a date and time with a zone; use ISO 8601 with Z or an offset, e.g. 2030-01-01T12:00:00Z.`);
    }
    return { kind: 'at', date };
  }
  return choice;
}

/** A value typed by the user, read as Python's json.loads would. */
function parseValue(json: string): PyValue {
  try {
    return pythonJsonParse(json);
  } catch (err) {
    throw new StoreError('bad-input', `The value must be JSON (e.g. "text", 42, [1, 2] or {"a": 1}): ${(err as Error).message}`);
  }
}

/** A page of a cached_db store's cache entries that disagree with its table. */
function cacheDriftPage(store: SessionStore, limit: number, cursor: string | undefined): Promise<SessionPage> {
  return asCachedDb(store).listCacheDrift({ limit, cursor });
}

/** The store as cached_db, for the requests only that engine has; a StoreError for any other. */
function asCachedDb(store: SessionStore): CachedDbSessionStore {
  if (!(store instanceof CachedDbSessionStore)) {
    throw new StoreError('unsupported', `Only a cached_db store has a cache beside its table; this one uses the ${store.descriptor.engine} engine.`);
  }
  return store;
}
