import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { iterationItems, MAX_ITERATIONS } from './loopStatements';
import { randomValue } from './randomValue';
import { evaluateExpression } from './settingsExpression';
import { assignTarget } from './settingsStatements';
import { type SettingValue, truthiness, unknown } from './settingValue';

/** Why an expression cannot be told: made at random, or a construct static reading does not follow. */
export function cannotEvaluate(node: Node, ctx: EvaluationContext): SettingValue {
  return randomValue(node, ctx) ?? unknown(`cannot evaluate ${node.type.replace(/_/g, ' ')} statically`, locationOf(ctx.file, node));
}

/**
 * A list, set or dict comprehension with one `for` over items known statically and any `if`s
 * (InvenTree's `{key.upper(): value for key, value in db_config.items()}`): each item is bound
 * in a scope of the comprehension's own, as Python binds it.
 */
export function evaluateComprehension(node: Node, ctx: EvaluationContext): SettingValue {
  const body = node.childForFieldName('body');
  const clauses = node.namedChildren.filter((child): child is Node => child !== null && child.id !== body?.id && child.type !== 'comment');
  const loops = clauses.filter((clause) => clause.type === 'for_in_clause');
  const conditions = clauses.filter((clause) => clause.type === 'if_clause');
  const loop = loops[0];
  const target = loop?.childForFieldName('left');
  const iterable = loop?.childForFieldName('right');
  if (!body || loops.length !== 1 || !target || !iterable || conditions.length + 1 !== clauses.length) {
    return cannotEvaluate(node, ctx);
  }
  const items = iterationItems(iterable, ctx);
  if (!Array.isArray(items)) {
    return items.kind === 'unknown' ? items : cannotEvaluate(node, ctx);
  }
  if (items.length > MAX_ITERATIONS) {
    return cannotEvaluate(node, ctx);
  }
  const results: SettingValue[] = [];
  const entries = new Map<string, SettingValue>();
  for (const item of items) {
    // The comprehension's own scope binds its target; the objects it reaches are the module's
    // (`seen.add(x)` in CommCare's dedupe of INSTALLED_APPS changes `seen` for the next item).
    const scope: EvaluationContext = { ...ctx, namespace: new Map(ctx.namespace), problems: [] };
    assignTarget(target, item, scope);
    const kept = conditions.map((condition) => truthiness(evaluateExpression(condition.namedChildren[0]!, scope)));
    if (kept.includes(undefined)) {
      return unknown(`cannot tell which items ${node.type.replace(/_/g, ' ')} keeps statically`, locationOf(ctx.file, node));
    }
    if (kept.includes(false)) {
      continue;
    }
    if (body.type === 'pair') {
      const key = evaluateExpression(body.childForFieldName('key')!, scope);
      if (key.kind !== 'str') {
        return key.kind === 'unknown' ? key : cannotEvaluate(node, ctx);
      }
      entries.set(key.value, evaluateExpression(body.childForFieldName('value')!, scope));
    } else {
      results.push(evaluateExpression(body, scope));
    }
  }
  return body.type === 'pair' ? { kind: 'dict', entries } : { kind: 'list', items: results };
}
