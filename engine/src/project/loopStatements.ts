import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf, sourceSnippet } from './evaluationContext';
import { adoptOutcome, forkContext, joinOutcomes } from './evaluationOutcomes';
import { assignTarget, runStatements } from './settingsStatements';
import { evaluateExpression } from './settingsExpression';
import { type SettingValue, truthiness, unknown } from './settingValue';
import { withCause } from './undecidedCondition';

/** More iterations than settings make; a longer loop is not unrolled. */
export const MAX_ITERATIONS = 1000;

/**
 * `for x in ITERABLE:` runs its body once per item where the items are known (a list, a
 * tuple, a dict's keys, `.items()`, `.values()`, `range(n)`): `for alias in CACHES:
 * CACHES[alias]['KEY_PREFIX'] = 'shop'` changes every cache, and `for path in CANDIDATES: if
 * Path(path).exists(): load_dotenv(path); break` loads the first file there is. Otherwise, or
 * when whether the body breaks or continues cannot be told, what the body changes is unknown,
 * since it may run any number of times.
 */
export function runFor(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  const target = statement.childForFieldName('left');
  const iterable = statement.childForFieldName('right');
  const body = statement.childForFieldName('body');
  const orElse = statement.childForFieldName('alternative')?.childForFieldName('body') ?? undefined;
  if (!target || !iterable || !body) {
    return;
  }
  const items = iterationItems(iterable, ctx);
  if (Array.isArray(items) && items.length <= MAX_ITERATIONS && runItems(items, target, body, orElse, ctx, inTry)) {
    return;
  }
  const here = locationOf(ctx.file, statement);
  const cause = Array.isArray(items) ? (items.length > MAX_ITERATIONS ? `, over ${MAX_ITERATIONS} times` : ', which may break or continue where static reading cannot tell') : items.kind === 'unknown' ? `: ${items.reason}` : '';
  const why = `changed in a loop that cannot be followed statically (for ${target.text} in ${sourceSnippet(iterable)}${cause})`;
  runUnfollowedLoop(body, orElse, ctx, inTry, why, here, (once) => assignTarget(target, unknown(why, here), once));
}

/**
 * Runs the body once per item, following `break` and `continue`, then the `else` clause unless
 * it broke out. A body that may jump runs on a fork first: false, with `ctx` untouched, when
 * whether it jumps cannot be told.
 */
function runItems(items: SettingValue[], target: Node, body: Node, orElse: Node | undefined, ctx: EvaluationContext, inTry: boolean): boolean {
  const run = jumps(body) ? { ...forkContext(ctx), followsJumps: true } : ctx;
  let broke = false;
  for (const item of items) {
    assignTarget(target, item, run);
    runStatements(body, run, inTry);
    if (run.jumpUndecided !== undefined) {
      return false;
    }
    if (run.jump === 'return' || run.jump === 'raise') {
      // Out of the function being called, past the loop and its else clause.
      adoptOutcome(ctx, run);
      ctx.jump = run.jump;
      ctx.returned = run.returned;
      return true;
    }
    broke = run.jump === 'break';
    run.jump = undefined;
    if (broke) {
      break;
    }
  }
  if (run !== ctx) {
    adoptOutcome(ctx, run);
  }
  if (orElse && !broke) {
    runStatements(orElse, ctx, inTry);
  }
  return true;
}

/** `while condition:`: never run when the condition is false; otherwise not followed, as a `for` over unknown items. */
export function runWhile(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  const condition = statement.childForFieldName('condition');
  const body = statement.childForFieldName('body');
  const orElse = statement.childForFieldName('alternative')?.childForFieldName('body') ?? undefined;
  if (!condition || !body) {
    return;
  }
  const value = evaluateExpression(condition, ctx);
  if (truthiness(value) === false) {
    if (orElse) {
      runStatements(orElse, ctx, inTry);
    }
    return;
  }
  const here = locationOf(ctx.file, statement);
  runUnfollowedLoop(body, orElse, ctx, inTry, `changed in a loop that cannot be followed statically (while ${withCause(condition.text, value, here)})`, here, () => undefined);
}

/**
 * A loop that may run its body any number of times: the ways evaluation may go are not at all
 * and once with unknown items, and what they leave differently is unknown. Two runs may
 * change more than one does, but a setting one run changes is unknown either way.
 */
function runUnfollowedLoop(body: Node, orElse: Node | undefined, ctx: EvaluationContext, inTry: boolean, why: string, here: ReturnType<typeof locationOf>, bindItem: (once: EvaluationContext) => void): void {
  // The whole body counts, also what follows a `break` or `continue` that may not run.
  const once = { ...forkContext(ctx), followsJumps: false };
  bindItem(once);
  runStatements(body, once, inTry);
  joinOutcomes(ctx, [ctx, once], why, here);
  if (orElse) {
    runStatements(orElse, ctx, inTry);
  }
}

/** The items a `for` goes through, or the unknown value of its iterable. */
export function iterationItems(iterable: Node, ctx: EvaluationContext): SettingValue[] | SettingValue {
  const callee = iterable.type === 'call' ? iterable.childForFieldName('function') : null;
  const args = (iterable.childForFieldName('arguments')?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
  if (callee?.type === 'identifier' && callee.text === 'range' && !ctx.namespace.has('range')) {
    const bounds = args.map((arg) => evaluateExpression(arg, ctx)).map((bound) => (bound.kind === 'int' ? bound.value : undefined));
    if ((bounds.length === 1 || bounds.length === 2) && !bounds.includes(undefined)) {
      const [start, stop] = bounds.length === 1 ? [0, bounds[0]!] : [bounds[0]!, bounds[1]!];
      return Array.from({ length: Math.max(0, Math.min(stop - start, MAX_ITERATIONS + 1)) }, (_, i): SettingValue => ({ kind: 'int', value: start + i }));
    }
  }
  const value = evaluateExpression(iterable, ctx);
  switch (value.kind) {
    case 'list':
    case 'tuple':
      return [...value.items];
    case 'dict':
      return [...value.entries.keys()].map((key) => ({ kind: 'str', value: key }));
    case 'str':
      return [...value.value].map((char) => ({ kind: 'str', value: char }));
    case 'unknown':
      return value;
    default:
      return unknown(`cannot iterate over ${sourceSnippet(iterable)} statically`, locationOf(ctx.file, iterable));
  }
}

/** Whether a loop body may leave early (`break`, `continue`, or `return` and `raise` in a function being called). */
function jumps(body: Node): boolean {
  return body.descendantsOfType(['break_statement', 'continue_statement', 'return_statement', 'raise_statement']).length > 0;
}
