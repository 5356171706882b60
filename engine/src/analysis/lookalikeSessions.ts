import type { Node } from 'web-tree-sitter';
import type { Scopes } from './scopes';

/**
 * Callees that make a session or a stand-in for one: Django's own (the middleware does
 * `request.session = self.SessionStore(key)`), and the test doubles a test puts in its place
 * (`request.session = MagicMock()`, `dict()`), through which the code under test still uses it.
 */
const SESSION_OR_DOUBLE = /(?:^|\.)(?:SessionStore|(?:NonCallable)?(?:Magic|Async)?Mock|dict)$/;
/** `x.session = …`, perhaps annotated. */
const ASSIGNED_ATTRIBUTE = /\.session[ \t]*(?::[^=\n]*)?=(?!=)/;
/** An indented `session = …(` line: perhaps a class attribute bound from a call. */
const CLASS_BODY_SESSION = /^[ \t]+session[ \t]*(?::[^=\n]*)?=[^=\n]*\(/m;

/**
 * The `.session` attributes (see sessionAttributes) that may be Django's session, in order,
 * with their parents: an attribute that the code itself assigns from a call is some other
 * object, such as `self.session = requests.Session()` or `aiohttp.ClientSession()`, and so
 * is every `.session` on the same owner (`self` within that class; another owner in the
 * function that assigns it and the functions nested in it, or in the whole file when assigned
 * at module level), or `self.session` when the class body binds `session = …()`. A call to a
 * `SessionStore` or a test double (see SESSION_OR_DOUBLE) still counts as the session, and so
 * does any value of a request's session, or of an owner's that the code also assigns a request's session to.
 */
export function withoutLookalikes(text: string, receivers: Node[], parents: (Node | null)[], scopes: Scopes): { receivers: Node[]; parents: (Node | null)[] } {
  // Most files assign no `.session`: their text tells, without a call into the tree.
  const classBody = CLASS_BODY_SESSION.test(text);
  if (!classBody && !ASSIGNED_ATTRIBUTE.test(text)) {
    return { receivers, parents };
  }
  const assignedFromCall = receivers.filter((receiver, i) => {
    const parent = parents[i];
    return parent?.type === 'assignment' && parent.startIndex === receiver.startIndex && (isRequestSession(receiver) ? isClientSessionCall(parent.childForFieldName('right')) : isOtherCall(parent.childForFieldName('right')) && !assignsRequestSession(parent));
  });
  // Owners and classes are looked up only in the rare file that may hold a lookalike.
  if (assignedFromCall.length === 0 && !classBody) {
    return { receivers, parents };
  }
  // `self.session = request.session` somewhere makes `self.session` a session wherever else it is assigned from;
  // `self.session = parent.session` does not (an HTTP client's shared session).
  const holdsSession = new Set(
    receivers.flatMap((receiver, i) => {
      const parent = parents[i];
      const value = parent?.type === 'assignment' && parent.startIndex === receiver.startIndex ? parent.childForFieldName('right') : null;
      return value?.type === 'attribute' && value.childForFieldName('attribute')?.text === 'session' && isRequestSession(value) ? ownerKeys(receiver, scopes, false) : [];
    }),
  );
  const lookalikes = new Set(assignedFromCall.flatMap((receiver) => ownerKeys(receiver, scopes, false)).filter((owner) => !holdsSession.has(owner)));
  const classes = new Map<number, boolean>();
  const kept = { receivers: [] as Node[], parents: [] as (Node | null)[] };
  receivers.forEach((receiver, i) => {
    const owners = ownerKeys(receiver, scopes, true);
    const cls = owners[0]!.startsWith('class') ? scopes.classOf(receiver) : undefined;
    if (cls && !classes.has(cls.startIndex)) {
      classes.set(cls.startIndex, bodyBindsSessionFromCall(cls));
    }
    if (!owners.some((owner) => lookalikes.has(owner)) && !(cls && classes.get(cls.startIndex))) {
      kept.receivers.push(receiver);
      kept.parents.push(parents[i] ?? null);
    }
  });
  return kept;
}

/**
 * `request.session` or `self.request.session`: a request's session is Django's, whatever call
 * the code assigns to it (`request.session = load(key)`), but a client session class's (see
 * isClientSessionCall).
 */
export function isRequestSession(receiver: Node): boolean {
  return isRequest(receiver.childForFieldName('object'));
}

/** `request` or `self.request`: an expression that names a request, as isRequestSession takes its owner. */
export function isRequest(owner: Node | null | undefined): boolean {
  return owner?.type === 'identifier' ? owner.text === 'request' : owner?.type === 'attribute' && owner.childForFieldName('attribute')?.text === 'request';
}

/** `self.request.session = self.session = make()`: what is assigned to a request's session is a session. */
function assignsRequestSession(assignment: Node): boolean {
  const outer = assignment.parent;
  const left = outer?.type === 'assignment' && outer.childForFieldName('right')?.startIndex === assignment.startIndex ? outer.childForFieldName('left') : null;
  return left?.type === 'attribute' && left.childForFieldName('attribute')?.text === 'session' && isRequestSession(left);
}

/**
 * Keys for the owner of a `.session`: `self`/`cls` owners are told apart by their class, other
 * owners by their text in the function around them (a local `request` in one test is not
 * another test's). Where it is used (`used`), also in each function around that one and at
 * module level, as a closure or a global would see the owner.
 */
function ownerKeys(receiver: Node, scopes: Scopes, used: boolean): string[] {
  const owner = receiver.childForFieldName('object')?.text ?? '';
  if (owner === 'self' || owner === 'cls') {
    return [`class ${scopes.classOf(receiver)?.startIndex ?? -1}`];
  }
  return (used ? scopes.scopeChain(receiver) : [scopes.scopeId(receiver)]).map((scope) => `${scope} ${owner}`);
}

/**
 * A call (awaited or not) to anything but a SessionStore or a test double, or a fallback to one
 * (`session or requests.Session()`, `a if x else ClientSession()`): an injected HTTP session.
 */
function isOtherCall(value: Node | null): boolean {
  if (value?.type === 'boolean_operator' || value?.type === 'conditional_expression') {
    return value.namedChildren.some((operand) => isOtherCall(operand));
  }
  const call = value?.type === 'await' ? value.firstNamedChild : value;
  return call?.type === 'call' && !SESSION_OR_DOUBLE.test(call.childForFieldName('function')?.text ?? '');
}

/** A call of a class named `…Session` (`requests.Session()`, `aiohttp.ClientSession()`): an HTTP or database session. */
function isClientSessionCall(value: Node | null): boolean {
  const call = value?.type === 'await' ? value.firstNamedChild : value;
  return call?.type === 'call' && /(?:^|\.)\w*Session$/.test(call.childForFieldName('function')?.text ?? '');
}

/** Whether a class body assigns `session = …()` (a class attribute `self.session` then reads). */
function bodyBindsSessionFromCall(cls: Node): boolean {
  for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
    if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === 'session' && isOtherCall(assignment.childForFieldName('right'))) {
      return true;
    }
  }
  return false;
}
