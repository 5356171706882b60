import type { Node } from 'web-tree-sitter';
import { composedParts, type KeyPart } from './composedKey';
import type { LocalBindings } from './localBindings';
import type { Scopes } from './scopes';
import { nonStrLiteralKey, type NonStrKey } from './nonStrKey';
import { isInterpolatedString, namesCharacter, stringLiteralValue } from './stringLiteral';

/** A session key as written, before names are resolved across modules. */
export type KeyExpression =
  | { kind: 'literal'; value: string }
  /** A bare name: a module constant, an imported constant or one of Django's. */
  | { kind: 'name'; name: string }
  /** `owner.NAME` where owner is a dotted module alias or a class of the same file. */
  | { kind: 'member'; owner: string; name: string }
  /**
   * `self.NAME` (`onSelf`) / `cls.NAME` inside a class; `setOnInstance` when its methods assign
   * `self.NAME` (see markInstanceAttributes).
   */
  | { kind: 'classAttribute'; className: string; name: string; onSelf?: true; setOnInstance?: true }
  /**
   * `parameter` names the function's own parameter the key is, which calls of the function may
   * tell (see keyParameterHelpers); `prefix` is how the key starts, when it is a literal followed
   * by what is only known at run time (`f"cart_{pk}"`, `"cart_{}".format(pk)`, `"cart_" + pk`);
   * `nonStr` is the int, float, bool, None or bytes literal the key is (see nonStrLiteralKey).
   */
  | { kind: 'dynamic'; reason: string; parameter?: string; prefix?: string; nonStr?: NonStrKey }
  /** A str put together from literals and names (`f"{PREFIX}_cart"`, `PREFIX + "_cart"`): see composedParts. */
  | { kind: 'composed'; parts: KeyPart<KeyExpression>[] };

/** How deep compositions and the locals they name are followed: `a = f"{b}x"` where `b = f"{a}y"` would go round. */
const MAX_COMPOSITION_DEPTH = 4;

/** What a key expression names, resolving function-local single assignments on the spot. */
export function keyExpression(node: Node, locals: LocalBindings, scopes: Scopes, depth = 0): KeyExpression {
  const literal = stringLiteralValue(node);
  if (literal !== undefined) {
    return { kind: 'literal', value: literal };
  }
  const type = node.type;
  const parts = type === 'identifier' || depth >= MAX_COMPOSITION_DEPTH ? undefined : composedParts(node, (part) => constantPart(keyExpression(part, locals, scopes, depth + 1)));
  if (parts) {
    return { kind: 'composed', parts };
  }
  const nonStr = nonStrLiteralKey(node);
  if (nonStr) {
    return { kind: 'dynamic', reason: nonStr.kind === 'None' ? 'the key is None, not a str' : `the key is ${nonStr.kind} (${nonStr.text}), not a str`, nonStr };
  }
  if (type === 'string' || type === 'concatenated_string') {
    const reason = isInterpolatedString(node)
      ? 'the key is an f-string with placeholders'
      : namesCharacter(node)
        ? 'the key names a character by its Unicode name (\\N{…}), which is not looked up here'
        : 'the key is not a str literal';
    return withPrefix({ kind: 'dynamic', reason }, node);
  }
  if (type === 'identifier') {
    const resolved = locals.resolve(node);
    // A local bound once to a composition (`key = f"{PREFIX}_cart"`) is that composition.
    const value = resolved.kind === 'dynamic' && resolved.parameter === undefined && depth < MAX_COMPOSITION_DEPTH ? locals.singleValue(node) : undefined;
    const composed = value && keyExpression(value, locals, scopes, depth + 1);
    return composed && composed.kind === 'composed' ? composed : resolved;
  }
  if (type === 'attribute') {
    const owner = node.childForFieldName('object');
    const name = node.childForFieldName('attribute')?.text ?? '';
    if (owner?.type === 'identifier' && (owner.text === 'self' || owner.text === 'cls')) {
      const className = scopes.classNameOf(node);
      if (className) {
        return owner.text === 'self' ? { kind: 'classAttribute', className, name, onSelf: true } : { kind: 'classAttribute', className, name };
      }
      return { kind: 'dynamic', reason: `${owner.text}.${name} is used outside a class` };
    }
    // An instance made here of the class around (`s = cls()`) or of a named class (`s = Session()`):
    // its attribute is the class's (kitsune's `s.key_key` in a classmethod factory).
    const made = owner?.type === 'identifier' ? instanceClassOf(owner, locals, scopes) : undefined;
    if (made) {
      return made.className ? { kind: 'classAttribute', className: made.className, name } : { kind: 'member', owner: made.owner!, name };
    }
    if (owner && /^[\w.]+$/.test(owner.text)) {
      return { kind: 'member', owner: owner.text, name };
    }
  }
  return withPrefix({ kind: 'dynamic', reason: `the key is computed (${type.replace(/_/g, ' ')})` }, node);
}

