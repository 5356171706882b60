import type { Node } from 'web-tree-sitter';
import { nodeRange, type Range } from './range';

/** A later call in the same function that throws the session's data away. */
export interface DiscardingCall {
  range: Range;
  /** The call as the message names it: `logout()`, `request.session.flush()`, `login()`. */
  what: string;
  /** 1-based, for the message. */
  line: number;
  /** Set for `login()`, which flushes only when another user is logged in (see sessionOfLoggedInUser). */
  login?: true;
}

/** What `django.contrib.auth` calls throw away: logout() always, login() when another user is logged in. */
const AUTH_DISCARDS: Record<string, 'logout' | 'login'> = { logout: 'logout', alogout: 'logout', login: 'login', alogin: 'login' };
const SESSION_FLUSHES = new Set(['flush', 'aflush']);
/** Decorators and mixins that make a view run only for a logged-in user. */
const LOGGED_IN_ONLY = /(^|\W)(login_required|staff_member_required|superuser_required|permission_required|user_passes_test|LoginRequiredMixin|PermissionRequiredMixin|UserPassesTestMixin|StaffuserRequiredMixin|SuperuserRequiredMixin)\b/;
/** Statements after which the rest of the function may not run: a path may then skip the discard. */
const LEAVES = new Set(['return_statement', 'raise_statement', 'break_statement', 'continue_statement', 'yield']);
const NESTED_SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);
/** A call of any of them, by name, or of `flush()`: text without one needs no discardingCall. */
const DISCARD_CALL = /\b(?:a?logout|a?login|a?flush)\s*\(/;

/** Whether a file's text may call something that throws a session away (a cheap test before discardingCall's walk). */
export function mayCallDiscard(text: string): boolean {
  return DISCARD_CALL.test(text);
}

/**
 * The call that throws away what `write` stores, when the function makes it on every path
 * after the write and nothing between could read the session: `logout(request)`,
 * `request.session.flush()`, and `login(request, other)` where the session plainly belongs to a
 * logged-in user, since login() flushes a session of another user (an impersonation view that
 * keeps `impersonator_id` and then logs in as the target loses it). Django's
 * `SessionBase.flush()` empties the data and deletes the stored session.
 */
export function discardingCall(write: Node, receiver: Node, storedValue: Node | undefined): DiscardingCall | undefined {
  const owner = receiver.type === 'attribute' ? receiver.childForFieldName('object') : null;
  let statement = statementOf(write);
  while (statement) {
    for (let next = statement.nextNamedSibling; next; next = next.nextNamedSibling) {
      const call = discardIn(next, receiver.text, owner?.text);
      if (call) {
        return !call.login || sessionOfLoggedInUser(write, owner?.text, storedValue) ? call : undefined;
      }
      if (mayLeaveOrRead(next, receiver.text, owner?.text)) {
        return undefined;
      }
    }
    // Up from a branch of an `if` or a `with` body: their following statements run after it too.
    // A loop may run its body again, and a `try` may leave for its handler: neither is followed.
    const block = statement.parent;
    const compound = block?.type === 'block' ? block.parent : null;
    const outer = compound?.type === 'else_clause' || compound?.type === 'elif_clause' ? compound.parent : compound;
    if (!outer || (outer.type !== 'if_statement' && outer.type !== 'with_statement')) {
      return undefined;
    }
    statement = outer;
  }
  return undefined;
}

function statementOf(node: Node): Node | null {
  let at: Node | null = node;
  while (at && at.parent && at.parent.type !== 'block' && at.parent.type !== 'module') {
    at = at.parent;
  }
  return at?.parent?.type === 'block' ? at : null;
}

/** The discarding call a statement is, alone: `logout(request)`, `await request.session.aflush()`. */
function discardIn(statement: Node, session: string, owner: string | undefined): DiscardingCall | undefined {
  const expression = statement.type === 'expression_statement' ? statement.firstNamedChild : null;
  const call = expression?.type === 'await' ? expression.firstNamedChild : expression;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (!call || !callee) {
    return undefined;
  }
  const at = { range: nodeRange(call), line: call.startPosition.row + 1 };
  if (callee.type === 'attribute' && callee.childForFieldName('object')?.text === session && SESSION_FLUSHES.has(callee.childForFieldName('attribute')?.text ?? '')) {
    return { ...at, what: `${callee.text}()` };
  }
  const args = call.childForFieldName('arguments')?.namedChildren.filter((arg) => arg !== null && arg.type !== 'comment') ?? [];
  const auth = authFunction(callee);
  if (!auth || owner === undefined || args[0]?.text !== owner) {
    return undefined;
  }
  if (AUTH_DISCARDS[auth] === 'logout') {
    return { ...at, what: `${auth}()` };
  }
  // Logging the same user in again keeps the session.
  const user = args[1]?.type === 'keyword_argument' ? undefined : args[1];
  return user && user.text !== `${owner}.user` ? { ...at, what: `${auth}()`, login: true } : undefined;
}

/** The django.contrib.auth function a callee names, by the file's imports: `logout`, `auth_logout` (`logout as auth_logout`), `auth.logout`. */
function authFunction(callee: Node): string | undefined {
  const imports = authImports(callee.tree.rootNode);
  if (callee.type === 'identifier') {
    return imports.names.get(callee.text);
  }
  const object = callee.childForFieldName('object');
  const name = callee.childForFieldName('attribute')?.text ?? '';
  return callee.type === 'attribute' && object && imports.modules.has(object.text) && name in AUTH_DISCARDS ? name : undefined;
}

const importsCache = new WeakMap<Node['tree'], { names: Map<string, string>; modules: Set<string> }>();

/** Local names bound to auth's login/logout functions, and to the `django.contrib.auth` module. */
function authImports(root: Node): { names: Map<string, string>; modules: Set<string> } {
  let found = importsCache.get(root.tree);
  if (found) {
    return found;
  }
  found = { names: new Map(), modules: new Set() };
  for (const statement of root.descendantsOfType('import_from_statement')) {
    const from = statement?.childForFieldName('module_name')?.text;
    for (const item of statement?.childrenForFieldName('name') ?? []) {
      const name = item?.type === 'aliased_import' ? item.childForFieldName('name')?.text : item?.text;
      const local = item?.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
      if (from === 'django.contrib.auth' && name && local && name in AUTH_DISCARDS) found.names.set(local, name);
      if (from === 'django.contrib' && name === 'auth' && local) found.modules.add(local);
    }
  }
  importsCache.set(root.tree, found);
  return found;
}

/**
 * Whether a statement may end the function before the discard (a `return`, `raise`, `break`,
 * `continue` or `yield` in it, outside nested functions), or may read the session: it touches
 * the session, or hands its owner to a call (`helper(request)` may read the key first).
 */
function mayLeaveOrRead(statement: Node, session: string, owner: string | undefined): boolean {
  if (statement.text.includes(session)) {
    return true;
  }
  const stack: Node[] = [statement];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (LEAVES.has(node.type)) {
      return true;
    }
    if (node.type === 'argument_list' && owner !== undefined && node.namedChildren.some((arg) => arg?.text === owner)) {
      return true;
    }
    for (const child of node.namedChildren) {
      if (child && !NESTED_SCOPES.has(child.type)) stack.push(child);
    }
  }
  return false;
}

