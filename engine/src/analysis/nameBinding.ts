import type { Node } from 'web-tree-sitter';

const PARAMETERS = new Set(['parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter', 'list_splat_pattern', 'dictionary_splat_pattern']);
const TARGETS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'delete_statement']);
/** What a name in a destructuring target may be nested in (`for a, (b, *c) in …`). */
const PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern']);
/**
 * What a name in a `with … as` or `except … as` target may be nested in: the grammar parses
 * that target as an expression (`with x as (s, [t, *u]):`), not as a pattern.
 */
const AS_TARGET_PARTS = new Set(['tuple', 'list', 'list_splat', 'parenthesized_expression']);

/**
 * How Python's scoping reads an identifier: whether it binds its name, is neither a binding nor a use, or uses it; a
 * comprehension's target or a lambda's parameter gives the comprehension or lambda instead.
 */
export function bindingKind(node: Node, parent: Node): 'binding' | 'other' | 'use' | Node {
  const type = parent.type;
  const first = parent.startIndex === node.startIndex;
  if ((type === 'assignment' || type === 'named_expression') && first) {
    return 'binding';
  }
  if (type === 'augmented_assignment' && first) {
    return 'other';
  }
  if (type === 'for_statement' || type === 'for_in_clause') {
    if (parent.childForFieldName('left')?.id !== node.id) {
      return 'use';
    }
    return type === 'for_in_clause' ? parent.parent! : 'binding';
  }
  if (type === 'lambda_parameters') {
    return parent.parent!;
  }
  if (PATTERNS.has(type) || type === 'dictionary_splat_pattern' || (type === 'default_parameter' && first)) {
    // Destructured by a comprehension's `for`, or a lambda's parameter: the comprehension's or lambda's own.
    let outer = parent.parent;
    while (outer && PATTERNS.has(outer.type)) {
      outer = outer.parent;
    }
    const owner = outer?.type === 'for_in_clause' || outer?.type === 'lambda_parameters' ? outer.parent : null;
    if (owner) {
      return owner;
    }
  }
  if (AS_TARGET_PARTS.has(type) && isInAsTarget(parent)) {
    return 'binding';
  }
  if (TARGETS.has(type) || PARAMETERS.has(type) || (type === 'expression_list' && parent.parent?.type === 'delete_statement')) {
    return type === 'default_parameter' || type === 'typed_default_parameter' ? (first ? 'binding' : 'use') : 'binding';
  }
  // `import json as s` binds `s` (what it imports is a dotted_name below it, never a child).
  if (type === 'aliased_import') {
    return 'binding';
  }
  // A keyword argument's name is none.
  if (type === 'keyword_argument' && first) {
    return 'other';
  }
  return 'use';
}

/** Whether a tuple, list or parentheses is (part of) the target of `with … as` or `except … as`. */
function isInAsTarget(node: Node): boolean {
  let outer = node.parent;
  while (outer && AS_TARGET_PARTS.has(outer.type)) {
    outer = outer.parent;
  }
  return outer?.type === 'as_pattern_target';
}
