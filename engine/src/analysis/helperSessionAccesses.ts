import type { Node } from 'web-tree-sitter';
import type { LocalBindings } from './localBindings';
import { receiverMatchesIn } from './receiverMatches';
import type { Scopes } from './scopes';
import { aliasOrigins, sessionAliasUses } from './sessionAliases';
import { definitionOwner, isStaticMethod, parameterPlace } from './keyParameterHelpers';
import { sessionFacts, sessionPassed, type SessionAccess, type SessionParameter, type SessionPassed, type StoredValue } from './sessionAccesses';
import { nodesSpelled } from './textAnchors';
import type { BlockingCall } from './blockingSessionCalls';

/**
 * Where such a session may be, from the text alone: a bare `session` in a file that defines a
 * function taking a `session` parameter, or Channels' `["session"]`. Most files have neither,
 * and are not looked into.
 */
const CHANNELS_SCOPE = /scope\s*\[\s*(['"])session\1\s*\]/;
const SESSION_PARAMETER = /\bdef\s+\w+\s*\([^)]*\bsession\b/;
const STRATEGY_CALL = /\bstrategy\s*\.\s*session_(?:get|set|pop|setdefault)\s*\(/;
const STRATEGY_METHODS = ['session_get', 'session_set', 'session_pop', 'session_setdefault'];
const PARAMETER_TYPES = new Set(['typed_parameter', 'default_parameter', 'typed_default_parameter']);

/** A helper handing its `session` parameter on to another call (Baserow's `self.get_oauth_session(instance, session)`). */
export interface SessionHandOn {
  through: SessionParameter;
  passed: SessionPassed;
}

/** What a file does with sessions it does not count among its usages (see helperSessionAccesses). */
interface HelperSessions {
  accesses: SessionAccess[];
  /** The values stored through them that JSONSerializer cannot encode (DS103 once a session reaches them). */
  nonJsonValues: StoredValue[];
  handOns: SessionHandOn[];
  /** Calls of Channels' `scope["session"]` that query the database (see blockingCall). */
  blockingCalls: BlockingCall[];
}

const NONE: HelperSessions = { accesses: [], nonJsonValues: [], handOns: [], blockingCalls: [] };

/**
 * Accesses to what is most likely a Django session but is not counted among its usages, since
 * a bare name `session` may be anything (the index leaves such parameters out): a helper's
 * `session` parameter (`def remember(session, user): session["cart"] = …`), and Channels'
 * `scope["session"]`. They are not usages; the lint takes their writes as writes and their
 * reads as reads, so a key a helper writes is not "never written", nor one it reads "never read".
 * So are those through a local bound to either (`session = scope["session"]`), as for aliases
 * of `request.session` (see sessionAliasUses). A helper that hands its `session` parameter on
 * to another call is a hand-on: once a call fills the helper with a session, the callee's
 * parameter holds one too.
 */
export function helperSessionAccesses(root: Node, text: string, scopes: Scopes, locals: LocalBindings): HelperSessions {
  const parameters = SESSION_PARAMETER.test(text);
  const strategy = STRATEGY_CALL.test(text) ? strategyMatches(root, text) : [];
  if (!parameters && !CHANNELS_SCOPE.test(text)) {
    if (strategy.length === 0) {
      return NONE;
    }
    const { accesses, nonJsonValues } = sessionFacts(strategy, scopes, locals, { root, text });
    return { accesses, nonJsonValues, handOns: [], blockingCalls: [] };
  }
  const receivers: Node[] = [];
  const parents: (Node | null)[] = [];
  // `session` names that are no alias's use: attributes' names and the parameters' own uses.
  const notAliases = new Set<number>();
  for (const node of nodesSpelled(root, text, 'session')) {
    // Not the name of an attribute (`x.session`, the index's own receivers), which does not start its parent.
    const parent = node.parent;
    const attributeName = parent?.type === 'attribute' && parent.startIndex !== node.startIndex;
    if (parameters && node.type === 'identifier' && !attributeName && boundToSessionParameter(node, scopes)) {
      receivers.push(node);
      parents.push(parent);
      notAliases.add(node.startIndex);
    } else if (node.type === 'string_content') {
      const subscript = sessionSubscript(node);
      if (subscript) {
        receivers.push(subscript);
        parents.push(subscript.parent);
      }
    } else if (attributeName) {
      notAliases.add(node.startIndex);
    }
  }
  if (receivers.length === 0 && strategy.length === 0) {
    return NONE;
  }
  // A local bound to such a session (`session = scope["session"]`, as Channels' own auth does) is one too.
  const aliases = sessionAliasUses(root, text, receivers, parents, scopes, notAliases);
  receivers.push(...aliases.uses);
  parents.push(...aliases.parents);
  const matches = receivers.flatMap((receiver, i) => receiverMatchesIn(receiver, parents[i] ?? null));
  const { accesses, nonJsonValues, blockingCalls = [] } = sessionFacts([...matches, ...strategy], scopes, locals, { root, text, aliasOrigins: aliasOrigins(aliases) });
  const handOns: SessionHandOn[] = [];
  if (parameters) {
    for (const fact of [...accesses, ...nonJsonValues]) {
      const through = sessionParameterOf(root.descendantForPosition({ row: fact.range.start.line, column: fact.range.start.character }), scopes);
      if (through) {
        fact.through = through;
      }
    }
    for (const match of matches) {
      const receiver = match.get('receiver');
      const args = match.get('passed.args');
      const passed = receiver?.type === 'identifier' && args ? sessionPassed(receiver, args) : undefined;
      const through = passed && sessionParameterOf(receiver!, scopes);
      if (through) {
        handOns.push({ through, passed: passed! });
      }
    }
  }
  return { accesses, nonJsonValues, handOns, blockingCalls };
}

/**
 * The `session` parameter an access inside a function goes through, as a call fills it, where a
 * call can name the function: a module-level function or a method directly in a class body,
 * whose `__init__` a call of the class fills.
 */
function sessionParameterOf(node: Node | null, scopes: Scopes): SessionParameter | undefined {
  const fn = node ? scopes.functionsAround(node).find(takesSessionParameter) : undefined;
  const owner = fn && definitionOwner(fn);
  const name = fn?.childForFieldName('name')?.text;
  if (!fn || !owner || !name) {
    return undefined;
  }
  const place = parameterPlace(fn, 'session', owner.type === 'class_definition' && !isStaticMethod(fn));
  // A class's `__init__` is filled by calls of the class (edX's MasqueradingKeyValueStore(kvs, request.session)).
  const called = name === '__init__' && owner.type === 'class_definition' ? owner.childForFieldName('name')?.text : name;
  return place && called ? { fn: called, ...place } : undefined;
}

/**
 * python-social-auth's `strategy.session_get(name)`, `session_set(name, value)`, `session_pop`
 * and `session_setdefault` (also on `self.strategy`, `backend.strategy`): its DjangoStrategy
 * reads and writes `request.session[name]`, so a pipeline's keys are the session's (PostHog's
 * signup pipeline).
 */
function strategyMatches(root: Node, text: string): ReturnType<typeof receiverMatchesIn> {
  return STRATEGY_METHODS.flatMap((method) =>
    nodesSpelled(root, text, method).flatMap((name) => {
      const attribute = name.parent;
      const receiver = attribute?.type === 'attribute' && attribute.childForFieldName('attribute')?.id === name.id ? attribute.childForFieldName('object') : null;
      const named = receiver?.type === 'attribute' ? receiver.childForFieldName('attribute') : receiver;
      return receiver && named?.text === 'strategy' ? receiverMatchesIn(receiver, attribute) : [];
    }),
  );
}

/** Whether the name is a `session` parameter of its function, or of a function around it (a closure's free variable). */
function boundToSessionParameter(name: Node, scopes: Scopes): boolean {
  return scopes.functionsAround(name).some(takesSessionParameter);
}

/** Whether a function has a parameter named `session` (plain, typed or with a default). */
function takesSessionParameter(fn: Node | undefined): boolean {
  for (const parameter of fn?.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = parameter && PARAMETER_TYPES.has(parameter.type) ? (parameter.childForFieldName('name') ?? parameter.namedChildren[0]) : parameter;
    if (name?.type === 'identifier' && name.text === 'session') {
      return true;
    }
  }
  return false;
}

/** The `scope["session"]` (or `self.scope["session"]`) subscript whose index is this `session` string content; not any dict's. */
function sessionSubscript(content: Node): Node | undefined {
  const literal = content.parent;
  const subscript = literal?.parent;
  if (literal?.type !== 'string' || subscript?.type !== 'subscript' || subscript.childForFieldName('subscript')?.id !== literal.id) {
    return undefined;
  }
  const owner = subscript.childForFieldName('value');
  const name = owner?.type === 'attribute' ? owner.childForFieldName('attribute') : owner;
  return name?.type === 'identifier' && name.text === 'scope' ? subscript : undefined;
}
