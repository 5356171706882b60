import type { Node } from 'web-tree-sitter';
import type { SourceLocation } from '../stores/storeDescriptor';
import type { EvaluationContext } from './evaluationContext';
import { evaluateExpression } from './settingsExpression';
import { type SettingValue, unknown } from './settingValue';

/** `items[start:stop]` of a list, tuple or str with int bounds (weblate's `sys.argv[1:2] == ["test"]`); a step other than 1 is not read. */
export function sliceOf(container: SettingValue, slice: Node, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const bounds: (number | undefined)[] = [undefined, undefined, undefined];
  let part = 0;
  for (const child of slice.children) {
    if (child?.type === ':') {
      part++;
    } else if (child) {
      const bound = evaluateExpression(child, ctx);
      if (bound.kind !== 'int' && bound.kind !== 'none') {
        return bound.kind === 'unknown' ? bound : unknown(`cannot evaluate the slice ${slice.text} statically`, here);
      }
      bounds[part] = bound.kind === 'int' ? bound.value : undefined;
    }
  }
  const [start, stop, step] = bounds;
  if (step !== undefined && step !== 1) {
    return unknown(`static reading does not evaluate the slice ${slice.text}`, here);
  }
  // JavaScript's slice() clamps and counts negative bounds from the end as Python's does.
  if (container.kind === 'list' || container.kind === 'tuple') {
    return { kind: container.kind, items: container.items.slice(start, stop) };
  }
  if (container.kind === 'str') {
    return { kind: 'str', value: [...container.value].slice(start, stop).join('') };
  }
  return container.kind === 'unknown' ? container : unknown(`cannot evaluate ${slice.parent?.text ?? slice.text} statically`, here);
}
