import { PyDict } from './pyDict';
import { PySet, PyTuple, type PyValue } from './pyValue';

/**
 * How many values a decoded value shows as, once each shared container (a pickle's memo lets
 * one list appear twice in another, and that one twice in the next) is counted wherever it
 * appears, up to `limit` (a result above it means "more"). Each container is sized once, so this
 * is linear in the pickle however far it would expand; a container inside itself counts once, as
 * its repr shows it (`[...]`).
 */
export function expandedSize(value: PyValue, limit: number): number {
  const root = containerItems(value);
  if (!root) {
    return 1;
  }
  // Iterative, as a pickle can nest far deeper than the JS stack allows.
  const sizes = new Map<object, number>();
  const open = new Set<object>([root.owner]);
  const stack = [{ owner: root.owner, items: root.values[Symbol.iterator](), total: 1 }];
  for (;;) {
    const top = stack[stack.length - 1]!;
    // A container counts at least what any one inside it does: past the limit, so is the whole.
    if (top.total > limit) {
      return limit + 1;
    }
    const next = top.items.next();
    if (next.done) {
      stack.pop();
      open.delete(top.owner);
      sizes.set(top.owner, top.total);
      const parent = stack[stack.length - 1];
      if (!parent) {
        return top.total;
      }
      parent.total += top.total;
      continue;
    }
    const items = containerItems(next.value);
    const known = items && (sizes.get(items.owner) ?? (open.has(items.owner) ? 1 : undefined));
    if (!items || known !== undefined) {
      top.total += known ?? 1;
      continue;
    }
    open.add(items.owner);
    stack.push({ owner: items.owner, items: items.values[Symbol.iterator](), total: 1 });
  }
}

function containerItems(v: PyValue): { owner: object; values: readonly PyValue[] } | undefined {
  if (Array.isArray(v)) {
    return { owner: v, values: v };
  }
  if (v instanceof PyTuple || v instanceof PySet) {
    return { owner: v, values: v.items };
  }
  if (v instanceof PyDict) {
    const values: PyValue[] = [];
    for (let i = 0; i < v.size; i++) {
      values.push(v.keyAt(i), v.valueAt(i));
    }
    return { owner: v, values };
  }
  return undefined;
}
