import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceLocation } from '../stores/storeDescriptor';
import { type Binding, type EvaluationContext, locationOf } from './evaluationContext';
import { forgetBinding } from './namespaceBinding';
import { EXITS, runStatements } from './settingsStatements';
import { evaluateExpression } from './settingsExpression';
import { NONE, type SettingValue, unknown } from './settingValue';
import { cloneSettingValue } from './settingValueClone';
import type { CallArgs } from './callArguments';

/** A function the project defines, with the module whose globals it reads. */
export interface FunctionDefinition {
  node: Node;
  module: EvaluationContext;
}

/** Deeper calls than settings helpers make: recursion is not followed. */
const MAX_CALL_DEPTH = 8;
/** Statements that change more than the call's own locals, or suspend it: such a function is not run. */
const UNFOLLOWED = ['nonlocal_statement', 'yield', 'await'];
/** What starts a scope of its own: what is in it belongs to another function, run only if called. */
const OWN_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
/** The environment variables a function's text writes by name, and how. */
const NAMED_ENVIRONMENT_WRITE = /environ\s*\[\s*['"](\w+)['"]\s*\]\s*=[^=]|environ\s*\.\s*setdefault\(\s*['"](\w+)['"]/g;

/** What in a function's text sets environment variables, which a call's locals would not carry back to the settings. */
const CHANGES_ENVIRONMENT = /\b(load_dotenv|read_env|putenv)\b|environ\s*\[[^\]]*\]\s*=[^=]|environ\.(setdefault|update|pop|clear)\b/;

/**
 * Calls a function of the project, as the settings' helpers (`get_bool_from_env(name, default)`
 * in saleor and paperless-ngx) are called: its body runs like settings code, on locals that are
 * its arguments over the defining module's globals, until a `return`. Unknown, saying why,
 * where the arguments do not fit, the body does what a call cannot be followed through (sets
 * globals or environment variables), or where it returns cannot be told. While manage.py runs
 * (see followsEnvironmentWrites), what it writes to the environment is written to the caller's,
 * and it runs as manage.py's own code does, past a call it cannot follow: stopping there would
 * take the environment of that point for the one Django starts with.
 */
export function callFunction(definition: FunctionDefinition, name: string, args: CallArgs, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const { node, module } = definition;
  const body = node.childForFieldName('body');
  const depth = (ctx.callDepth ?? 0) + 1;
  const cannot = (why: string) => unknown(`cannot evaluate the call to ${name}() statically: ${why}`, here);
  const onCallersEnvironment = ctx.followsEnvironmentWrites === true;
  const notRun = (why: string) => {
    if (onCallersEnvironment) {
      unreadEnvironmentWrites(definition, name, why, ctx);
    }
    return cannot(why);
  };
  if (!body || depth > MAX_CALL_DEPTH) {
    return notRun(`calls nest more than ${MAX_CALL_DEPTH} deep`);
  }
  const unfollowed = ownDescendants(body, UNFOLLOWED)[0];
  if (unfollowed) {
    return notRun(`it uses ${unfollowed.type.replace(/_statement$/, '')}`);
  }
  // Names it declares `global` are set in its module when it returns (Tandoor's setup_database()):
  // set only where it is called at its module's top level, whose namespace that is. Called by
  // manage.py, it is run for what it writes to the environment, and its globals are forgotten.
  const globals = new Set(ownDescendants(body, ['global_statement']).flatMap((statement) => statement.namedChildren.map((name) => name?.text ?? '')).filter((name) => name !== ''));
  const setsGlobals = ctx.namespace === module.namespace;
  if (globals.size > 0 && !setsGlobals && !onCallersEnvironment) {
    return cannot('it uses global, and is called from another scope than its module');
  }
  if (!onCallersEnvironment && CHANGES_ENVIRONMENT.test(body.text)) {
    return cannot('it changes the environment the settings read');
  }
  // What it writes into its own module's dicts and lists stays there, as in Python (InvenTree's
  // get_setting() notes each lookup in CONFIG_LOOKUPS): followed where that module is no fork of
  // the caller's, which another way through the settings would not see.
  const writesFollowed = module.file !== ctx.file || ctx.namespace === module.namespace;
  const locals = new Map<string, Binding>(module.namespace);
  const bound = bindParameters(node, args, module, (param, value) => locals.set(param, { value, location: here }));
  if (bound !== undefined) {
    return cannot(bound);
  }
  // Checked as each statement is reached, so a change on a way the call does not go (InvenTree's
  // get_secret_key() writes a key file only when no key is configured) does not stop it.
  let outside: string | undefined;
  const ownNames = localNames(node, body);
  const outsideEffect = (statement: Node): string | undefined => {
    const why = outsideChange(statement, ownNames, writesFollowed);
    outside ??= why;
    return why;
  };
  // On the caller's environment, the process's sys.argv is the caller's too, whichever module defines the function.
  const environment = onCallersEnvironment ? { env: ctx.env, argv: ctx.argv, followsEnvironmentWrites: true as const, onEnvironmentWrite: ctx.onEnvironmentWrite } : { env: module.env.clone() };
  const call: EvaluationContext = { ...module, namespace: locals, ...environment, problems: [], callDepth: depth, followsJumps: undefined, jump: undefined, jumpUndecided: undefined, outsideEffect: onCallersEnvironment ? undefined : outsideEffect };
  if (node.type === 'lambda') {
    // A lambda's body is the one expression it returns (django-oscar's `location = lambda x: os.path.join(…, x)`).
    const value = evaluateExpression(body, call);
    if (call.jump === undefined) {
      call.jump = 'return';
      call.returned = value;
    }
  } else {
    runStatements(body, call);
  }
  // Not followed to its end, it may have set its globals or not.
  const unfollowedEnd = (value: SettingValue): SettingValue => {
    globals.forEach((global) => forgetBinding(global, value, here, module));
    return value;
  };
  if (outside !== undefined) {
    return unfollowedEnd(cannot(outside));
  }
  if (call.jumpUndecided !== undefined) {
    return unfollowedEnd(cannot(`where it returns cannot be told (${call.jumpUndecided})`));
  }
  if (call.jump === 'raise' && (call.returned?.kind !== 'unknown' || call.returned.raises === undefined)) {
    return unfollowedEnd(cannot(call.returned?.kind === 'unknown' ? call.returned.reason : 'it raises'));
  }
  for (const name of globals) {
    const binding = call.namespace.get(name);
    if (!setsGlobals) {
      forgetBinding(name, cannot(`it sets the global ${name}`), here, module);
    } else if (binding) {
      module.namespace.set(name, binding);
    } else {
      module.namespace.delete(name);
    }
  }
  if (call.jump === 'raise') {
    const raised = call.returned as Extract<SettingValue, { kind: 'unknown' }> & { raises: string };
    const at = raised.location ? ` (${path.basename(raised.location.file)}:${raised.location.line})` : '';
    return { kind: 'unknown', reason: `${name}() raises ${raised.raises}${at}`, location: here, raises: raised.raises };
  }
  return call.jump === 'return' && call.returned ? cloneSettingValue(call.returned) : NONE;
}

/** The nodes of `types` in `body` that are its own, not those of a function or class it defines. */
function ownDescendants(body: Node, types: readonly string[]): Node[] {
  const found: Node[] = [];
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (child && types.includes(child.type)) {
        found.push(child);
      }
      if (child && !OWN_SCOPES.has(child.type)) {
        visit(child);
      }
    }
  };
  visit(body);
  return found;
}

