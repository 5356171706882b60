import type { Node } from 'web-tree-sitter';
import { callArgumentNodes, runCallStatement } from './callStatement';
import { type EvaluationContext, locationOf, sourceSnippet } from './evaluationContext';
import { setEnvironPrefix } from './environCall';
import { forkContext, joinOutcomes } from './evaluationOutcomes';
import { runFor, runWhile } from './loopStatements';
import { noteImportFailure } from './importFailure';
import { importFrom, importModules } from './importStatements';
import { runMatch } from './matchStatement';
import { bindModuleCopy, copiedModule } from './moduleReflection';
import { bind, touch } from './namespaceBinding';
import { evaluateExpression, isModuleBeingEvaluated } from './settingsExpression';
import { runWith } from './withStatement';
import { noteEnvFileLoads } from './skippedEnvLoads';
import { certainStrs, NONE, type SettingValue, stringOf, truthiness, unknown, unknownIncluding, withoutOnly } from './settingValue';
import { runTry } from './tryStatement';
import { undecidedCondition } from './undecidedCondition';
import { forgetContainer, forgetEverySetting, handsOverNamespace } from './unfollowedEffects';
import { MAX_STATIC_CHARS, MAX_STATIC_ITEMS, tooLarge } from './staticSizeLimits';

/**
 * Runs the module-level statements of a settings file in order, as Python would, but only
 * through the static evaluator: later assignments override earlier ones, `+=` and
 * `.update()` apply where their operands are known, and branches on unknown conditions
 * make what they assign unknown. What cannot be followed makes what it may change unknown,
 * so no earlier value or Django default is reported as if known.
 */
export function runStatements(block: Node, ctx: EvaluationContext, inTry = false): void {
  for (const statement of block.namedChildren) {
    if (ctx.jump !== undefined || ctx.jumpUndecided !== undefined) {
      return;
    }
    if (statement) {
      runStatement(statement, ctx, inTry);
      noteModuleRaise(statement, ctx);
    }
  }
}

/**
 * A call that raised for certain at module level, outside any `try`: Django cannot import the
 * settings, as for a `raise` statement, and the rest is read on, as it is after one.
 */
function noteModuleRaise(statement: Node, ctx: EvaluationContext): void {
  if (ctx.jump !== 'raise' || ctx.callDepth !== undefined || (ctx.tryDepth ?? 0) > 0) {
    return;
  }
  const raised = ctx.returned?.kind === 'unknown' ? ctx.returned : undefined;
  noteSettingsRaise(ctx, `the settings raise ${raised?.raises ?? 'an exception'} here: ${raised?.reason ?? 'a call raises'}, so Django cannot start with them as they read in this environment`, statement);
  ctx.jump = undefined;
  ctx.returned = undefined;
}

/**
 * An exception raised at module level. Only the first is noted: Python's import stops there, so
 * a raise read on after it (in this module or one that imports it) is never reached.
 */
function noteSettingsRaise(ctx: EvaluationContext, message: string, statement: Node): void {
  if (!ctx.problems.some((problem) => problem.raises)) {
    ctx.problems.push({ message, location: locationOf(ctx.file, statement), raises: true });
  }
}

/** `sys.exit(…)` and the site builtins that raise SystemExit, which stops the settings as a `raise` does (PostHog's default-key check). */
export const EXITS = new Set(['sys.exit', 'exit', 'quit']);

function isExit(call: Node, ctx: EvaluationContext): boolean {
  const callee = call.childForFieldName('function')?.text ?? '';
  return EXITS.has(callee) && !ctx.namespace.has(callee);
}

/** A `raise` of `exception`: it ends a function being called, else Django cannot import the settings. */
function raise(statement: Node, exception: string, ctx: EvaluationContext): void {
  if (ctx.callDepth !== undefined) {
    endCall(ctx, 'raise', { kind: 'unknown', reason: `raises ${exception} here`, location: locationOf(ctx.file, statement), raises: exception });
    return;
  }
  noteSettingsRaise(ctx, `the settings raise ${exception} here, so Django cannot start with them as they read in this environment`, statement);
}

