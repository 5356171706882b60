import type { Node } from 'web-tree-sitter';
import { type Binding, type EvaluationContext, locationOf, spanOf } from './evaluationContext';
import type { SourceLocation } from '../stores/storeDescriptor';
import type { SettingValue } from './settingValue';

/** Binds `name` at module level, located at `at`; `valueNode` is where a plain assignment writes the value, for quick fixes. */
export function bind(name: string, value: SettingValue, at: Node, ctx: EvaluationContext, valueNode?: Node): void {
  const binding: Binding = { value, location: locationOf(ctx.file, at) };
  if (valueNode) {
    binding.valueSpan = spanOf(ctx.file, valueNode);
  }
  ctx.namespace.set(name, binding);
}

/** Moves the location of the root name of `X[...]` / `X.update(...)` to the statement that changed it. */
export function touch(node: Node, ctx: EvaluationContext): void {
  let root: Node | null = node;
  while (root && (root.type === 'subscript' || root.type === 'attribute')) {
    root = root.childForFieldName(root.type === 'subscript' ? 'value' : 'object');
  }
  const binding = root?.type === 'identifier' ? ctx.namespace.get(root.text) : undefined;
  if (binding && root) {
    binding.location = locationOf(ctx.file, node);
    delete binding.valueSpan;
  }
}

/**
 * Makes `name` unknown at `location`, where something that cannot be followed may have changed
 * it, keeping where the name itself was last assigned (see Binding.nameAt).
 */
export function forgetBinding(name: string, value: SettingValue, location: SourceLocation, ctx: EvaluationContext): void {
  const before = ctx.namespace.get(name);
  const nameAt = before && (before.nameAt ?? before.location);
  ctx.namespace.set(name, nameAt ? { value, location, nameAt } : { value, location });
}
