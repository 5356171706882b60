import { SHOW_SESSIONS_WITH_KEY_COMMAND } from '../../server/src/protocol';

/**
 * Every command, view and setting id the extension uses, in one vscode-free module so a unit test
 * can check them against package.json in both directions. Code never spells these ids elsewhere.
 */
export const Commands = {
  refreshSessions: 'djangoSessions.refreshSessions',
  showLog: 'djangoSessions.showLog',
  openSettings: 'djangoSessions.openSettings',
  setStorePassword: 'djangoSessions.setStorePassword',
  forgetStorePasswords: 'djangoSessions.forgetStorePasswords',
  flushSession: 'djangoSessions.flushSession',
  clearSession: 'djangoSessions.clearSession',
  expireSession: 'djangoSessions.expireSession',
  setSessionExpiry: 'djangoSessions.setSessionExpiry',
  cycleSessionKey: 'djangoSessions.cycleSessionKey',
  editSessionValue: 'djangoSessions.editSessionValue',
  deleteSessionValue: 'djangoSessions.deleteSessionValue',
  clearExpiredSessions: 'djangoSessions.clearExpiredSessions',
  logoutUser: 'djangoSessions.logoutUser',
  invalidateCacheEntry: 'djangoSessions.invalidateCacheEntry',
  openStoreSource: 'djangoSessions.openStoreSource',
  openSession: 'djangoSessions.openSession',
  filterSessions: 'djangoSessions.filterSessions',
  clearSessionFilter: 'djangoSessions.clearSessionFilter',
  restartServer: 'djangoSessions.restartServer',
  decodeSessionCookie: 'djangoSessions.decodeSessionCookie',
  findKeyInCode: 'djangoSessions.findKeyInCode',
  /** The server's hovers link to it, so the server's protocol names it. */
  showSessionsWithKey: SHOW_SESSIONS_WITH_KEY_COMMAND,
} as const;

/**
 * The start of the ids of the view's Load more commands, one per listing, registered at run time
 * and never in the palette (see LoadMoreCommands).
 */
export const LOAD_MORE_COMMAND_PREFIX = 'djangoSessions.loadMoreSessions.';

export const Views = {
  sessions: 'djangoSessions.sessionsView',
} as const;

/** The command VS Code makes for the Sessions view, which its Command Palette offers as Focus on Sessions View. */
export const FOCUS_SESSIONS_VIEW = `${Views.sessions}.focus`;

export const ViewContainers = {
  sessions: 'djangoSessions',
} as const;

export const Settings = {
  storeUrl: 'djangoSessions.store.url',
  settingsModule: 'djangoSessions.project.settingsModule',
  pageSize: 'djangoSessions.view.pageSize',
  maskKeys: 'djangoSessions.view.maskKeys',
  confirmChanges: 'djangoSessions.view.confirmChanges',
  autoRefresh: 'djangoSessions.view.autoRefresh',
  traceServer: 'djangoSessions.trace.server',
} as const;

/** Status-bar item ids (users can hide items by id). */
export const StatusBarItems = {
  store: 'djangoSessions.store',
} as const;

/** Keys under which the extension keeps data: secret names in SecretStorage, and global and workspace state. */
export const StorageKeys = {
  passwordSecretPrefix: 'djangoSessions.password.',
  passwordVariables: 'djangoSessions.passwordVariables',
  refKey: 'djangoSessions.refKey',
} as const;

/** URI schemes of the documents the extension provides. */
export const DocumentSchemes = {
  session: 'django-session',
  cookie: 'django-session-cookie',
} as const;

/** Languages package.json declares, which the extension gives its documents. */
export const Languages = {
  session: 'django-session',
} as const;

/** VS Code's own commands that the extension runs. */
export const BuiltinCommands = {
  open: 'vscode.open',
  diff: 'vscode.diff',
  showReferences: 'editor.action.showReferences',
} as const;

/** Context keys used in package.json `when` clauses. */
export const ContextKeys = {
  storeState: 'djangoSessions.storeState',
  filtered: 'djangoSessions.filtered',
  /** Some store is cached_db with a cache this extension reads, the only kind Drop Cache Entry applies to. */
  cacheDrift: 'djangoSessions.cacheDrift',
  /** Some store keeps sessions the view lists (not signed_cookies): where Show Sessions Holding Key has sessions to show. */
  listsSessions: 'djangoSessions.listsSessions',
} as const;

/** The language client's id; VS Code derives the `<id>.trace.server` setting from it. */
export const LANGUAGE_CLIENT_ID = 'djangoSessions';
