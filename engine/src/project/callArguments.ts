import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { evaluateExpression } from './settingsExpression';
import { type SettingValue, unknown } from './settingValue';

/** A call's arguments as evaluated: positional ones in order (splats spread), keywords by name. */
export interface CallArgs {
  positional: SettingValue[];
  keywords: Map<string, SettingValue>;
}

/** Evaluates the arguments of a call node. */
export function evaluateArgs(node: Node, ctx: EvaluationContext): CallArgs {
  const args: CallArgs = { positional: [], keywords: new Map() };
  const list = node.childForFieldName('arguments');
  // `f(x for x in items)`: the generator is the call's only argument, in place of an argument list.
  if (list?.type === 'generator_expression') {
    args.positional.push(evaluateExpression(list, ctx));
    return args;
  }
  for (const arg of list?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') {
      continue;
    }
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text ?? '';
      args.keywords.set(name, evaluateExpression(arg.childForFieldName('value')!, ctx));
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      // `f(*parts)` and `f(**options)` of a known tuple, list or dict pass its items.
      const spread = evaluateExpression(arg.namedChildren[0]!, ctx);
      if (arg.type === 'list_splat' && (spread.kind === 'list' || spread.kind === 'tuple')) {
        args.positional.push(...spread.items);
      } else if (arg.type === 'dictionary_splat' && spread.kind === 'dict') {
        spread.entries.forEach((value, name) => args.keywords.set(name, value));
      } else {
        args.positional.push(spread.kind === 'unknown' ? spread : unknown(`cannot pass ${arg.text} statically`, locationOf(ctx.file, arg)));
      }
    } else {
      args.positional.push(evaluateExpression(arg, ctx));
    }
  }
  return args;
}
