import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf, sourceSnippet } from './evaluationContext';
import { bind } from './namespaceBinding';
import { type SettingValue, unknown } from './settingValue';
import { setEnvironPrefix } from './environCall';
import { evaluateExpression } from './settingsExpression';
import { adoptOutcome, forkContext } from './evaluationOutcomes';
import { raisedName, runStatement, runStatements } from './settingsStatements';
import { catchesName } from './tryStatement';

/**
 * The exception names `with suppress(E1, E2):` (contextlib's) swallows; undefined for a block
 * under any other context manager, whose body just runs.
 */
function suppressedNames(statement: Node): Set<string> | undefined {
  const clause = statement.namedChildren.find((child) => child?.type === 'with_clause');
  for (const item of clause?.namedChildren ?? []) {
    let value = item?.childForFieldName('value') ?? item?.namedChildren[0] ?? null;
    if (value?.type === 'as_pattern') {
      value = value.namedChildren[0] ?? null;
    }
    const callee = value?.type === 'call' ? value.childForFieldName('function')?.text : undefined;
    if (callee === 'suppress' || callee === 'contextlib.suppress') {
      const args = value!.childForFieldName('arguments')?.namedChildren ?? [];
      return new Set(args.flatMap((arg) => (arg && arg.type !== 'comment' ? [arg.text.split('.').pop()!] : [])));
    }
  }
  return undefined;
}

/**
 * `with open(path) as f:` binds `f` to what the context manager gives, which is not read
 * statically: a read of it then says so, instead of calling `f` undefined (pretalx's older
 * `SECRET_KEY = f.read().strip()`).
 */
function bindTargets(statement: Node, ctx: EvaluationContext): void {
  const clause = statement.namedChildren.find((child) => child?.type === 'with_clause');
  for (const item of clause?.namedChildren ?? []) {
    const pattern = item?.childForFieldName('value');
    const alias = pattern?.type === 'as_pattern' ? pattern.childForFieldName('alias') : null;
    const name = alias?.type === 'as_pattern_target' ? alias.namedChildren[0] : alias;
    if (pattern && name?.type === 'identifier') {
      bind(name.text, unknown(`what ${sourceSnippet(pattern.namedChildren[0] ?? pattern)} gives to its with statement is not read statically`, locationOf(ctx.file, name)), name, ctx);
    }
  }
}

/**
 * `with env.prefixed("APP_"):` of environs: its Env reads `APP_NAME` for `NAME` in the block (the
 * prefix added to one it has). What each Env's prefix was before, to be put back after the block.
 */
function environsPrefixes(statement: Node, ctx: EvaluationContext): { env: Extract<SettingValue, { kind: 'environ' }>; prefix: string | { unknown: string } | undefined }[] {
  const clause = statement.namedChildren.find((child) => child?.type === 'with_clause');
  const before: { env: Extract<SettingValue, { kind: 'environ' }>; prefix: string | { unknown: string } | undefined }[] = [];
  for (const item of clause?.namedChildren ?? []) {
    let value = item?.childForFieldName('value') ?? item?.namedChildren[0] ?? null;
    if (value?.type === 'as_pattern') {
      value = value.namedChildren[0] ?? null;
    }
    const callee = value?.type === 'call' ? value.childForFieldName('function') : null;
    const object = callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'prefixed' ? evaluateExpression(callee.childForFieldName('object')!, ctx) : undefined;
    const arg = value?.childForFieldName('arguments')?.namedChildren.find((child) => child && child.type !== 'comment');
    if (object?.kind !== 'environ' || object.library !== 'environs' || !arg) {
      continue;
    }
    before.push({ env: object, prefix: object.prefix });
    const added = evaluateExpression(arg, ctx);
    setEnvironPrefix(object, typeof object.prefix === 'string' && added.kind === 'str' ? { kind: 'str', value: `${object.prefix}${added.value}` } : typeof object.prefix === 'object' ? unknown(object.prefix.unknown) : added);
  }
  return before;
}

/**
 * A `with` block. Under `suppress(...)`, an exception it names that a statement raises for
 * certain ends the block there, as Python leaves it, instead of stopping the settings (PostHog's
 * `with suppress(Exception): as_json = json.loads(get_from_env(...))`).
 */
export function runWith(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  const body = statement.childForFieldName('body');
  if (!body) {
    return;
  }
  bindTargets(statement, ctx);
  const prefixed = environsPrefixes(statement, ctx);
  const suppressed = suppressedNames(statement);
  if (!suppressed) {
    runStatements(body, ctx, inTry);
    prefixed.forEach(({ env, prefix }) => (env.prefix = prefix));
    return;
  }
  // `with suppress(ImportError): from .override_settings import *` (pretalx): a missing module is no problem.
  const importsMayFail = inTry || catchesName(suppressed, 'ModuleNotFoundError') || catchesName(suppressed, 'ImportError');
  ctx.tryDepth = (ctx.tryDepth ?? 0) + 1;
  try {
    for (const child of body.namedChildren) {
      if (!child || child.type === 'comment') {
        continue;
      }
      if (ctx.jump !== undefined || ctx.jumpUndecided !== undefined || (child.type === 'raise_statement' && catchesName(suppressed, raisedName(child)))) {
        return;
      }
      const before = forkContext(ctx);
      runStatement(child, ctx, importsMayFail);
      if (ctx.jump === 'raise') {
        const exception = ctx.returned?.kind === 'unknown' ? ctx.returned.raises : undefined;
        if (exception !== undefined && catchesName(suppressed, exception)) {
          // The statement that raised binds nothing: `x = f()` leaves x as it was.
          adoptOutcome(ctx, before);
          ctx.jump = undefined;
          ctx.returned = undefined;
        }
        return;
      }
    }
  } finally {
    ctx.tryDepth -= 1;
    prefixed.forEach(({ env, prefix }) => (env.prefix = prefix));
  }
}
