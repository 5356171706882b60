import type { Node } from 'web-tree-sitter';
import type { SourceLocation } from '../stores/storeDescriptor';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { forkContext, joinOutcomes } from './evaluationOutcomes';
import { type Failure, importRisk, type Risk } from './importFailure';
import { noteEnvFileLoads } from './skippedEnvLoads';
import { runStatement, runStatements } from './settingsStatements';
import { type SettingValue, settingValueToJson } from './settingValue';

const IMPORT_ERRORS = new Set(['ImportError', 'ModuleNotFoundError']);
const CATCH_ALL = new Set(['Exception', 'BaseException']);

/**
 * `try` / `except` / `else` / `finally`. The body runs statement by statement; where one
 * raises for certain (an import of a module the project lacks: `from .local_settings import *`
 * without that file) the matching `except` runs instead of the rest and of `else`. Where one
 * may raise (an import from outside the project, whose installation static reading cannot
 * see; a statement leaving a value unknown, such as `os.environ["X"]`), the `except` that would
 * catch it runs as another way evaluation may go, and the settings the two ways leave
 * differently are unknown. Nothing that may raise is assumed to succeed, or to fail.
 */
export function runTry(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  const handlers = statement.namedChildren
    .filter((child): child is Node => child?.type === 'except_clause')
    .map((clause) => ({ catches: caught(clause), names: caughtNames(clause), body: clause.namedChildren.find((child) => child?.type === 'block') ?? undefined }));
  const clauseBody = (type: string) => statement.namedChildren.find((child) => child?.type === type)?.namedChildren.find((child) => child?.type === 'block') ?? undefined;
  const body = statement.childForFieldName('body');
  const handlerFor = (failure: Failure) => handlers.find((handler) => handler.catches.has(failure));
  const failures: EvaluationContext[] = [];
  let first: { why: string; where: SourceLocation } | undefined;
  let raised = false;
  const ran = new Set<Node>();
  ctx.tryDepth = (ctx.tryDepth ?? 0) + 1;
  for (const child of body?.namedChildren ?? []) {
    if (ctx.jump !== undefined || ctx.jumpUndecided !== undefined) {
      break;
    }
    if (!child || child.type === 'comment') {
      continue;
    }
    const risk = importRisk(child, ctx) ?? (child.type === 'raise_statement' ? { failure: 'other', certain: true, why: `${child.text} raises` } : undefined);
    const handler = risk && handlerFor(risk.failure);
    if (risk?.certain) {
      if (handler?.body) {
        if (risk.assumption) {
          ctx.problems.push({ message: risk.assumption, location: locationOf(ctx.file, child) });
        }
        ran.add(handler.body);
        runStatements(handler.body, ctx, inTry);
        raised = true;
        break;
      }
      if (risk.failure === 'import' && !risk.assumption) {
        ctx.problems.push({ message: `${risk.why}, and no except clause catches ImportError`, location: locationOf(ctx.file, child) });
        continue;
      }
    }
    const before = forkContext(ctx);
    runStatement(child, ctx, inTry || handlerFor('import') !== undefined);
    if (ctx.jump === 'raise') {
      // A call raised for certain: the first handler naming its exception runs instead of the rest.
      const exception = ctx.returned?.kind === 'unknown' ? ctx.returned.raises : undefined;
      const handler = exception === undefined ? undefined : handlers.find((candidate) => catchesName(candidate.names, exception));
      if (handler?.body) {
        ctx.jump = undefined;
        ctx.returned = undefined;
        ran.add(handler.body);
        runStatements(handler.body, ctx, inTry);
        raised = true;
      }
      break;
    }
    const found = risk ?? unknownAfter(child, before, ctx);
    if (!found) {
      continue;
    }
    // The first handler that may catch what this statement may raise is another way evaluation may go.
    for (const maybe of found.failure === 'import' ? [handlerFor('import')] : handlers.filter((candidate) => candidate.catches.has('other'))) {
      if (maybe?.body) {
        ran.add(maybe.body);
        runStatements(maybe.body, before, inTry);
        failures.push(before);
        first ??= { why: found.why, where: locationOf(ctx.file, child) };
        break;
      }
    }
  }
  ctx.tryDepth -= 1;
  const elseBody = clauseBody('else_clause');
  if (elseBody && !raised && ctx.jump === undefined) {
    runStatements(elseBody, ctx, inTry);
  }
  if (first) {
    joinOutcomes(ctx, [ctx, ...failures], first.why, first.where);
  }
  for (const handler of handlers) {
    if (handler.body && !ran.has(handler.body)) {
      noteEnvFileLoads(handler.body, ctx);
    }
  }
  const finallyBody = clauseBody('finally_clause');
  if (finallyBody) {
    // A finally clause runs on the way out of a return too; a jump of its own replaces that one.
    const { jump, returned } = ctx;
    ctx.jump = undefined;
    runStatements(finallyBody, ctx, inTry);
    if (ctx.jump === undefined && jump !== undefined) {
      ctx.jump = jump;
      ctx.returned = returned;
    }
  }
}