/** Runs one statement; `inTry` when an enclosing `try` catches ImportError, so a missing module is no problem. */
export function runStatement(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  if (statement.type === 'ERROR') {
    ctx.problems.push({ message: 'syntax error in the settings; this part is skipped', location: locationOf(ctx.file, statement) });
    return;
  }
  const effect = ctx.outsideEffect?.(statement);
  if (effect !== undefined) {
    ctx.jumpUndecided = effect;
    return;
  }
  try {
    execute(statement, ctx, inTry);
  } catch (error) {
    // Error recovery can leave nodes without the children a statement normally has.
    ctx.problems.push({ message: `cannot read this statement statically (${(error as Error).message})`, location: locationOf(ctx.file, statement) });
  }
}

function execute(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  switch (statement.type) {
    case 'expression_statement': {
      const expression = statement.firstNamedChild;
      if (expression?.type === 'assignment') {
        assign(expression, ctx);
      } else if (expression?.type === 'augmented_assignment') {
        augment(expression, ctx);
      } else if (expression?.type === 'call' && isExit(expression, ctx)) {
        raise(statement, 'SystemExit', ctx);
      } else if (expression?.type === 'call') {
        runCallStatement(expression, ctx);
      }
      return;
    }
    case 'import_statement':
      importModules(statement, ctx);
      noteImportFailure(statement, ctx, inTry);
      return;
    case 'import_from_statement':
      importFrom(statement, ctx, inTry);
      noteImportFailure(statement, ctx, inTry);
      return;
    case 'if_statement':
      runIf(statement, ctx, inTry);
      return;
    case 'try_statement':
      runTry(statement, ctx, inTry);
      return;
    case 'for_statement':
      runFor(statement, ctx, inTry);
      return;
    case 'match_statement':
      runMatch(statement, ctx, inTry);
      return;
    case 'while_statement':
      runWhile(statement, ctx, inTry);
      return;
    case 'with_statement':
      runWith(statement, ctx, inTry);
      return;
    case 'delete_statement':
      for (const target of statement.namedChildren.flatMap((child) => (child?.type === 'expression_list' ? child.namedChildren : [child]))) {
        if (target) {
          deleteTarget(target, ctx);
        }
      }
      return;
    case 'break_statement':
    case 'continue_statement':
      if (ctx.followsJumps) {
        ctx.jump = statement.type === 'break_statement' ? 'break' : 'continue';
      }
      return;
    case 'return_statement':
      runReturn(statement, ctx);
      return;
    case 'raise_statement':
      raise(statement, raisedName(statement), ctx);
      return;
    case 'function_definition':
    case 'class_definition': {
      const name = statement.childForFieldName('name');
      if (name) {
        const definition = statement.type === 'function_definition' ? { definition: { node: statement, module: ctx } } : {};
        bind(name.text, { kind: 'ref', name: `<local>.${name.text}`, ...definition }, name, ctx);
      }
      return;
    }
    case 'decorated_definition': {
      // A decorator may make the definition anything (Mathesar's @dataclass PostgresConfig): its name is bound, its body never run.
      const name = statement.childForFieldName('definition')?.childForFieldName('name');
      if (name) {
        bind(name.text, { kind: 'ref', name: `<local>.${name.text}` }, name, ctx);
      }
      return;
    }
    default:
      return;
  }
}

/** `return` in a function being called; outside one (a syntax error in a module) it does nothing. */
function runReturn(statement: Node, ctx: EvaluationContext): void {
  if (ctx.callDepth === undefined) {
    return;
  }
  const value = statement.namedChildren[0];
  const returned = value ? evaluateExpression(value, ctx) : NONE;
  // `return int(text)` where int() raises: the call raises instead of returning.
  if (ctx.jump !== 'raise') {
    endCall(ctx, 'return', returned);
  }
}

