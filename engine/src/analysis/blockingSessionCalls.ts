import type { Node } from 'web-tree-sitter';
import type { AccessFix } from './asyncAccessFix';
import { isRequestSession } from './lookalikeSessions';
import { nodeRange, type Range } from './range';

/**
 * When a call queries the database, which Django refuses in an async context: `loaded`, as
 * loading the session does under cached_db, when the cache misses; `unlessCached`, whenever the
 * session is not in the cache, so on every request without a session cookie too (cached_db's
 * `load()` and `exists()`: a request without one has no key, and finding one is a query);
 * `withCookie`, for a request that brings a session cookie (loading it under db, or deleting it);
 * `always`, on every request.
 */
export type BlockingWhen = 'loaded' | 'unlessCached' | 'withCookie' | 'always';

/** When a call queries, by engine; `loads` where what it queries for is the session's data (what cached_db may find in its cache). */
export interface BlockingEngines {
  db: BlockingWhen;
  cached_db: BlockingWhen;
  loads?: true;
}

const LOADS: BlockingEngines = { db: 'withCookie', cached_db: 'loaded', loads: true };
const WITH_COOKIE: BlockingEngines = { db: 'withCookie', cached_db: 'withCookie' };
const ALWAYS: BlockingEngines = { db: 'always', cached_db: 'always' };

/**
 * The session methods that take no key but query the database, and when, as
 * real Django 3.2 and 5.2 show (test/interop/blockingSessionAccess.test.ts); each has an async
 * twin from Django 5.1, named with an `a` before it. `clear()` and `is_empty()` load nothing.
 */
const BLOCKING_METHODS: Record<string, BlockingEngines> = {
  keys: LOADS,
  values: LOADS,
  items: LOADS,
  set_expiry: LOADS,
  get_expiry_age: LOADS,
  get_expiry_date: LOADS,
  get_expire_at_browser_close: LOADS,
  set_test_cookie: LOADS,
  test_cookie_worked: LOADS,
  delete_test_cookie: LOADS,
  // Under db even without a key: it looks up a session keyed None.
  load: { db: 'always', cached_db: 'unlessCached', loads: true },
  flush: WITH_COOKIE,
  delete: WITH_COOKIE,
  cycle_key: ALWAYS,
  save: ALWAYS,
  create: ALWAYS,
  exists: { db: 'always', cached_db: 'unlessCached' },
  clear_expired: ALWAYS,
};

/** A call of one of those methods on a request's session, or on Channels' `scope["session"]`. */
export interface BlockingCall {
  method: string;
  /** The whole call, `request.session.flush()`. */
  range: Range;
  /** When it queries, by engine. */
  when: BlockingEngines;
  /** Set where the call is directly in an `async def` (not in a lambda there); see markEnclosingFunctions. */
  inAsyncFunction?: true;
  /** Its rewrite as the awaited async twin (see markAsyncCallFixes). */
  asyncFix?: AccessFix;
}

/**
 * The blocking call `method(args)` on `receiver` makes, if it does: only on `request.session`,
 * `self.request.session` or Channels' `scope["session"]`, since `flush()`, `delete()` and
 * `save()` are as much an ORM session's or an HTTP client's. `get_expiry_age(expiry=…)` and `get_expiry_date(expiry=…)` load nothing;
 * `delete(key)` deletes that key's session whether or not the request brought one.
 */
export function blockingCall(receiver: Node, method: string, args: Node): BlockingCall | undefined {
  const when = BLOCKING_METHODS[method];
  if (!when || !(isRequestSession(receiver) || isScopeSession(receiver)) || args.parent?.type !== 'call') {
    return undefined;
  }
  const given = args.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
  if (method.startsWith('get_expiry_') && given.some((arg) => arg.type === 'dictionary_splat' || (arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === 'expiry'))) {
    return undefined;
  }
  return { method, range: nodeRange(args.parent), when: method === 'delete' && given.length > 0 ? ALWAYS : when };
}

/** `scope["session"]` or `self.scope["session"]`, which Channels' SessionMiddleware fills with Django's session. */
function isScopeSession(receiver: Node): boolean {
  const owner = receiver.type === 'subscript' ? receiver.childForFieldName('value') : null;
  const name = owner?.type === 'attribute' ? owner.childForFieldName('attribute') : owner;
  return name?.type === 'identifier' && name.text === 'scope';
}