/**
 * The keys a composition over one loop variable makes, one per literal the loop takes (see
 * LocalBindings.loopKeys): `for name in ("q", "sort"): request.session[f"filter_{name}"]`.
 * Undefined unless exactly one piece is such a loop variable and the others are constants.
 */
export function loopCompositions(node: Node, locals: LocalBindings, scopes: Scopes): KeyExpression[] | undefined {
  let loop: { value: string }[] | undefined;
  let loops = 0;
  const LOOP = { kind: 'literal', value: '' } as const;
  const parts = composedParts<KeyExpression>(node, (part) => {
    const values = part.type === 'identifier' ? locals.loopKeys(part) : undefined;
    if (values) {
      loop = values;
      loops++;
      return LOOP;
    }
    return constantPart(keyExpression(part, locals, scopes, 1));
  });
  return parts && loop && loops === 1 ? loop.map(({ value }) => ({ kind: 'composed', parts: parts.map((part) => (part === LOOP ? value : part)) })) : undefined;
}

/** A piece of a composition that may be a constant; run-time values make the whole key dynamic. */
function constantPart(key: KeyExpression): KeyExpression | undefined {
  return key.kind === 'dynamic' ? undefined : key;
}

/** The class a local is an instance of, where its function binds it once to `cls(…)` (the class around) or `Name(…)` of a capitalized name. */
function instanceClassOf(local: Node, locals: LocalBindings, scopes: Scopes): { className?: string; owner?: string } | undefined {
  const value = locals.singleValue(local);
  const callee = value?.type === 'call' ? value.childForFieldName('function') : null;
  if (callee?.type !== 'identifier') {
    return undefined;
  }
  if (callee.text === 'cls') {
    const className = scopes.classNameOf(local);
    return className ? { className } : undefined;
  }
  return /^[A-Z]/.test(callee.text) ? { owner: callee.text } : undefined;
}

/** A dynamic key with the literal it starts with, where it has one (see literalPrefix). */
function withPrefix(key: Extract<KeyExpression, { kind: 'dynamic' }>, node: Node): KeyExpression {
  const prefix = literalPrefix(node);
  return prefix ? { ...key, prefix } : key;
}

/**
 * The literal a computed key starts with: the text of an f-string before its first placeholder,
 * of `'…{}'.format(…)` before its first field, of `'…%s' % …` before its first conversion, or the
 * left literal of `'…' + …`. Undefined where escapes or doubled braces make it unsure.
 */
function literalPrefix(node: Node): string | undefined {
  let prefix: string | undefined;
  if (node.type === 'string') {
    prefix = '';
    for (const child of node.namedChildren) {
      if (child?.type === 'interpolation') {
        break;
      }
      if (child?.type === 'string_content') {
        if (/[\\{}]/.test(child.text)) {
          return undefined;
        }
        prefix += child.text;
      }
    }
  } else if (node.type === 'call') {
    const callee = node.childForFieldName('function');
    const template = callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'format' ? stringLiteralValue(callee.childForFieldName('object')!) : undefined;
    prefix = template?.split('{')[0];
  } else if (node.type === 'binary_operator') {
    const operator = node.childForFieldName('operator')?.text;
    const left = stringLiteralValue(node.childForFieldName('left')!);
    prefix = operator === '+' ? left : operator === '%' ? left?.split('%')[0] : undefined;
  }
  return prefix || undefined;
}