/**
 * Tells the caller's environment that a function manage.py calls and that cannot be run writes
 * the variables its text names, to values that cannot be known: what it chooses (the settings
 * module) is then said to be chosen there, rather than not chosen at all.
 */
function unreadEnvironmentWrites(definition: FunctionDefinition, name: string, why: string, ctx: EvaluationContext): void {
  const location = locationOf(definition.module.file, definition.node);
  const where = `${name}() (${path.relative(ctx.projectRoot, location.file).split(path.sep).join('/')}:${location.line})`;
  const reason = `${where}, which cannot be read statically: ${why}`;
  for (const match of definition.node.text.matchAll(NAMED_ENVIRONMENT_WRITE)) {
    const variable = (match[1] ?? match[2])!;
    const how = match[1] !== undefined ? 'assignment' : 'setdefault';
    ctx.onEnvironmentWrite?.({ name: variable, value: unknown(reason, location), how, valueNode: definition.node, location, ctx, unreadFunction: reason });
    if (how === 'assignment' || !ctx.env.has(variable)) {
      ctx.env.set(variable, undefined, `environment variable ${variable} is set in ${reason}`);
    }
  }
}

/** Calls made for their effect that change nothing the settings read. */
const HARMLESS_CALL = /^(print\b|logging\b|logger\b|log\b|warnings\b|sys\.std(err|out)\.write$)/;

/**
 * Why running `statement` (of a called function whose locals are `locals`) could change what
 * outlives the call, other than by what it returns: a call made for its effect on something not
 * its own (`CACHES.update(…)`, a module function), or an assignment into an object not its own
 * (`MIDDLEWARE[0] = …`). A call's locals live only as long as it, so what it does to them is
 * followed; undefined when that is all.
 */