/**
 * Ends the function being called with `jump`; inside a loop that cannot be followed item by
 * item, whether it ends there is undecided.
 */
function endCall(ctx: EvaluationContext, jump: 'return' | 'raise', returned: SettingValue): void {
  if (ctx.followsJumps === false) {
    ctx.jumpUndecided = `it may ${jump} inside a loop that cannot be followed statically`;
    return;
  }
  ctx.jump = jump;
  ctx.returned = returned;
}

/** What a `raise` raises, by name: `ImproperlyConfigured` for `raise ImproperlyConfigured("…")`. */
export function raisedName(statement: Node): string {
  const raised = statement.namedChildren[0];
  const callee = raised?.type === 'call' ? raised.childForFieldName('function') : raised;
  return callee ? sourceSnippet(callee) : 'the exception being handled';
}

function assign(assignment: Node, ctx: EvaluationContext): void {
  const targets: Node[] = [];
  let current: Node | null = assignment;
  while (current?.type === 'assignment') {
    const left = current.childForFieldName('left');
    if (left) {
      targets.push(left);
    }
    current = current.childForFieldName('right');
  }
  if (!current) {
    return;
  }
  const value = evaluateExpression(current, ctx);
  // `settings = dynaconf.DjangoDynaconf(__name__)`: a call handed the module may set any setting, whatever it returns.
  if (value.kind === 'unknown' && current.type === 'call' && ctx.callDepth === undefined && callArgumentNodes(current).some(handsOverNamespace)) {
    forgetEverySetting(ctx, `may be changed by ${sourceSnippet(current)}, which is handed the settings module and which static reading cannot follow`, current);
  }
  for (const target of targets) {
    assignTarget(target, value, ctx, current);
  }
}

/** Binds an assignment target (a name, `X[key]`, `a, b`) to a value, as `=` and `for` do. */
export function assignTarget(target: Node, value: SettingValue, ctx: EvaluationContext, valueNode?: Node): void {
  if (target.type === 'identifier') {
    bind(target.text, value, target, ctx, valueNode);
  } else if (target.type === 'subscript') {
    storeItem(target, value, ctx, valueNode);
  } else if (target.type === 'attribute') {
    const object = evaluateExpression(target.childForFieldName('object')!, ctx);
    const attribute = target.childForFieldName('attribute')!.text;
    if (isModuleBeingEvaluated(object, ctx)) {
      bind(attribute, value, target, ctx, valueNode);
    } else if (object.kind === 'environ' && object.library === undefined && attribute === 'prefix') {
      setEnvironPrefix(object, value);
    }
  } else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern') {
    const names = target.namedChildren.filter((child): child is Node => child !== null);
    names.forEach((name, i) => {
      const item = value.kind === 'tuple' || value.kind === 'list' ? value.items[i] : undefined;
      assignTarget(name, item ?? unknown(`cannot unpack ${target.text} statically`, locationOf(ctx.file, target)), ctx);
    });
  }
}

/**
 * `DATABASES['default']['NAME'] = …`: sets a key in a dict (or an item of a list) that is
 * already known; `os.environ['X'] = …` sets a variable. Where the container or the key cannot
 * be known, the setting holding the container becomes unknown here instead of keeping its value.
 */
