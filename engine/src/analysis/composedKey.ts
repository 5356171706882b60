import type { Node } from 'web-tree-sitter';
import { literalPieceValue, stringLiteralValue, stringPrefix } from './stringLiteral';

/**
 * One piece of a key built from literals and names: its literal text, or the expression a
 * placeholder or operand names (a bare name, `owner.NAME`, `self.NAME`), resolved later.
 */
export type KeyPart<Named> = string | Named;

/** The node types a composition can be: a bare name or attribute is a key of its own kind. */
const COMPOSITIONS = new Set(['string', 'concatenated_string', 'binary_operator', 'parenthesized_expression']);

/**
 * The pieces of a str built at run time only from literals and names: an f-string whose
 * placeholders are plain names (`f"{PREFIX}_cart"`), and `+` over such operands
 * (`PREFIX + "_cart"`), also nested and parenthesized. `named` turns a name or attribute into
 * what it refers to, or undefined where that cannot be a constant. Undefined for anything else:
 * a conversion or format spec (`{PREFIX!r}`, `{n:03}`) or a call changes the text, so the key
 * is no longer the names' values put together. A plain literal has no named piece and is
 * undefined too: it is no composition.
 */
export function composedParts<Named>(node: Node, named: (node: Node) => Named | undefined): KeyPart<Named>[] | undefined {
  if (!COMPOSITIONS.has(node.type)) {
    return undefined;
  }
  const parts = partsOf(node, named);
  return parts?.some((part) => typeof part !== 'string') ? parts : undefined;
}

function partsOf<Named>(node: Node, named: (node: Node) => Named | undefined): KeyPart<Named>[] | undefined {
  const literal = stringLiteralValue(node);
  if (literal !== undefined) {
    return [literal];
  }
  const type = node.type;
  if (type === 'identifier' || type === 'attribute') {
    const part = named(node);
    return part === undefined ? undefined : [part];
  }
  if (type === 'parenthesized_expression') {
    const inner = node.firstNamedChild;
    return inner ? partsOf(inner, named) : undefined;
  }
  if (type === 'binary_operator') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const leftParts = node.childForFieldName('operator')?.text === '+' && left ? partsOf(left, named) : undefined;
    const rightParts = leftParts && right ? partsOf(right, named) : undefined;
    return rightParts && [...leftParts!, ...rightParts];
  }
  if (type === 'concatenated_string') {
    const parts: KeyPart<Named>[] = [];
    for (const piece of node.namedChildren) {
      const pieceParts = piece ? partsOf(piece, named) : undefined;
      if (!pieceParts) {
        return undefined;
      }
      parts.push(...pieceParts);
    }
    return parts;
  }
  return type === 'string' ? formattedParts(node, named) : undefined;
}

/** The pieces of an f-string (not raw, not bytes) whose placeholders are each a bare name or attribute. */
function formattedParts<Named>(node: Node, named: (node: Node) => Named | undefined): KeyPart<Named>[] | undefined {
  if (stringPrefix(node).replace('u', '') !== 'f') {
    return undefined;
  }
  const parts: KeyPart<Named>[] = [];
  for (const child of node.namedChildren) {
    const childType = child?.type;
    if (!child || childType === 'string_start' || childType === 'string_end') {
      continue;
    }
    if (childType === 'string_content' || childType === 'escape_sequence') {
      const piece = literalPieceValue(child, false, true);
      if (piece === undefined) {
        return undefined;
      }
      parts.push(piece);
      continue;
    }
    // Only `{NAME}` itself: `{NAME=}` and spaced or commented placeholders are left to run time.
    const expression = childType === 'interpolation' && child.namedChildCount === 1 ? child.firstNamedChild : null;
    const plain = expression && (expression.type === 'identifier' || expression.type === 'attribute') && child.text === `{${expression.text}}`;
    const part = plain ? named(expression) : undefined;
    if (part === undefined) {
      return undefined;
    }
    parts.push(part);
  }
  return parts;
}
