/**
 * Every custom request and notification between the extension (client) and the language server,
 * declared once and used by both sides. Session keys never cross this border in clear unless the
 * user asks to reveal one: sessions are named by an opaque `ref` the server maps back to the key.
 */
import { NotificationType, NotificationType0, RequestType, type Location, type Range, type TextDocumentPositionParams, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';

/**
 * The documents the server reads session keys in, besides Python: Django templates, whose
 * `request.session.x` lookups it indexes, so their editors' text, hovers and quick fixes are its
 * too. The engine's TEMPLATE_GLOB, spelled out here since the client takes nothing from the engine.
 */
export const TEMPLATE_DOCUMENTS = { scheme: 'file', pattern: '**/{templates,jinja2}/**/*.{html,htm,txt,xml,jinja,jinja2,j2,djhtml}' } as const;

/** A warning beside a store; `source` is the settings line it is about (1-based), which the view opens. */
export interface StoreNote {
  text: string;
  source?: { uri: string; line: number };
}

/** One store the server found or was given, as the tree shows it. */
export interface StoreInfo {
  id: string;
  /** e.g. "db · SQLite · db.sqlite3". */
  label: string;
  engine: string;
  /** Where the store is, with any secret masked. */
  location: string;
  /** The settings file that configured it, when discovered (1-based line); the view offers to open it there. */
  source?: { uri: string; line: number };
  /** Shown as warnings beside the store (e.g. "SECRET_KEY needs environment variable X"). */
  notes: StoreNote[];
  /** Environment variables this store reads passwords from; the user can keep them in secret storage. */
  passwordVariables: string[];
  /** Every part of the store is on this machine, and no DATABASE_ROUTERS may make it the wrong one; changes to others are always confirmed. */
  local: boolean;
  /** cached_db whose cache is opened beside its table, so the cache entries that differ from it can be listed. */
  cacheDrift: boolean;
  /** Django's changes to it are reported (SessionsChangedNotification): an SQLite database or session files. */
  watched: boolean;
}

export interface ListStoresParams {
  /** Re-read settings and reopen stores instead of using what is cached. */
  refresh?: boolean;
}
export interface ListStoresResult {
  stores: StoreInfo[];
  /** Where there is none: why, as the settings read tell it (no manage.py, no DJANGO_SETTINGS_MODULE, an engine that cannot be read, …). */
  whyNone?: string[];
  /** Set where no Django project was found at all: the workspace may not be a Django one (another framework's settings.py started the extension), so the status bar says nothing. A manage.py makes a project, Django's or not. */
  noProject?: true;
}
/** What a request that a store refused carries besides its message, so the client can offer the way on. */
export interface StoreErrorData {
  /** The engine's reason, e.g. `conflict` when Django changed the session after it was read. */
  code: string;
}

export const ListStoresRequest = new RequestType<ListStoresParams, ListStoresResult, StoreErrorData | undefined>('djangoSessions/listStores');

/** `unsigned`: the store does not sign (the cache engine), so there is nothing to verify and changes need no key. */
export type SignatureState = 'valid' | 'invalid' | 'unverified' | 'unsigned' | 'undecodable';

/** A session as one row of the tree. */
export interface SessionSummary {
  /** Opaque handle for later requests; not the session key. */
  ref: string;
  /** The key as the user wants it shown: masked unless `maskKeys` was false. */
  displayKey: string;
  /** The key masked whatever `maskKeys` says, for names that outlive the view (editor history). */
  maskedKey: string;
  /** ISO 8601 UTC, when the store knows it. */
  expireDate?: string;
  expired: boolean;
  /**
   * The store keeps the session although `expireDate`, its cookie's expiry, has passed, so it is
   * not `expired`: Django's file engine never expires a session whose `_session_expiry` is a
   * number of seconds, nor does clearsessions delete it.
   */
  outlivesCookie?: boolean;
  /** `set_expiry(0)`: its cookie ends when the browser closes; `expireDate` is then only how long the store keeps it. */
  atBrowserClose?: boolean;
  /** `_auth_user_id`, when the session belongs to a logged-in user. */
  userId?: string;
  signature: SignatureState;
  /** Why the project's Django refuses data whose signature a key matches (its version or DEFAULT_HASHING_ALGORITHM). */
  signatureNote?: string;
  /** Why the data could not be decoded. */
  error?: string;
  /** Number of top-level keys. */
  size: number;
  /** Changes whenever the stored data does, so a listing tells a changed session from one as it was. */
  version: string;
  /** cached_db: what Django is served differs from the row (or has no row); says how. */
  cacheWarning?: string;
  /** cached_db: a cache entry whose row is gone, which can be deleted but not changed. */
  cacheOnly?: true;
}

/** Which sessions a listing shows; every part given must hold. */
export interface SessionFilter {
  state?: 'active' | 'expired';
  /** `_auth_user_id` equals this. */
  userId?: string;
  /** The session has this top-level key. */
  hasKey?: string;
  /** Case-insensitive text the decoded data contains, as Python's repr shows it. */
  text?: string;
}

export interface ListSessionsParams {
  storeId: string;
  limit: number;
  /** From the previous result's `nextPage`. */
  page?: string;
  /** Show only the first characters of each key (the default). */
  maskKeys: boolean;
  /**
   * cached_db only: instead of the table's rows, the cache entries Django would serve differently
   * from the table (stale, cache-only or undecodable), found by walking the cache.
   */
  cacheDrift?: boolean;
  /** Count the whole store for `total` (the view's store row shows it); a picker skips the count. */
  withTotal?: boolean;
  /** Only these sessions; not with `cacheDrift`. */
  filter?: SessionFilter;
  /**
   * Sent by the Sessions view for its own listing, whose unfiltered pages are what completion and
   * hover take a store's session keys from; a picker's listing, often shorter, leaves them be.
   */
  forView?: boolean;
}
export interface ListSessionsResult {
  sessions: SessionSummary[];
  nextPage?: string;
  /**
   * Total sessions in the store (matching the filter): asked `withTotal`, on the first page of a
   * store that counts without reading each session: never a cache, nor a filter that must decode
   * every session, nor a file store filtered by state (each file would be opened).
   */
  total?: number;
  /** With a filter: the stored sessions read for this page, more than it shows when some did not match. */
  scanned?: number;
}
export const ListSessionsRequest = new RequestType<ListSessionsParams, ListSessionsResult, StoreErrorData | undefined>('djangoSessions/listSessions');

/** A decoded value as an expandable tree node. */
export interface ValueNode {
  label: string;
  /** Python type name, e.g. "str", "dict". */
  type: string;
  /** One-line Python repr, shortened. */
  preview: string;
  children?: ValueNode[];
  /**
   * For a session's top-level values: the value as Python's json.dumps writes it, or where JSON
   * cannot hold it (a pickled datetime, Decimal or set) the JSON string of its Python repr, so
   * Remove Value can name what the view showed of any value (see SessionEdit's `expected`).
   */
  json?: string;
  /**
   * For a session's top-level values: true when `json` is the value exactly, so Edit Value can offer
   * it. Absent for a tuple or a dict with keys other than str (in pickled sessions), which `json`
   * shows as a list and str keys, and for values JSON cannot hold at all.
   */
  editable?: boolean;
  /**
   * For a session's top-level values under a str key (all of them but in pickled sessions): the
   * key, which Edit Value and Remove Value name. Absent on the "… more not shown" row.
   */
  key?: string;
}

export interface SessionDetail extends SessionSummary {
  data: ValueNode[];
  /** Whether the signed data was zlib-compressed (a leading "." in Django's format). */
  compressed?: boolean;
  /** ISO 8601 UTC: when Django signed the data, from the TimestampSigner's timestamp. */
  signedAt?: string;
}

export interface GetSessionParams {
  storeId: string;
  ref: string;
  maskKeys: boolean;
  /** cached_db: the data Django serves from the cache (a *Cache out of sync* row) instead of the row's. */
  cacheDrift?: boolean;
}
export interface GetSessionResult {
  /** Absent when the session no longer exists, or when `unlisted`. */
  session?: SessionDetail;
  /**
   * The server no longer holds the ref: its store changed, or so many rows were listed since
   * that it was forgotten. The session may still exist; listing the store again gives a new ref.
   */
  unlisted?: true;
}
export const GetSessionRequest = new RequestType<GetSessionParams, GetSessionResult, StoreErrorData | undefined>('djangoSessions/getSession');

export type SessionDocumentParams = GetSessionParams;
export interface SessionDocumentResult {
  /**
   * The whole session as a JSONC document: comment lines saying what it is (for an editable
   * session, the stored version it shows, which a save sends back as part of the text), then its
   * data as `json.dumps(data, indent=2)` writes it. Absent when the session no longer exists, or
   * when `unlisted`.
   */
  text?: string;
  /** The data can be edited as JSON and saved: it decodes, its signature holds and every value is plain JSON. */
  editable?: boolean;
  /** As in GetSessionResult. */
  unlisted?: true;
}
/** One session, whole, for the editor to show as a document; nothing is cut, unlike a ValueNode tree. */
export const SessionDocumentRequest = new RequestType<SessionDocumentParams, SessionDocumentResult, StoreErrorData | undefined>('djangoSessions/sessionDocument');

export interface DecodeCookieParams {
  storeId: string;
  /** The session cookie's value, as the browser's developer tools show it. */
  value: string;
}
export type DecodeCookieResult =
  /** signed_cookies: the decoded cookie as a read-only JSONC document, or why the project's Django would not take it. */
  | { text: string }
  /** Any other engine: the session the cookie's key names, to open as a document. */
  | { session: { ref: string; maskedKey: string } };
/**
 * Reads a session cookie as the store's Django does: a signed_cookies cookie is decoded with the
 * store's keys, salt, serializer and SESSION_COOKIE_AGE; any other engine's holds the session key,
 * whose session is looked up (not-found when the store has none under it).
 */
export const DecodeCookieRequest = new RequestType<DecodeCookieParams, DecodeCookieResult, StoreErrorData | undefined>('djangoSessions/decodeCookie');

export interface SaveSessionDocumentParams {
  storeId: string;
  ref: string;
  /** The edited document: its `//` header, whose `// version` line it was read with, then the session data as a JSON object. */
  text: string;
}
/**
 * Writes an edited session document back, in place of the session's data. Refused, with nothing
 * written, when the session changed since the version its text names was read (a conflict:
 * revert the document), cannot be edited as JSON, the text is not a JSON object, or its
 * `_session_expiry` is a value Django would fail on.
 */
export const SaveSessionDocumentRequest = new RequestType<SaveSessionDocumentParams, void, StoreErrorData | undefined>('djangoSessions/saveSessionDocument');

export interface CheckSessionDocumentParams {
  storeId: string;
  /** The document's text as the editor holds it now, saved or not. */
  text: string;
}
export interface CheckSessionDocumentResult {
  /**
   * The first mistake a save of this text would be refused for before the session is read (the
   * text is not one JSON object below its `//` header, the `// version` line is gone, a
   * `_session_expiry` the store's Django would fail on), worded as the save's refusal without its
   * word that nothing was written. Absent when the text has none.
   */
  mistake?: { message: string; range: Range };
}
/** Asked as a session document is edited, so the editor marks what its save would refuse before it is saved. */
export const CheckSessionDocumentRequest = new RequestType<CheckSessionDocumentParams, CheckSessionDocumentResult, StoreErrorData | undefined>('djangoSessions/checkSessionDocument');

/** How to change a session's expiry, mirroring `set_expiry()` plus expiring it now. */
export type ExpiryChoice =
  | { kind: 'seconds'; seconds: number }
  | { kind: 'at'; iso: string }
  | { kind: 'browser-close' }
  | { kind: 'default' }
  | { kind: 'now' };

/** One change to one session. Every change re-reads the session and refuses if Django wrote to it meanwhile. */
export type SessionEdit =
  | { kind: 'flush' }
  | { kind: 'clear' }
  | { kind: 'cycleKey' }
  | { kind: 'setExpiry'; expiry: ExpiryChoice }
  /**
   * `expected`: the value as the view showed it (its `json`); the change is refused as a conflict,
   * with nothing written, when Django has changed or removed it since. Absent: no such check.
   */
  | { kind: 'deleteValue'; key: string; expected?: string }
  | { kind: 'setValue'; key: string; json: string; expected?: string }
  /** cached_db: drops only the cache entry, so Django serves the row again (or nothing, without one). */
  | { kind: 'invalidateCache' };

export interface EditSessionParams {
  storeId: string;
  ref: string;
  edit: SessionEdit;
}
/** After a cycled key, the session under its new key, to name it; nothing after any other change. */
export interface EditSessionResult {
  cycled?: { ref: string; maskedKey: string };
}

export interface CheckValueParams {
  /** A value as the user types it into Edit Value's input box. */
  json: string;
}
export interface CheckValueResult {
  /** The server reads it as it reads a setValue edit's `json`: as Python's json.loads does. */
  valid: boolean;
}
/** Asked on each keystroke of Edit Value, so the input box refuses what saving it would. */
export const CheckValueRequest = new RequestType<CheckValueParams, CheckValueResult, void>('djangoSessions/checkValue');

/**
 * The view lists the store again after a change, since a change can reorder it (expiry), move
 * the session to a new ref (cycled key) or change its count (flush).
 */
export const EditSessionRequest = new RequestType<EditSessionParams, EditSessionResult, StoreErrorData | undefined>('djangoSessions/editSession');

/**
 * A whole-store deletion: expired sessions (as `clearsessions`), or every session of one user.
 * The server reports progress on the client's `workDoneToken`, and stops when the request is cancelled.
 */
export interface BulkDeleteParams extends WorkDoneProgressParams {
  storeId: string;
  /** Absent: delete expired sessions. */
  userId?: string;
}
export interface BulkDeleteResult {
  deleted: number;
  /** True when the user cancelled; `deleted` is then the count so far. */
  cancelled: boolean;
  /** Logging out: sessions whose data does not decode, so whether they are the user's is unknown. */
  undecodable?: number;
}
export const BulkDeleteRequest = new RequestType<BulkDeleteParams, BulkDeleteResult, StoreErrorData | undefined>('djangoSessions/bulkDelete');

/**
 * How many sessions logging `userId` out everywhere would delete now, asked before the view
 * confirms it. Each session must be decoded to find its user, so the server reads the store for
 * a few seconds at most, reporting progress on the client's `workDoneToken`, and stops when the
 * request is cancelled.
 */
export interface CountUserSessionsParams extends WorkDoneProgressParams {
  storeId: string;
  userId: string;
}
export interface CountUserSessionsResult {
  /** The sessions a bulkDelete of this user would delete; absent when the store could not be read to its end in time. */
  sessions?: number;
  /** With `sessions`: how many of them have expired (absent when none): deleted too, though they log no one in. */
  expired?: number;
  /** With `sessions`: sessions whose data does not decode, so whether they are the user's is unknown (a logout leaves them). */
  undecodable?: number;
}
export const CountUserSessionsRequest = new RequestType<CountUserSessionsParams, CountUserSessionsResult, StoreErrorData | undefined>('djangoSessions/countUserSessions');

/** Sent once the server has indexed the workspace and discovered its stores. */
export interface ServerReadyParams {
  stores: number;
  indexedFiles: number;
}
export const ServerReadyNotification = new NotificationType<ServerReadyParams>('djangoSessions/serverReady');

/** Sent when a saved settings file, manage.py or .env may have changed which stores the project uses. */
export const StoresChangedNotification = new NotificationType0('djangoSessions/storesChanged');

/** Which stores' sessions changed on disk, outside the view's own actions (see SessionsChangedNotification). */
export interface SessionsChangedParams {
  storeIds: string[];
}
/**
 * Sent when Django (or anyone) changed the sessions of a store kept in local files: an SQLite
 * database or a file engine's directory. The view lists those stores again.
 */
export const SessionsChangedNotification = new NotificationType<SessionsChangedParams>('djangoSessions/sessionsChanged');

/** Sent when the workspace is trusted after start-up, so the server may open stores. */
export interface WorkspaceTrustedParams {
  trusted: boolean;
}
export const WorkspaceTrustedNotification = new NotificationType<WorkspaceTrustedParams>('djangoSessions/workspaceTrusted');

/** The extension settings the server acts on, sent at start and on every change. */
export interface ServerSettings {
  /** `djangoSessions.store.url`: a store to use instead of discovery. */
  storeUrl: string;
  /**
   * `djangoSessions.project.settingsModule` of each workspace folder that sets it, by the folder's
   * URI: the setting is per folder, so each folder's projects read their own, and a folder
   * missing here finds its settings as manage.py names them.
   */
  settingsModules: Record<string, string>;
}

/**
 * The environment variable in which the client hands the server process a random key (base64, 32
 * bytes) when it starts it. Passwords cross the protocol sealed with that key, because a protocol
 * trace (`djangoSessions.trace.server`) writes every message to the log; a spawn environment is never traced.
 */
export const PASSWORD_KEY_VARIABLE = 'DJANGO_SESSIONS_PASSWORD_KEY';

/**
 * The environment variable in which the client hands the server process the key (base64, 32
 * bytes) that sessions' refs are made under. The client keeps one per workspace, so the refs of a
 * server started again (a window reloaded, a crashed server restarted) name the same sessions:
 * a session document VS Code restores still opens, and saves, once the view has listed its session.
 */
export const REF_KEY_VARIABLE = 'DJANGO_SESSIONS_REF_KEY';

/** One password from VS Code's secret storage: for the store at `location`, in place of `$variable`. */
export interface StorePassword {
  variable: string;
  /** The store's `StoreInfo.location`; the password is used for that store only. */
  location: string;
  /**
   * The password, AES-256-GCM under the key in `PASSWORD_KEY_VARIABLE`: base64url of the 12-byte IV,
   * the 16-byte tag and the ciphertext, with `variable` NUL `location` as additional data so a sealed
   * password opens for its own store only.
   */
  sealed: string;
}

/** Sent at start (in a trusted workspace) and whenever the user changes a password; held in memory only. */
export interface StorePasswordsParams {
  passwords: StorePassword[];
}
export const StorePasswordsNotification = new NotificationType<StorePasswordsParams>('djangoSessions/storePasswords');

/** What the client passes when it starts the server. */
export interface InitializationOptions {
  trusted: boolean;
  settings: ServerSettings;
}

/** Sent by the client when a setting in `ServerSettings` changes. */
export const SettingsChangedNotification = new NotificationType<ServerSettings>('djangoSessions/settingsChanged');

export interface KeyReferencesParams {
  /** A session's top-level key, as the Sessions view shows it (ValueNode's `key`). */
  key: string;
}
export interface KeyReferencesResult {
  /** Every read and write of the key in the workspace's Python code and templates, and the constants naming it: Find References' places for it. */
  locations: Location[];
  /** What Django or a third-party app uses the key for, one plain sentence each; empty for the project's own keys. */
  usedBy: string[];
}
/** The code behind a session's value: where the workspace reads and writes its key (the view's Find Key in Code). */
export const KeyReferencesRequest = new RequestType<KeyReferencesParams, KeyReferencesResult, void>('djangoSessions/keyReferences');

export interface KeyAtResult {
  /** The session key whose access is under the position; absent where there is none, or its key is computed at run time. */
  key?: string;
}
/** The session key under the cursor in a Python file or template, for the editor's Show Sessions Holding Key. */
export const KeyAtRequest = new RequestType<TextDocumentPositionParams, KeyAtResult, void>('djangoSessions/keyAt');

/**
 * The client's command that focuses the Sessions view filtered to the sessions holding a key, its
 * one argument; the server's hovers link to it (see showSessionsLink).
 */
export const SHOW_SESSIONS_WITH_KEY_COMMAND = 'djangoSessions.showSessionsWithKey';
