import type { SourceLocation } from '../stores/storeDescriptor';
import type { Binding, EvaluationContext } from './evaluationContext';
import { certainStrs, NONE, possibleStrs, type SettingValue, settingValueToJson, unknown, unknownIncluding } from './settingValue';
import { cloneSettingValue } from './settingValueClone';

/**
 * A copy of the context for one way evaluation may go (a branch, an `except`), so what it
 * changes stays in the copy until `joinOutcomes`. Its problems are its own: code that may
 * not run reports nothing.
 */
export function forkContext(ctx: EvaluationContext): EvaluationContext {
  const copies = new Map<SettingValue, SettingValue>();
  const namespace = new Map<string, Binding>([...ctx.namespace].map(([name, binding]) => [name, { ...binding, value: cloneSettingValue(binding.value, copies) }]));
  return { ...ctx, env: ctx.env.clone(), namespace, problems: [] };
}

/**
 * Takes into `ctx` the ways evaluation may have gone (forks of it, or `ctx` itself): a name
 * they all leave with one value has it; a name they leave differently is unknown because of
 * `why`, located at `where` (the condition, the import that may fail), and bound where an
 * outcome changed it. Environment variables join alike.
 */
export function joinOutcomes(ctx: EvaluationContext, outcomes: EvaluationContext[], why: string, where: SourceLocation): void {
  const textOf = (binding: Binding | undefined) => binding && JSON.stringify(settingValueToJson(binding.value));
  // With `ctx` among the outcomes there is no state before the split to compare with: the first outcome locates a name.
  const split = !outcomes.includes(ctx);
  // A name every outcome deletes (`del X`) is in none of them.
  const names = new Set([...(split ? ctx.namespace.keys() : []), ...outcomes.flatMap((outcome) => [...outcome.namespace.keys()])]);
  const joined = new Map<string, Binding | undefined>();
  for (const name of names) {
    const before = split ? textOf(ctx.namespace.get(name)) : undefined;
    const bindings = outcomes.map((outcome) => outcome.namespace.get(name));
    const texts = new Set(bindings.map(textOf));
    if (texts.size === 1) {
      if (split && [...texts][0] !== before) {
        joined.set(name, bindings[0]);
      }
      continue;
    }
    const changed = bindings.find((binding) => binding !== undefined && (!split || textOf(binding) !== before)) ?? bindings.find((binding) => binding !== undefined);
    joined.set(name, { value: heldByAll(bindings, unknown(why, where)), location: changed?.location ?? where });
  }
  for (const [name, binding] of joined) {
    if (binding) {
      ctx.namespace.set(name, binding);
    } else {
      ctx.namespace.delete(name);
    }
  }
  ctx.env.join(outcomes.map((outcome) => outcome.env), why);
  joinJumps(ctx, outcomes, why, where);
}

/**
 * `joined` holding the strs every outcome's list or tuple holds for certain: an app that every
 * way through a condition installs stays installed, whichever way Django goes.
 */
function heldByAll(bindings: (Binding | undefined)[], joined: SettingValue): SettingValue {
  const held = bindings.map((binding) => certainStrs(binding?.value));
  if (joined.kind !== 'unknown' || held.some((strs) => strs === undefined)) {
    return joined;
  }
  const [first, ...rest] = held as string[][];
  const including = unknownIncluding(joined, first!.filter((str) => rest.every((strs) => strs.includes(str))));
  // Where every way leaves a list of known strs, no other str is in it: django-wiki's sessions
  // app, named by its AppConfig, is in none of the ways its debug-toolbar try may go.
  const possible = bindings.map((binding) => possibleStrs(binding?.value));
  return including.kind === 'unknown' && possible.every((strs) => strs !== undefined) ? { ...including, only: [...new Set(possible.flat() as string[])] } : including;
}

/**
 * The jump the outcomes make together: the one they all make (a `return` giving what they all
 * give, else unknown), or undecided when they differ.
 */
function joinJumps(ctx: EvaluationContext, outcomes: EvaluationContext[], why: string, where: SourceLocation): void {
  const undecided = outcomes.find((outcome) => outcome.jumpUndecided !== undefined)?.jumpUndecided;
  const jumps = new Set(outcomes.map((outcome) => outcome.jump));
  if (undecided !== undefined || jumps.size > 1) {
    ctx.jumpUndecided = undecided ?? why;
    return;
  }
  ctx.jump = outcomes[0]?.jump;
  if (ctx.jump === 'return' || ctx.jump === 'raise') {
    const given = new Set(outcomes.map((outcome) => JSON.stringify(settingValueToJson(outcome.returned ?? NONE))));
    ctx.returned = given.size === 1 ? outcomes[0]!.returned : unknown(why, where);
  }
}

/** Makes `ctx` what its fork `outcome` (see forkContext) became, in place: the module's namespace is shared by identity. */
export function adoptOutcome(ctx: EvaluationContext, outcome: EvaluationContext): void {
  ctx.namespace.clear();
  outcome.namespace.forEach((binding, name) => ctx.namespace.set(name, binding));
  ctx.env.join([outcome.env], '');
  ctx.problems.push(...outcome.problems);
}

/**
 * A call that raises for certain raises where it is made: in a function being called, or in the
 * body of a `try`, the rest is skipped (see jump). Settings that raise at module level are noted
 * once the statement has run, as a `raise` statement is (see runStatements).
 */
export function raiseFrom(result: SettingValue, ctx: EvaluationContext): void {
  if (result.kind === 'unknown' && result.raises !== undefined && ctx.jump === undefined) {
    ctx.jump = 'raise';
    ctx.returned = result;
  }
}