/**
 * Whether the session a write is in plainly belongs to a logged-in user: the view is for
 * logged-in users only (`@login_required`, `@staff_member_required`, a `LoginRequiredMixin`),
 * or the value stored is the user's (`request.user.pk`, the `impersonator_id` idiom).
 */
function sessionOfLoggedInUser(write: Node, owner: string | undefined, storedValue: Node | undefined): boolean {
  if (owner !== undefined && storedValue && (storedValue.text.includes(`${owner}.user`) || holdsUser(write, owner, storedValue))) {
    return true;
  }
  for (let at: Node | null = write.parent; at; at = at.parent) {
    if (at.type === 'decorated_definition' && at.namedChildren.some((child) => child?.type === 'decorator' && LOGGED_IN_ONLY.test(child.text))) {
      return true;
    }
    if (at.type === 'class_definition' && LOGGED_IN_ONLY.test(at.childForFieldName('superclasses')?.text ?? '')) {
      return true;
    }
  }
  return false;
}

/** Whether the stored value reads a local the function binds to the request's user (`me = await aget_user(request)`, then `me.pk`). */
function holdsUser(write: Node, owner: string, storedValue: Node): boolean {
  let fn: Node | null = write.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const names = new Set(storedValue.descendantsOfType('identifier').map((identifier) => identifier?.text));
  const user = new RegExp(`^(await\\s+)?(a?get_user\\(\\s*${owner.replace(/\./g, '\\.')}\\s*\\)|${owner.replace(/\./g, '\\.')}\\.(user|auser\\(\\)))$`);
  return (fn?.descendantsOfType('assignment') ?? []).some((assignment) => {
    const left = assignment?.childForFieldName('left');
    return left?.type === 'identifier' && names.has(left.text) && user.test(assignment!.childForFieldName('right')?.text ?? '');
  });
}