function storeItem(target: Node, value: SettingValue, ctx: EvaluationContext, valueNode?: Node): void {
  const containerNode = target.childForFieldName('value')!;
  const keyNode = target.childForFieldName('subscript')!;
  const key = evaluateExpression(keyNode, ctx);
  // `globals()[name] = …` at module level binds the name, as an assignment to it does.
  if (handsOverNamespace(containerNode)) {
    const copied = key.kind === 'str' ? undefined : copiedModule(keyNode, valueNode, ctx, (node) => evaluateExpression(node, ctx));
    if (key.kind === 'str') {
      bind(key.value, value, target, ctx);
    } else if (copied) {
      bindModuleCopy(copied, target, ctx);
    } else {
      forgetEverySetting(ctx, `may be set by ${target.text} = …, whose name static reading cannot know${key.kind === 'unknown' ? ` (${key.reason})` : ''}`, target);
    }
    return;
  }
  const container = evaluateExpression(containerNode, ctx);
  if (container.kind === 'ref' && container.name === 'os.environ' && key.kind === 'str' && container.environment) {
    // A copy of the environment: the process's is not changed.
    container.environment.set(key.value, stringOf(value), `${target.text} is set to a value static reading cannot know`);
    return;
  }
  if (container.kind === 'ref' && container.name === 'os.environ' && key.kind === 'str') {
    if (valueNode) {
      ctx.onEnvironmentWrite?.({ name: key.value, value, how: 'assignment', valueNode, location: locationOf(ctx.file, target), ctx });
    }
    ctx.env.set(key.value, stringOf(value), `environment variable ${key.value} is set to a value static reading cannot know${value.kind === 'unknown' ? ` (${value.reason})` : ''}`);
    return;
  }
  if (container.kind === 'dict' && key.kind === 'str') {
    container.entries.set(key.value, value);
  } else if (container.kind === 'list' && key.kind === 'int' && key.value >= -container.items.length && key.value < container.items.length) {
    container.items[key.value < 0 ? container.items.length + key.value : key.value] = value;
  } else {
    const cause = key.kind === 'unknown' ? key : container;
    forgetContainer(containerNode, `cannot follow the change to ${target.text} statically${cause.kind === 'unknown' ? `: ${cause.reason}` : ''}`, target, ctx);
    return;
  }
  touch(target, ctx);
}

/** `del X` unbinds (Django's default applies again); `del X['key']` removes a key where it is known. */
function deleteTarget(target: Node, ctx: EvaluationContext): void {
  if (target.type === 'identifier') {
    ctx.namespace.delete(target.text);
    return;
  }
  if (target.type !== 'subscript') {
    return;
  }
  const containerNode = target.childForFieldName('value')!;
  const container = evaluateExpression(containerNode, ctx);
  const key = evaluateExpression(target.childForFieldName('subscript')!, ctx);
  if (container.kind === 'dict' && key.kind === 'str' && container.entries.has(key.value)) {
    container.entries.delete(key.value);
    touch(target, ctx);
  } else {
    forgetContainer(containerNode, `cannot follow del ${target.text} statically`, target, ctx);
  }
}

function augment(statement: Node, ctx: EvaluationContext): void {
  const target = statement.childForFieldName('left');
  const operator = statement.childForFieldName('operator')?.text;
  if (target?.type !== 'identifier' && target?.type !== 'subscript') {
    return;
  }
  const current = evaluateExpression(target, ctx);
  const operand = evaluateExpression(statement.childForFieldName('right')!, ctx);
  // An unknown operand's reason ("needs environment variable X") says more than the statement.
  let result: SettingValue = current.kind === 'unknown' ? withoutOnly(current) : operand.kind === 'unknown' ? withoutOnly(operand) : unknown(`cannot evaluate ${statement.text} statically`, locationOf(ctx.file, statement));
  const held = [certainStrs(current), certainStrs(operand)];
  if (operator === '+=' && result.kind === 'unknown' && (current.kind === 'unknown' || operand.kind === 'unknown') && held[0] !== undefined) {
    // `MIDDLEWARE += get_extra()` still holds every item MIDDLEWARE held.
    result = unknownIncluding(result, held.flatMap((strs) => strs ?? []));
  } else if (operator === '+=' && (current.kind === 'list' || current.kind === 'tuple' || current.kind === 'str') && sizeAfter(current, operand) > (current.kind === 'str' ? MAX_STATIC_CHARS : MAX_STATIC_ITEMS)) {
    result = tooLarge(statement.text, locationOf(ctx.file, statement));
  } else if (operator === '+=' && current.kind === 'list' && (operand.kind === 'list' || operand.kind === 'tuple')) {
    // In place, as Python extends a list: aliases of it see the change.
    current.items.push(...operand.items);
    result = current;
  } else if (operator === '+=' && current.kind === 'tuple' && operand.kind === 'tuple') {
    result = { kind: 'tuple', items: [...current.items, ...operand.items] };
  } else if (operator === '+=' && current.kind === 'str' && operand.kind === 'str') {
    result = { kind: 'str', value: current.value + operand.value };
  } else if (current.kind === 'int' && operand.kind === 'int' && (operator === '+=' || operator === '-=' || operator === '*=')) {
    const value = operator === '+=' ? current.value + operand.value : operator === '-=' ? current.value - operand.value : current.value * operand.value;
    result = { kind: 'int', value };
  } else if (operator === '|=' && current.kind === 'dict' && operand.kind === 'dict') {
    operand.entries.forEach((item, key) => current.entries.set(key, item));
    result = current;
  }
  if (target.type === 'identifier') {
    bind(target.text, result, target, ctx);
  } else {
    storeItem(target, result, ctx);
  }
}

