import type { Node } from 'web-tree-sitter';
import type { AccessFix } from './asyncAccessFix';
import { keyExpression, loopCompositions, type KeyExpression } from './keyExpression';
import { type KeySpelling, literalSpelling } from './keySpelling';
import type { LocalBindings } from './localBindings';
import { savesChange, type SavePoint } from './changeSaved';
import { callsPassingAfter, sessionSaver, type OwnerPassingCall, type SessionSaver } from './sessionSavers';
import { heldLocal, inPlaceChange, localChanges, MUTATING_METHODS, redoneAlike } from './localChanges';
import { isRequestSession } from './lookalikeSessions';
import { byStart, nodeRange, type Position, type Range } from './range';
import type { Captures } from './receiverMatches';
import type { Scopes } from './scopes';
import { isCleanupRead } from './sessionCleanup';
import { isKeyCheckGuarded, type SessionText } from './keyCheckGuard';
import type { SessionOp } from './sessionKeyUsage';
import { nonJsonParts, nonJsonValueKind } from './storedValueKind';
import { isPlainlyStr } from './strExpression';
import { testClientChanges, type TestClientChange } from './testClientSession';
import { createResultUse, type CreateResultUse } from './createResult';
import { discardingCall, mayCallDiscard, type DiscardingCall } from './discardedWrites';
import { blockingCall, type BlockingCall } from './blockingSessionCalls';

