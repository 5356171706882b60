/**
 * The session engine's public surface. Everything outside engine/ imports from here only, so the
 * server, the CLI and tests share one view of Django's formats, stores and project analysis.
 */
export * from './codec';
export * from './keyMask';
export { STOPPING_SIGNALS } from './stoppingSignals';
export * from './stores/storeDescriptor';
export * from './stores/storeError';
export * from './stores/sessionStore';
export { loggedInUserId, needsDecoding } from './stores/sessionFilter';
export * from './stores/storeUrl';
export { refuseClearWithAssumedTime } from './stores/assumedTimeRefusals';
export { assumedTimeSettingsNote } from './stores/urlTimeSettings';
export { assumedCookieAgeNote } from './stores/assumedCookieAge';
export { unloadedEnvNote, unloadedKeyHint } from './stores/unloadedEnvNote';
export { undecodableOutcome, verifiedUndecodableOutcome } from './stores/undecodableSession';
export * from './stores/openStore';
export * from './stores/djangoDatetime';
export * from './stores/signedCookie';
export { expiryDateOf, expiryValueProblem, refuseBadExpiryValue } from './stores/sessionExpiry';
export type { SqliteDriverChoice } from './stores/sqlite/sqliteSessionStore';
export { CachedDbSessionStore } from './stores/cachedDb/cachedDbSessionStore';
export { otherKeyPrefixNote } from './stores/cache/otherKeyPrefix';
export { noCacheBesideTable, readsTableOnly, tableOnlyCache, TableOnlyCachedDbStore, tableOnlyRefusal } from './stores/cachedDb/tableOnlyCachedDbStore';
export * from './project';
export * from './analysis';
export * from './wellKnownKeys';
export * from './session';
export * from './sessionKeys';
export * from './stores/passwordVariables';
export * from './stores/storeLocation';
export * from './stores/isLocalStore';
export { StoreChangeWatch } from './stores/storeChangeWatch';
export { deepestWithin, isWithin, outermostWithin } from './pathWithin';