/** One `if` or `elif` (with its condition) or `else` (without). */
export interface Branch {
  condition?: Node;
  /** Tells whether the branch runs, instead of `condition`'s value (a `case` of a `match`), given the context it runs in. */
  test?: (ctx: EvaluationContext) => SettingValue;
  /** How messages quote the condition, when not as `condition`'s text. */
  conditionText?: string;
  body: Node;
}

function runIf(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  const branches: Branch[] = [];
  const consequence = statement.childForFieldName('consequence');
  const condition = statement.childForFieldName('condition');
  if (consequence && condition) {
    branches.push({ condition, body: consequence });
  }
  for (const clause of statement.childrenForFieldName('alternative')) {
    const body = clause?.childForFieldName(clause.type === 'elif_clause' ? 'consequence' : 'body');
    if (clause && body) {
      branches.push({ condition: clause.childForFieldName('condition') ?? undefined, body });
    }
  }
  runBranches(branches, ctx, inTry);
}

/**
 * Runs the first branch whose condition holds. On a condition that cannot be evaluated, both
 * ways are taken apart (that branch, and the rest of the chain) and joined: what they leave
 * differently is unknown, pointing at the condition and saying why it is unknown. The env
 * files a skipped branch would load are noted (see `noteEnvFileLoads`).
 */
export function runBranches(branches: Branch[], ctx: EvaluationContext, inTry: boolean): void {
  const [branch, ...rest] = branches;
  if (!branch) {
    return;
  }
  const value = branch.test ? branch.test(ctx) : branch.condition ? evaluateExpression(branch.condition, ctx) : undefined;
  const truth = value ? truthiness(value) : true;
  if (truth === true) {
    runStatements(branch.body, ctx, inTry);
    rest.forEach((skipped) => noteEnvFileLoads(skipped.body, ctx));
  } else if (truth === false) {
    noteEnvFileLoads(branch.body, ctx);
    runBranches(rest, ctx, inTry);
  } else {
    const where = locationOf(ctx.file, branch.condition!);
    const taken = forkContext(ctx);
    runStatements(branch.body, taken, inTry);
    const notTaken = forkContext(ctx);
    runBranches(rest, notTaken, inTry);
    joinOutcomes(ctx, [taken, notTaken], undecidedCondition(branch.conditionText ?? branch.condition!.text, value, where), where);
  }
}

/** How long `current += operand` makes a list, tuple or str; 0 when the operand adds nothing measurable. */
function sizeAfter(current: SettingValue, operand: SettingValue): number {
  if (current.kind === 'str') {
    return current.value.length + (operand.kind === 'str' ? operand.value.length : 0);
  }
  const items = current.kind === 'list' || current.kind === 'tuple' ? current.items.length : 0;
  return items + (operand.kind === 'list' || operand.kind === 'tuple' ? operand.items.length : 0);
}
