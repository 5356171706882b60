import type { Node } from 'web-tree-sitter';
import type { Scopes } from './scopes';
import type { SessionAccess } from './sessionAccesses';
import { nodesSpelled } from './textAnchors';

/** What an instance attribute may be assigned as part of: `self.a, self.b = …`. */
const TARGET_PARTS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern']);

/**
 * Marks the `self.NAME` keys that the class's own methods assign on the instance (`self.key =
 * key` in `__init__`): when no class attribute names such a key, it is reported as what it is, a
 * value set at runtime, rather than as a class attribute the scanner cannot find. Only the names
 * used as keys are looked up, from their occurrences in the class's text.
 */
export function markInstanceAttributes(accesses: SessionAccess[], root: Node, text: string, scopes: Scopes): void {
  const assigned = new Map<string, boolean>();
  for (const access of accesses) {
    const key = access.key;
    // `cls.NAME` reads the class's attribute, whatever instances hold.
    if (key.kind !== 'classAttribute' || !access.keyText?.startsWith('self.')) {
      continue;
    }
    const at = root.descendantForPosition({ row: access.range.start.line, column: access.range.start.character });
    const cls = at ? scopes.classOf(at) : undefined;
    if (!cls) {
      continue;
    }
    const id = `${cls.startIndex}:${key.name}`;
    let onInstance = assigned.get(id);
    if (onInstance === undefined) {
      onInstance = nodesSpelled(root, text, key.name, cls.startIndex, cls.endIndex).some(isInstanceAssignment);
      assigned.set(id, onInstance);
    }
    if (onInstance) {
      access.key = { ...key, setOnInstance: true };
    }
  }
}

/** Whether a name is the attribute of `self.NAME` as an assignment's target. */
function isInstanceAssignment(name: Node): boolean {
  const attribute = name.parent;
  if (attribute?.type !== 'attribute' || attribute.childForFieldName('attribute')?.id !== name.id || attribute.childForFieldName('object')?.text !== 'self') {
    return false;
  }
  let target = attribute;
  let outer = attribute.parent;
  while (outer && TARGET_PARTS.has(outer.type)) {
    target = outer;
    outer = outer.parent;
  }
  return (outer?.type === 'assignment' || outer?.type === 'augmented_assignment') && outer.childForFieldName('left')?.id === target.id;
}
