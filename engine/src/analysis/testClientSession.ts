import type { Node } from 'web-tree-sitter';
import type { KeyExpression } from './keyExpression';
import type { Range } from './range';
import type { SessionAccess } from './sessionAccesses';
import type { SessionOp } from './sessionKeyUsage';

/** A change made straight on a test client's `session` property, which nothing saves. */
export interface TestClientChange {
  key: KeyExpression;
  op: SessionOp;
  range: Range;
  /** The property as written, e.g. `self.client.session`. */
  receiver: string;
}

/** Django's test `Client` and DRF's `APIClient` (itself a `Client`), as tests name them: `client`, `self.client`, `admin_client`, `self.api_client`. */
const TEST_CLIENT = /^(?:self\.)?\w*client$/i;
const CHANGES = new Set<SessionOp>(['set', 'delete', 'update', 'pop', 'setdefault']);

/**
 * The changes among `accesses` made on `receiver` when it is a test client's `session`:
 * `Client.session` builds a new SessionStore each time it is read, so
 * `self.client.session['k'] = v` changes an object no one saves, and the view never sees it.
 */
export function testClientChanges(receiver: Node, accesses: readonly SessionAccess[]): TestClientChange[] {
  const changes = accesses.filter((access) => CHANGES.has(access.op));
  if (changes.length === 0 || receiver.type !== 'attribute') {
    return [];
  }
  const owner = receiver.childForFieldName('object');
  if (!owner || (owner.type !== 'identifier' && owner.type !== 'attribute') || !TEST_CLIENT.test(owner.text)) {
    return [];
  }
  const text = receiver.text;
  return changes.map((access) => ({ key: access.key, op: access.op, range: access.range, receiver: text }));
}