/** The exception names an except clause lists (`except (ValueError, KeyError) as e:`); undefined for a bare `except:`. */
function caughtNames(clause: Node): Set<string> | undefined {
  let value = clause.childForFieldName('value');
  if (value?.type === 'as_pattern') {
    value = value.namedChildren[0] ?? null;
  }
  if (!value) {
    return undefined;
  }
  const nodes = value.type === 'tuple' || value.type === 'parenthesized_expression' ? value.namedChildren : [value];
  return new Set(nodes.map((node) => node?.text.split('.').pop() ?? ''));
}

/** Whether a clause listing `names` catches `exception` by its name: itself, Exception, BaseException, or a bare except. */
export function catchesName(names: Set<string> | undefined, exception: string): boolean {
  const name = exception.split('.').pop()!;
  return names === undefined || names.has(name) || [...CATCH_ALL].some((all) => names.has(all));
}

/** What an except clause catches: ImportError and ModuleNotFoundError, or the rest; a bare `except:` or `except Exception:` both. */
function caught(clause: Node): Set<Failure> {
  let value = clause.childForFieldName('value');
  if (value?.type === 'as_pattern') {
    value = value.namedChildren[0] ?? null;
  }
  if (!value) {
    return new Set(['import', 'other']);
  }
  const names = (value.type === 'tuple' || value.type === 'parenthesized_expression' ? value.namedChildren : [value]).map((node) => node?.text.split('.').pop() ?? '');
  const kinds = new Set<Failure>();
  for (const name of names) {
    if (IMPORT_ERRORS.has(name) || CATCH_ALL.has(name)) {
      kinds.add('import');
    }
    if (!IMPORT_ERRORS.has(name)) {
      kinds.add('other');
    }
  }
  return kinds;
}

/** A statement that left a setting it changed unknown may have raised on the way (`os.environ["X"]` unset). */
function unknownAfter(statement: Node, before: EvaluationContext, ctx: EvaluationContext): Risk | undefined {
  for (const [name, binding] of ctx.namespace) {
    const previous = before.namespace.get(name);
    const cause = unknownWithin(binding.value);
    if (cause && (!previous || JSON.stringify(settingValueToJson(previous.value)) !== JSON.stringify(settingValueToJson(binding.value)))) {
      return { failure: 'other', certain: false, why: `depends on whether ${statementHead(statement)} raises: ${cause.reason}` };
    }
  }
  return undefined;
}

/** A statement's first line as a reader names it: no trailing comment or colon (Mayan's `with open(…) as f:  # NOQA: F821`). */
function statementHead(statement: Node): string {
  return statement.text.split('\n')[0]!.replace(/\s+#.*$/, '').replace(/:\s*$/, '');
}

function unknownWithin(value: SettingValue): Extract<SettingValue, { kind: 'unknown' }> | undefined {
  switch (value.kind) {
    case 'unknown':
      return value;
    case 'list':
    case 'tuple':
      return value.items.map(unknownWithin).find((found) => found !== undefined);
    case 'dict':
      return [...value.entries.values()].map(unknownWithin).find((found) => found !== undefined);
    default:
      return undefined;
  }
}