/** A file that may change a test client's session: it says `client.session`, or makes a client under another name (see testClientChanges). */
const CLIENT_SESSION = /client\s*\.\s*session\b|Client\s*\(|client_class\s*\(/;

/** One session access in a file, its key not yet resolved across modules. */
export interface SessionAccess {
  key: KeyExpression;
  op: SessionOp;
  range: Range;
  /** The key expression as written, e.g. `"cart"`, so fixes keep its quotes. */
  keyText?: string;
  /** The literal (or keyword) that spells the key, when it is not a constant's: here, or where a local variable got it. */
  spelling?: KeySpelling;
  /** Set on a read that only serves to remove the key (see isCleanupRead), which DS101 and DS102 do not count as a read. */
  cleanup?: true;
  /** Set on a change to a test client's session property, which nothing saves (see testClientChanges): no write for DS101. */
  unsaved?: true;
  /** Set on a `pop(k)` given no default, which raises KeyError where the key is missing, as a subscript read does. */
  noDefault?: true;
  /** Set on an access that raises KeyError where the key is missing (a subscript read, `del`, `pop(k)`) that an `in` check of the key plainly guards (see isKeyCheckGuarded). */
  guarded?: true;
  /** For an access through a helper's `session` parameter: the helper, and where a call fills that parameter (see sessionParameterOf). */
  through?: SessionParameter;
  /** On a write: the line (0-based) of the `def` of the innermost function around it, absent at module level; rules that judge a function's writes together group by it (see markEnclosingFunctions). */
  fn?: number;
  /** Set on an access through one of the async methods (`aget`, `aset`, …), which load the session without blocking. */
  asyncMethod?: true;
  /** Set on an access by any other operation directly in an `async def` (not in a lambda there), where loading the session blocks the event loop (see markEnclosingFunctions, markAsyncFixes). */
  inAsyncFunction?: true;
  /** On such an access: its rewrite with an async method, where one keeps what the code does (see markAsyncFixes). */
  asyncFix?: AccessFix;
}

/** A function's `session` parameter, as calls fill it: by position (after `self`/`cls`) and, unless before a `/`, by keyword. */
export interface SessionParameter {
  fn: string;
  position?: number;
  keyword: boolean;
}

/** A call that hands a session on: `set_session_token(request.session, token)` (GeoNode). */
export interface SessionPassed {
  /** The called function's or method's own name. */
  callee: string;
  position?: number;
  keyword?: string;
}

/** A value stored under a key that JSONSerializer cannot encode. */
export interface StoredValue {
  key: KeyExpression;
  kind: string;
  range: Range;
  /** The value's source text, for the quick fix that converts it. */
  text: string;
  /** The container literal the value is in, when it is not the stored value itself (`{"at": now()}`). */
  inside?: string;
  /** As an access's: stored through a helper's `session` parameter, which a call may fill with a session. */
  through?: SessionParameter;
}

/** An in-place change to a stored value that Django will not notice. */
interface UnmarkedMutation {
  key: KeyExpression;
  range: Range;
  /** The session expression, e.g. `request.session`, for the `modified = True` fix. */
  receiver: string;
  /**
   * The end of the statement's last line, where the fix inserts a line of its own (so a file
   * without a final newline is fixed too), and the line break the file uses; or, where another
   * statement follows on that line after a `;` (`items.append(1); return`), the statement's own
   * end, where the fix goes before that one (`inline`).
   */
  lineEnd: { at: Position; eol: string; inline?: true };
  /** The statement's indentation; none (and no fix) when it follows a header on its line (`if x: items.append(1)`). */
  indent?: string;
  /** Calls after the change that pass the session's owner (`save_cart(request)`): a function of the project that saves the session saves the change. */
  laterCalls?: OwnerPassingCall[];
  /**
   * Set where the change stores a value JSONSerializer cannot encode (Sentry's `data["exp"] =
   * datetime…`): saving it would raise, so under JSON the value (DS103) is the problem, not the save.
   */
  storesNonJson?: true;
}

/** Facts about one file's session code that the lint rules need. */
export interface SessionFacts {
  accesses: SessionAccess[];
  nonJsonValues: StoredValue[];
  /**
   * `session['k']['n'] = …`, `session['k'].append(…)`, `session.setdefault('k', []).append(…)`,
   * or `items.append(…)` after `items = session.get('k', [])`, that nothing in the function saves
   * (see savesChange), nor `modified` set in another method of the class.
   */
  unmarkedMutations: UnmarkedMutation[];
  /**
   * `set_expiry(x)` calls whose argument is plainly not an int, datetime, timedelta or None;
   * and, with `absolute`, those given a datetime or timedelta, which Django before 4.1 stores as
   * it is (JSONSerializer then fails on save), so the rules judge them by the project's version.
   */
  badExpiryCalls: { argumentKind: string; range: Range; text: string; absolute?: boolean }[];
  /** Calls that pass the session as an argument; absent when none. */
  passedTo?: SessionPassed[];
  /** Changes made straight on a test client's `session` property, which are lost (see testClientChanges); absent when none. */
  testClientChanges?: TestClientChange[];
  /** The module-level functions that set `modified` on, or save, the session of a parameter; absent when none do. */
  sessionSavers?: SessionSaver[];
  /** Uses of the None that `create()` returns (see createResultUse); absent when none. */
  createResults?: CreateResultUse[];
  /** Writes that a later call in the function throws away (see discardingCall); absent when none. */
  discardedWrites?: { key: KeyExpression; range: Range; by: DiscardingCall }[];
  /** Calls of a request's session (or Channels' `scope["session"]`) that take no key but query the database (see blockingCall); absent when none. */
  blockingCalls?: BlockingCall[];
}

/** A local bound straight from a read of a stored value: `items = session.get('items', [])`. */
interface BoundRead {
  key: KeyExpression;
  local: Node;
  receiver: Node;
}

/** Django 5.1's methods that load the session without blocking the event loop. */
const ASYNC_METHODS = new Set(['aget', 'aset', 'apop', 'asetdefault', 'ahas_key', 'aupdate']);

const METHOD_OPS: Record<string, SessionOp> = {
  get: 'get', aget: 'get', pop: 'pop', apop: 'pop', setdefault: 'setdefault', asetdefault: 'setdefault',
  aset: 'set', has_key: 'contains', ahas_key: 'contains', update: 'update', aupdate: 'update',
  // python-social-auth's strategy, whose Django one keeps these in request.session (see helperSessionAccesses).
  session_get: 'get', session_set: 'set', session_pop: 'pop', session_setdefault: 'setdefault',
};

/**
 * Turns the session matches of a file (`.session` receivers and the aliases in force, see
 * receiverMatches and sessionAliases) into accesses and lint facts. `source.aliasOrigins` gives,
 * by an alias use's offset, the session its binding names, so a call through
 * `s = request.session` is judged as one on `request.session` is (see blockingCall).
 */
export function sessionFacts(matches: Captures[], scopes: Scopes, locals: LocalBindings, source: { root: Node; text: string; aliasOrigins?: ReadonlyMap<number, Node> }): SessionFacts {
  const facts: SessionFacts = { accesses: [], nonJsonValues: [], unmarkedMutations: [], badExpiryCalls: [] };
  const written = new Set<number>();
  const reads: Node[] = [];
  /** Each scope's `modified = …` and `save()` calls, by scope id. */
  const marksIn = new Map<number, SavePoint[]>();
  /** Classes one of whose methods sets `self.….modified`, with those methods' scope ids: a Cart's `save()` helper marks every other method's change. */
  const markedClasses = new Map<string, Set<number>>();
  const mutations: Mutation[] = [];
  const boundReads: BoundRead[] = [];
  /**
   * The receivers of each scope's writes and deletes, of any key (`setdefault` and `pop` may not
   * write): Django's `__setitem__`, `__delitem__` and `update` set `modified` on the whole
   * session, so any of them saves a change made in place to another key's value, as savesChange tells.
   */
  const writesIn = new Map<number, SavePoint[]>();
  const storedBy = (receiver: Node, first: number) => {
    for (let i = first; i < facts.accesses.length; i++) {
      const access = facts.accesses[i]!;
      if (access.op === 'set' || access.op === 'update' || access.op === 'delete') {
        pushTo(writesIn, scopes.scopeId(receiver), { node: receiver, savesNow: false });
        markedByInit(receiver);
      }
    }
  };
  /** A write in `__init__` marks the session before any other method of the instance runs (Misago's Messages), as `modified = True` there does. */
  const markedByInit = (receiver: Node) => {
    const className = receiver.text.startsWith('self.') && scopes.functionsAround(receiver)[0]?.childForFieldName('name')?.text === '__init__' ? scopes.classNameOf(receiver) : undefined;
    if (className) {
      markedClasses.set(className, (markedClasses.get(className) ?? new Set()).add(scopes.scopeId(receiver)));
    }
  };
  const marks = (receiver: Node, savesNow: boolean) => {
    const scope = scopes.scopeId(receiver);
    pushTo(marksIn, scope, { node: receiver, savesNow });
    const saver = sessionSaver(receiver, scopes);
    if (saver) {
      (facts.sessionSavers ??= []).push(saver);
    }
    const className = receiver.text.startsWith('self.') ? scopes.classNameOf(receiver) : undefined;
    if (className) {
      markedClasses.set(className, (markedClasses.get(className) ?? new Set()).add(scope));
    }
  };
  /** Whether Django saves the change a statement makes in place to a session value. */
  const isSaved = (statement: Node, receiver: Node) => {
    const scope = scopes.scopeId(statement);
    const points = [...(marksIn.get(scope) ?? []), ...(writesIn.get(scope) ?? [])];
    if (points.some((point) => savesChange(point, statement))) {
      return true;
    }
    // A receiver's text is a call into WASM: read only when some class is marked at all.
    if (markedClasses.size === 0) {
      return false;
    }
    const className = receiver.text.startsWith('self.') ? scopes.classNameOf(receiver) : undefined;
    const markingMethods = className === undefined ? undefined : markedClasses.get(className);
    return markingMethods !== undefined && [...markingMethods].some((method) => method !== scope);
  };
  // A guard through an alias (`if 'k' in s:` of `s = request.session`) checks the session the alias stands for.
  const sessionText: SessionText = (node) => (source.aliasOrigins?.get(node.startIndex) ?? node).text;
  const usesClientSession = CLIENT_SESSION.test(source.text);
  // Most files call nothing that throws a session away: they skip the walk after each write.
  const mayDiscard = mayCallDiscard(source.text);
  for (const captures of matches) {
    const receiver = captures.get('receiver');
    if (!receiver) {
      continue;
    }
    const setKey = captures.get('set.key');
    const deleteKey = captures.get('delete.key');
    const first = facts.accesses.length;
    if (setKey) {
      written.add(setKey.id);
      const key = keyExpression(setKey, locals, scopes);
      if (captures.has('set.augmented')) {
        facts.accesses.push(...markGuarded(keyAccesses(setKey, key, 'read', locals, scopes), setKey.parent, setKey, receiver, sessionText));
      }
      facts.accesses.push(...keyAccesses(setKey, key, 'set', locals, scopes));
      const value = captures.get('set.value');
      storedValue(facts, key, value, locals);
    } else if (deleteKey) {
      written.add(deleteKey.id);
      facts.accesses.push(...markGuarded(keyAccesses(deleteKey, keyExpression(deleteKey, locals, scopes), 'delete', locals, scopes), deleteKey.parent, deleteKey, receiver, sessionText));
    } else if (captures.has('read.key')) {
      reads.push(captures.get('read.key')!);
    } else if (captures.has('contains.key')) {
      const keyNode = captures.get('contains.key')!;
      facts.accesses.push(...keyAccesses(keyNode, keyExpression(keyNode, locals, scopes), 'contains', locals, scopes));
      // A loop over literal keys made one access per key (see keyAccesses): each is judged alike.
      facts.accesses.slice(first).forEach((access) => {
        markCleanup(access, keyNode, receiver, source.text);
        if (captures.has('contains.async')) {
          access.asyncMethod = true;
        }
      });
    } else if (captures.has('call.method')) {
      const args = captures.get('call.args')!;
      const method = captures.get('call.method')!.text;
      // An explicit save writes the whole session, changed in place or not (the test-client pattern).
      if (method === 'save' || method === 'asave') {
        marks(receiver, true);
      }
      const created = (method === 'create' || method === 'acreate') && args.namedChildCount === 0 ? createResultUse(args.parent!, receiver, method, source.text) : undefined;
      if (created) {
        (facts.createResults ??= []).push(created);
      }
      const blocking = blockingCall(source.aliasOrigins?.get(receiver.startIndex) ?? receiver, method, args);
      if (blocking) {
        (facts.blockingCalls ??= []).push(blocking);
      }
      const keyNode = readMethodCall(method, args, facts, locals, scopes);
      const made = facts.accesses.slice(first);
      if (ASYNC_METHODS.has(method)) {
        made.forEach((access) => (access.asyncMethod = true));
      }
      if (keyNode) {
        made.forEach((access) => markCleanup(access, keyNode, receiver, source.text));
        markGuarded(made, keyNode.parent?.parent ?? null, keyNode, receiver, sessionText);
      }
      const local = captures.get('bound.name');
      if (local) {
        made.forEach((access) => boundReads.push({ key: access.key, local, receiver }));
      }
      // `session.setdefault(k, []).append(x)` changes the stored value in place, unless the key was
      // missing; `session.get(k, []).append(x)` too where the key is there, and else changes only the default.
      const change = (method === 'setdefault' || method === 'get') && made.length > 0 ? inPlaceChange(args.parent!) : undefined;
      if (change) {
        made.forEach((access) => mutations.push({ key: access.key, target: change.target, statement: change.statement, receiver }));
      }
    } else if (captures.has('passed.args')) {
      const passed = sessionPassed(receiver, captures.get('passed.args')!);
      if (passed) {
        (facts.passedTo ??= []).push(passed);
      }
    } else if (captures.has('bound.key')) {
      boundReads.push({ key: keyExpression(captures.get('bound.key')!, locals, scopes), local: captures.get('bound.name')!, receiver });
    } else if (captures.has('modified')) {
      marks(receiver, false);
    } else if (captures.has('mutation')) {
      const method = captures.get('mutation.method');
      if (method === undefined || (MUTATING_METHODS.has(method.text) && !redoneAlike(method.text, method.parent?.parent ?? null))) {
        const key = keyExpression(captures.get('mutation.key')!, locals, scopes);
        mutations.push({ key, target: captures.get('mutation.target')!, statement: captures.get('mutation')!, receiver });
      }
    }
    storedBy(receiver, first);
    const writes = facts.accesses.slice(first).filter((access) => access.op === 'set' || access.op === 'update');
    const discard = mayDiscard && writes.length > 0 ? discardingCall(setKey ?? captures.get('call.args') ?? receiver, receiver, setKey ? captures.get('set.value') : captures.get('call.args')) : undefined;
    if (discard) {
      (facts.discardedWrites ??= []).push(...writes.map((write) => ({ key: write.key, range: write.range, by: discard })));
    }
    const lost = facts.accesses.length > first && usesClientSession ? testClientChanges(receiver, facts.accesses.slice(first), locals, scopes, source.root) : [];
    if (lost.length > 0) {
      (facts.testClientChanges ??= []).push(...lost);
      facts.accesses.slice(first).forEach((access) => {
        if (lost.some((change) => change.range === access.range)) {
          access.unsaved = true;
        }
      });
    }
  }
  for (const keyNode of reads) {
    if (!written.has(keyNode.id)) {
      const key = keyExpression(keyNode, locals, scopes);
      // `for item in request.session["cart"].values():` binds each value held inside to the loop's variable.
      const subscript = keyNode.parent;
      const receiver = subscript?.childForFieldName('value');
      facts.accesses.push(...markGuarded(keyAccesses(keyNode, key, 'read', locals, scopes), subscript, keyNode, receiver ?? null, sessionText));
      const local = subscript ? heldLocal(subscript, locals) : undefined;
      if (local && receiver && local.parent?.type === 'for_statement') {
        boundReads.push({ key, local, receiver });
      }
    }
  }
  // A value an in-place change stores is stored under the key: DS103 judges it as one stored directly.
  const changedTo = (key: KeyExpression, statement: Node): boolean => {
    const assignment = statement.type === 'expression_statement' ? statement.firstNamedChild : statement;
    const value = assignment?.type === 'assignment' ? assignment.childForFieldName('right') : null;
    const before = facts.nonJsonValues.length;
    storedValue(facts, key, value ?? undefined, locals);
    return facts.nonJsonValues.length > before;
  };
  // Saved or not, such a value makes the save raise.
  const judge = (mutation: Mutation): void => {
    const nonJson = changedTo(mutation.key, mutation.statement);
    if (!isSaved(mutation.statement, mutation.receiver)) {
      const found = unmarkedMutation(mutation, source, scopes);
      facts.unmarkedMutations.push(nonJson ? { ...found, storesNonJson: true } : found);
    }
  };
  mutations.forEach(judge);
  for (const bound of boundReads) {
    const changes = localChanges(source.root, source.text, scopes, locals, bound.local);
    for (const change of changes.length > 0 && locals.boundOnce(bound.local) ? changes : []) {
      judge({ key: bound.key, target: change.target, statement: change.statement, receiver: bound.receiver });
    }
  }
  facts.accesses.sort(byStart);
  return facts;
}

/** The call `args` belong to, as one handing `receiver` on: the callee's own name, and the argument's place. */
/** The call a session is an argument of, and where it is passed there; undefined where a splat hides its place. */
export function sessionPassed(receiver: Node, args: Node): SessionPassed | undefined {
  const callee = args.parent?.type === 'call' ? args.parent.childForFieldName('function') : null;
  const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute') : callee;
  if (name?.type !== 'identifier') {
    return undefined;
  }
  let position = 0;
  for (const arg of args.namedChildren) {
    if (!arg || arg.type === 'comment') {
      continue;
    }
    if (arg.type === 'keyword_argument') {
      if (arg.childForFieldName('value')?.id === receiver.id) {
        return { callee: name.text, keyword: arg.childForFieldName('name')?.text ?? '' };
      }
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      return undefined;
    } else if (arg.id === receiver.id) {
      return { callee: name.text, position };
    } else {
      position++;
    }
  }
  return undefined;
}

/** An in-place change of a stored value: `session['k'].append(1)`, or through a local bound to it. */
interface Mutation {
  key: KeyExpression;
  /** What is changed: `session['k']`, or the local's name. */
  target: Node;
  statement: Node;
  receiver: Node;
}

function unmarkedMutation(mutation: Mutation, source: { root: Node; text: string }, scopes: Scopes): UnmarkedMutation {
  const unmarked: UnmarkedMutation = {
    key: mutation.key,
    range: nodeRange(mutation.target),
    receiver: mutation.receiver.text,
    lineEnd: lineEnd(mutation.statement, source.text),
    indent: lineIndent(mutation.statement, source.text),
  };
  const owner = mutation.receiver.type === 'attribute' ? mutation.receiver.childForFieldName('object') : null;
  const calls = owner?.type === 'identifier' || owner?.type === 'attribute' ? callsPassingAfter(owner, mutation.statement, source, scopes) : [];
  return calls.length > 0 ? { ...unmarked, laterCalls: calls } : unmarked;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

/** Where the line a statement ends on ends, before its line break, and the break itself; the statement's end where a `;` and another statement follow it. */
function lineEnd(statement: Node, text: string): { at: Position; eol: string; inline?: true } {
  const newline = text.indexOf('\n', statement.endIndex);
  const end = newline === -1 ? text.length : newline;
  if (/^[ \t]*;[ \t]*[^\s#]/.test(text.slice(statement.endIndex, end))) {
    return { at: { line: statement.endPosition.row, character: statement.endIndex - (text.lastIndexOf('\n', statement.endIndex - 1) + 1) }, eol: '', inline: true };
  }
  const crlf = newline > 0 && text[newline - 1] === '\r';
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  return { at: { line: statement.endPosition.row, character: end - (crlf ? 1 : 0) - lineStart }, eol: crlf || (newline === -1 && text.includes('\r\n')) ? '\r\n' : '\n' };
}

/** The whitespace before a statement on its line, or undefined when something else precedes it there. */
function lineIndent(statement: Node, text: string): string | undefined {
  const lineStart = text.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const before = text.slice(lineStart, statement.startIndex);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** Marks a read that only serves to remove its key (see isCleanupRead). */
function markCleanup(access: SessionAccess, keyNode: Node, receiver: Node, text: string): void {
  if (isCleanupRead(access.op, keyNode, receiver, text)) {
    access.cleanup = true;
  }
}

/** Marks the accesses that raise KeyError where the key is missing, made at `access`, that an `in` check guards (see isKeyCheckGuarded). */
function markGuarded(accesses: SessionAccess[], access: Node | null, key: Node, receiver: Node | null, sessionText: SessionText): SessionAccess[] {
  const raising = accesses.filter((made) => made.op === 'read' || made.op === 'delete' || made.noDefault);
  if (raising.length > 0 && access && receiver && isKeyCheckGuarded(access, key, receiver, sessionText)) {
    raising.forEach((made) => (made.guarded = true));
  }
  return accesses;
}

/** Reads a method call on the session into `facts`; returns the key of the one access it adds by a key argument, if it does. */
function readMethodCall(method: string, argumentList: Node, facts: SessionFacts, locals: LocalBindings, scopes: Scopes): Node | undefined {
  const op = METHOD_OPS[method];
  if (!op && method !== 'set_expiry' && method !== 'aset_expiry') {
    return undefined;
  }
  const args = argumentList.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
  if (!op) {
    const kind = args[0] ? wrongExpiryKind(args[0]) : undefined;
    const absolute = args[0] ? nonJsonValueKind(args[0]) : undefined;
    if (kind && args[0]) {
      facts.badExpiryCalls.push({ argumentKind: kind, range: nodeRange(args[0]), text: args[0].text });
    } else if ((absolute === 'datetime' || absolute === 'timedelta') && args[0]) {
      facts.badExpiryCalls.push({ argumentKind: `a ${absolute}`, range: nodeRange(args[0]), text: args[0].text, absolute: true });
    }
    return undefined;
  }
  if (op === 'update') {
    readUpdate(args, facts, locals, scopes);
    return undefined;
  }
  const keyNode = args[0];
  if (!keyNode || keyNode.type === 'keyword_argument') {
    return undefined;
  }
  const key = keyExpression(keyNode, locals, scopes);
  const accesses = keyAccesses(keyNode, key, op, locals, scopes);
  // Any second argument, by position or as `default=`, is the default; `pop(k)` alone has none.
  if (op === 'pop' && args.length === 1) {
    accesses.forEach((access) => (access.noDefault = true));
  }
  facts.accesses.push(...accesses);
  storedValue(facts, key, (op === 'set' || op === 'setdefault') && args[1] ? args[1] : undefined, locals);
  return keyNode;
}

/** Notes the parts of a stored value JSONSerializer cannot encode (see nonJsonParts), a local's by what it is bound to. */
function storedValue(facts: SessionFacts, key: KeyExpression, value: Node | undefined, locals: LocalBindings): void {
  for (const part of value ? nonJsonParts(value, (local) => locals.singleValue(local) ?? locals.reachingValue(local)) : []) {
    facts.nonJsonValues.push({ key, kind: part.kind, range: nodeRange(part.node), text: part.node.text, ...(part.inside ? { inside: part.inside } : {}) });
  }
}

/**
 * `request.session = {"account": None}`: a test's stand-in session, whose keys are set (Evennia's
 * view tests). Each literal key is a write, as `.update()`'s are; none is read.
 */
export function dictSessionAccesses(receivers: readonly Node[], parents: readonly (Node | null)[], locals: LocalBindings, scopes: Scopes): SessionAccess[] {
  const facts: SessionFacts = { accesses: [], nonJsonValues: [], unmarkedMutations: [], badExpiryCalls: [] };
  receivers.forEach((receiver, i) => {
    const parent = parents[i];
    const value = parent?.type === 'assignment' && parent.childForFieldName('left')?.id === receiver.id ? parent.childForFieldName('right') : null;
    // Only a request's: `response.session = {…}` or `db.session = {…}` is some other object.
    if (value?.type === 'dictionary' && receiver.type === 'attribute' && isRequestSession(receiver)) {
      readUpdate([value], facts, locals, scopes);
    }
  });
  return facts.accesses.map((access) => ({ ...access, op: 'set' }));
}

/**
 * The keys `update()` sets: its keywords, a dict literal's keys, and those of a `dict(…)` call
 * made of such (`update(dict(next_url=''))`), also through a name that plainly holds one (see
 * LocalBindings.untouchedValue); any other mapping's keys are not known.
 */
function readUpdate(args: Node[], facts: SessionFacts, locals: LocalBindings, scopes: Scopes): void {
  for (const arg of args) {
    const held = arg.type === 'identifier' ? locals.untouchedValue(arg) : undefined;
    if (held && (held.type === 'dictionary' || (held.type === 'call' && held.childForFieldName('function')?.text === 'dict'))) {
      readUpdate([held], facts, locals, scopes);
    } else if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name');
      if (name) {
        const range = nodeRange(name);
        const key: KeyExpression = { kind: 'literal', value: name.text };
        facts.accesses.push({ key, op: 'update', range, spelling: { kind: 'keyword', range } });
        storedValue(facts, key, arg.childForFieldName('value') ?? undefined, locals);
      }
    } else if (arg.type === 'call' && arg.childForFieldName('function')?.text === 'dict' && arg.childForFieldName('arguments')?.type === 'argument_list') {
      readUpdate(arg.childForFieldName('arguments')!.namedChildren.filter((inner): inner is Node => inner !== null && inner.type !== 'comment'), facts, locals, scopes);
    } else if (arg.type === 'dictionary') {
      for (const pair of arg.namedChildren) {
        const keyNode = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
        if (keyNode) {
          const key = keyExpression(keyNode, locals, scopes);
          facts.accesses.push(...keyAccesses(keyNode, key, 'update', locals, scopes));
          storedValue(facts, key, pair?.childForFieldName('value') ?? undefined, locals);
        } else if (pair && pair.type !== 'comment') {
          facts.accesses.push({ key: { kind: 'dynamic', reason: 'update() unpacks a mapping whose keys are not known statically' }, op: 'update', range: nodeRange(pair) });
        }
      }
    } else {
      facts.accesses.push({ key: { kind: 'dynamic', reason: 'update() is given a mapping whose keys are not known statically' }, op: 'update', range: nodeRange(arg) });
    }
  }
}

/** What a `set_expiry` argument plainly is when it is none of what Django takes; a float is taken, as the seconds it counts. */
function wrongExpiryKind(arg: Node): string | undefined {
  switch (arg.type) {
    case 'true':
    case 'false':
      return 'a bool';
    case 'list':
    case 'dictionary':
    case 'tuple':
      return `a ${arg.type}`;
    default:
      // Django keeps a str or a date as it is: SessionMiddleware's `time.time() + max_age` then
      // raises TypeError, and JSONSerializer cannot encode a date.
      return isPlainlyStr(arg) ? 'a string' : nonJsonValueKind(arg) === 'date' ? 'a date' : undefined;
  }
}

/**
 * The access of a key expression; a loop variable over literal keys (see LocalBindings.loopKeys)
 * is an access of each, placed at the literal, where a rename edits it.
 */
function keyAccesses(keyNode: Node, key: KeyExpression, op: SessionOp, locals: LocalBindings, scopes: Scopes): SessionAccess[] {
  const keys = key.kind === 'dynamic' && keyNode.type === 'identifier' ? locals.loopKeys(keyNode) : undefined;
  if (keys) {
    return keys.map(({ value, node }) => ({ op, ...keyFacts(node, { kind: 'literal', value }, locals) }));
  }
  const composed = key.kind === 'dynamic' ? loopCompositions(keyNode, locals, scopes) : undefined;
  if (composed) {
    return composed.map((each) => ({ op, ...keyFacts(keyNode, each, locals) }));
  }
  return [{ op, ...keyFacts(keyNode, key, locals) }];
}

/** What an access (or a key passed to a helper, see helperCalls) knows of its key expression `keyNode`, which names `key`. */
export function keyFacts(keyNode: Node, key: KeyExpression, locals: LocalBindings): Omit<SessionAccess, 'op'> {
  // Only a literal key is spelled here or at a local's assignment; a constant's is at its definition.
  const spelling = key.kind === 'literal' ? literalSpelling(keyNode.type === 'identifier' ? locals.singleValue(keyNode) : keyNode) : undefined;
  return { key, range: nodeRange(keyNode), keyText: keyNode.text, ...(spelling ? { spelling } : {}) };
}
