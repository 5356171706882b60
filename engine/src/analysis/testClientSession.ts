import type { Node } from 'web-tree-sitter';
import type { KeyExpression } from './keyExpression';
import type { LocalBindings } from './localBindings';
import type { Range } from './range';
import type { Scopes } from './scopes';
import type { SessionAccess } from './sessionAccesses';
import type { SessionOp } from './sessionKeyUsage';

/** A change made straight on a test client's `session` property, which nothing saves. */
export interface TestClientChange {
  key: KeyExpression;
  op: SessionOp;
  range: Range;
  /** The property as written, e.g. `self.client.session`. */
  receiver: string;
  /** Set for a change through a local bound to the property that no later `save()` in its function saves. */
  unsavedLocal?: string;
}

/** Django's test `Client` and DRF's `APIClient` (itself a `Client`), as tests name them: `client`, `self.client`, `admin_client`, `self.api_client`. */
const TEST_CLIENT = /^(?:self\.)?\w*client$/i;
/** A call of a test client class: `Client(`, `AsyncClient(`, `APIClient(`, `test.Client(`. */
const CLIENT_CALL = String.raw`(?:\w+\.)*(?:Async)?(?:API)?Client\s*\(`;
/** A call that makes a test client: one of CLIENT_CALL, or a TestCase's `self.client_class()`. */
const MAKES_CLIENT = new RegExp(String.raw`^(?:${CLIENT_CALL}|self\.(?:async_)?client_class\s*\()`);
const CHANGES = new Set<SessionOp>(['set', 'delete', 'update', 'pop', 'setdefault']);

/**
 * The changes among `accesses` made on `receiver` when it is a test client's `session`:
 * `Client.session` builds a new SessionStore each time it is read, so
 * `self.client.session['k'] = v` changes an object no one saves, and the view never sees it.
 */
export function testClientChanges(receiver: Node, accesses: readonly SessionAccess[], locals: LocalBindings, scopes: Scopes, root: Node): TestClientChange[] {
  const changes = accesses.filter((access) => CHANGES.has(access.op));
  if (changes.length === 0) {
    return [];
  }
  if (receiver.type === 'identifier') {
    return unsavedLocalChanges(receiver, changes, locals, scopes, scopes.functionOf(receiver) ?? root);
  }
  if (!isTestClientSession(receiver, locals, scopes)) {
    return [];
  }
  const text = receiver.text;
  return changes.map((access) => ({ key: access.key, op: access.op, range: access.range, receiver: text }));
}

/**
 * `X.session` where X is a test client: by its name, as a local the function binds to a new
 * client (`c = Client()`), or as an attribute its class sets to one (`self.browser = Client()`).
 */
function isTestClientSession(node: Node, locals: LocalBindings, scopes: Scopes): boolean {
  const owner = node.type === 'attribute' && node.childForFieldName('attribute')?.text === 'session' ? node.childForFieldName('object') : null;
  if (owner?.type !== 'identifier' && owner?.type !== 'attribute') {
    return false;
  }
  // A local bound here says what it is, whatever its name (`client = request` in a view is no test client).
  const bound = owner.type === 'identifier' ? locals.singleValue(owner) : undefined;
  if (bound) {
    return MAKES_CLIENT.test(bound.text);
  }
  if (TEST_CLIENT.test(owner.text)) {
    return true;
  }
  const attribute = /^self\.(\w+)$/.exec(owner.text)?.[1];
  const cls = attribute ? scopes.classOf(owner) : undefined;
  return !!cls && new RegExp(String.raw`\bself\.${attribute}\s*=\s*${CLIENT_CALL}`).test(cls.text);
}

/**
 * Changes through `session = self.client.session` that no `session.save()` after them in the
 * function saves: the test then runs against the stored session as it was.
 */
function unsavedLocalChanges(local: Node, changes: readonly SessionAccess[], locals: LocalBindings, scopes: Scopes, scope: Node): TestClientChange[] {
  const value = locals.singleValue(local);
  if (!value || !isTestClientSession(value, locals, scopes)) {
    return [];
  }
  // Not `self.client.session.save()`, which saves yet another new session.
  const saves = new RegExp(`(?<![\\w.])${local.text}\\s*\\.\\s*a?save\\s*\\(`);
  // A save before the change does not save it: the function's text from the change's line on.
  const after = scope.text.split('\n').slice(local.startPosition.row - scope.startPosition.row).join('\n');
  return saves.test(after) ? [] : changes.map((access) => ({ key: access.key, op: access.op, range: access.range, receiver: value.text, unsavedLocal: local.text }));
}