function outsideChange(statement: Node, locals: Set<string>, writesFollowed: boolean): string | undefined {
  const ownRoot = (target: Node | null): boolean => {
    let root = target;
    while (root && (root.type === 'subscript' || root.type === 'attribute' || root.type === 'call')) {
      root = root.childForFieldName(root.type === 'subscript' ? 'value' : root.type === 'attribute' ? 'object' : 'function');
    }
    return root?.type === 'identifier' && locals.has(root.text);
  };
  if (statement.type === 'delete_statement') {
    const target = statement.firstNamedChild;
    return target && target.type !== 'identifier' && !ownRoot(target) ? `it deletes from ${target.text}, which is not its own` : undefined;
  }
  const expression = statement.type === 'expression_statement' ? statement.firstNamedChild : null;
  if (expression?.type === 'call') {
    const callee = expression.childForFieldName('function');
    // An exit raises SystemExit, which the statement itself takes as the raise it is (Review Board's dependency_error).
    return callee && !HARMLESS_CALL.test(callee.text) && !EXITS.has(callee.text) && !ownRoot(callee) ? `it calls ${callee.text}(…) for its effect` : undefined;
  }
  if (!writesFollowed && (expression?.type === 'assignment' || expression?.type === 'augmented_assignment')) {
    const target = expression.childForFieldName('left');
    return target && (target.type === 'subscript' || target.type === 'attribute') && !ownRoot(target) ? `it changes ${target.text}, which is not its own` : undefined;
  }
  return undefined;
}

/** The names local to a function: its parameters and every name its body binds, as Python decides it. */
function localNames(node: Node, body: Node): Set<string> {
  const names = new Set<string>();
  const addTargets = (target: Node | null) => {
    if (target?.type === 'identifier') {
      names.add(target.text);
    } else if (target && ['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list'].includes(target.type)) {
      target.namedChildren.forEach((child) => addTargets(child));
    }
  };
  for (const param of node.childForFieldName('parameters')?.namedChildren ?? []) {
    addTargets(param?.type === 'identifier' ? param : (param?.childForFieldName('name') ?? param?.namedChildren.find((child) => child?.type === 'identifier') ?? null));
  }
  for (const binder of body.descendantsOfType(['assignment', 'augmented_assignment', 'for_statement', 'named_expression', 'function_definition', 'as_pattern'])) {
    if (binder?.type === 'named_expression' || binder?.type === 'function_definition') {
      addTargets(binder.childForFieldName('name'));
    } else if (binder?.type === 'as_pattern') {
      addTargets(binder.childForFieldName('alias')?.namedChildren[0] ?? binder.childForFieldName('alias'));
    } else {
      addTargets(binder?.childForFieldName('left') ?? null);
    }
  }
  return names;
}

/**
 * Binds the parameters to the arguments as Python does, defaults evaluated in the defining
 * module and `*args`/`**kwargs` taking what is left; why not, when they do not fit.
 */
function bindParameters(node: Node, args: CallArgs, module: EvaluationContext, bind: (name: string, value: SettingValue) => void): string | undefined {
  const parameters = (node.childForFieldName('parameters')?.namedChildren ?? []).filter((param): param is Node => param !== null && param.type !== 'comment');
  const keywords = new Map(args.keywords);
  let position = 0;
  for (const param of parameters) {
    if (param.type === 'list_splat_pattern' || param.type === 'dictionary_splat_pattern') {
      // `*args` takes the positional arguments left, `**kwargs` the keywords no parameter names (Pontoon's `path(*args)`).
      const name = param.namedChildren.find((child) => child?.type === 'identifier')?.text;
      if (!name) {
        return `cannot read the parameter ${param.text}`;
      }
      if (param.type === 'list_splat_pattern') {
        bind(name, { kind: 'tuple', items: args.positional.slice(position) });
        position = args.positional.length;
      } else {
        bind(name, { kind: 'dict', entries: new Map(keywords) });
        keywords.clear();
      }
      continue;
    }
    if (param.type === 'keyword_separator' || param.type === 'positional_separator') {
      continue;
    }
    const nameNode = param.type === 'identifier' ? param : (param.childForFieldName('name') ?? param.namedChildren.find((child) => child?.type === 'identifier'));
    const name = nameNode?.text;
    if (!name) {
      return `cannot read the parameter ${param.text}`;
    }
    const fallback = param.childForFieldName('value');
    const value = position < args.positional.length ? args.positional[position++] : keywords.get(name);
    keywords.delete(name);
    if (value !== undefined) {
      bind(name, value);
    } else if (fallback) {
      bind(name, evaluateExpression(fallback, module));
    } else {
      return `no argument for its parameter ${name}`;
    }
  }
  if (position < args.positional.length || keywords.size > 0) {
    return 'more arguments than it takes';
  }
  return undefined;
}
