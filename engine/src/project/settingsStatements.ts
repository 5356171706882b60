import type { Node } from 'web-tree-sitter';
import { type Binding, type EvaluationContext, locationOf, type ModuleValue, spanOf } from './evaluationContext';
import { globalSettingValue } from './sessionSettingDefaults';
import { evaluateExpression } from './settingsExpression';
import { type SettingValue, settingValueToJson, truthiness, unknown } from './settingValue';
import { cloneSettingValue } from './settingValueClone';
import { undecidedCondition } from './undecidedCondition';

const MUTATING_METHODS = new Set(['update', 'append', 'extend', 'insert', 'setdefault']);

/**
 * Runs the module-level statements of a settings file in order, as Python would, but only
 * through the static evaluator: later assignments override earlier ones, `+=` and
 * `.update()` apply where their operands are known, and branches on unknown conditions
 * make what they assign unknown.
 */
export function runStatements(block: Node, ctx: EvaluationContext, inTry = false): void {
  for (const statement of block.namedChildren) {
    if (!statement) {
      continue;
    }
    if (statement.type === 'ERROR') {
      ctx.problems.push({ message: 'syntax error in the settings; this part is skipped', location: locationOf(ctx.file, statement) });
      continue;
    }
    try {
      runStatement(statement, ctx, inTry);
    } catch (error) {
      // Error recovery can leave nodes without the children a statement normally has.
      ctx.problems.push({ message: `cannot read this statement statically (${(error as Error).message})`, location: locationOf(ctx.file, statement) });
    }
  }
}

function runStatement(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  switch (statement.type) {
    case 'expression_statement': {
      const expression = statement.firstNamedChild;
      if (expression?.type === 'assignment') {
        assign(expression, ctx);
      } else if (expression?.type === 'augmented_assignment') {
        augment(expression, ctx);
      } else if (expression?.type === 'call' && !mutatingCall(expression, ctx)) {
        // For its effect on the environment: `read_env(path)`, `load_dotenv(path)`.
        evaluateExpression(expression, ctx);
      }
      return;
    }
    case 'import_statement':
      importModules(statement, ctx);
      return;
    case 'import_from_statement':
      importFrom(statement, ctx, inTry);
      return;
    case 'if_statement':
      runIf(statement, ctx, inTry);
      return;
    case 'try_statement':
      for (const part of statement.namedChildren) {
        if (part?.type === 'block') {
          runStatements(part, ctx, true);
        } else if (part?.type === 'else_clause' || part?.type === 'finally_clause') {
          const body = part.namedChildren.find((child) => child?.type === 'block');
          if (body) {
            runStatements(body, ctx, inTry);
          }
        }
      }
      return;
    case 'with_statement': {
      const body = statement.childForFieldName('body');
      if (body) {
        runStatements(body, ctx, inTry);
      }
      return;
    }
    case 'function_definition':
    case 'class_definition': {
      const name = statement.childForFieldName('name');
      if (name) {
        bind(name.text, { kind: 'ref', name: `<local>.${name.text}` }, name, ctx);
      }
      return;
    }
    default:
      return;
  }
}

function bind(name: string, value: SettingValue, at: Node, ctx: EvaluationContext, valueNode?: Node): void {
  const binding: Binding = { value, location: locationOf(ctx.file, at) };
  if (valueNode) {
    binding.valueSpan = spanOf(ctx.file, valueNode);
  }
  ctx.namespace.set(name, binding);
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
  for (const target of targets) {
    assignTarget(target, value, ctx, current);
  }
}

function assignTarget(target: Node, value: SettingValue, ctx: EvaluationContext, valueNode?: Node): void {
  if (target.type === 'identifier') {
    bind(target.text, value, target, ctx, valueNode);
  } else if (target.type === 'subscript') {
    storeItem(target, value, ctx);
  } else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern') {
    const names = target.namedChildren.filter((child): child is Node => child !== null);
    names.forEach((name, i) => {
      const item = value.kind === 'tuple' || value.kind === 'list' ? value.items[i] : undefined;
      assignTarget(name, item ?? unknown(`cannot unpack ${target.text} statically`, locationOf(ctx.file, target)), ctx);
    });
  }
}

/** `DATABASES['default']['NAME'] = …`: sets a key in a dict that is already known. */
function storeItem(target: Node, value: SettingValue, ctx: EvaluationContext): void {
  const container = evaluateExpression(target.childForFieldName('value')!, ctx);
  const key = evaluateExpression(target.childForFieldName('subscript')!, ctx);
  if (container.kind === 'dict' && key.kind === 'str') {
    container.entries.set(key.value, value);
    touch(target, ctx);
  }
}

/** Moves the location of the root name of `X[...]` / `X.update(...)` to the statement that changed it. */
function touch(node: Node, ctx: EvaluationContext): void {
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

function augment(statement: Node, ctx: EvaluationContext): void {
  const target = statement.childForFieldName('left');
  const operator = statement.childForFieldName('operator')?.text;
  if (target?.type !== 'identifier') {
    return;
  }
  const current = evaluateExpression(target, ctx);
  const operand = evaluateExpression(statement.childForFieldName('right')!, ctx);
  let result: SettingValue = unknown(`cannot evaluate ${statement.text} statically`, locationOf(ctx.file, statement));
  if (operator === '+=' && (current.kind === 'list' || current.kind === 'tuple') && (operand.kind === 'list' || operand.kind === 'tuple')) {
    result = { kind: current.kind, items: [...current.items, ...operand.items] };
  } else if (operator === '+=' && current.kind === 'str' && operand.kind === 'str') {
    result = { kind: 'str', value: current.value + operand.value };
  } else if (current.kind === 'int' && operand.kind === 'int' && (operator === '+=' || operator === '-=' || operator === '*=')) {
    const value = operator === '+=' ? current.value + operand.value : operator === '-=' ? current.value - operand.value : current.value * operand.value;
    result = { kind: 'int', value };
  } else if (operator === '|=' && current.kind === 'dict' && operand.kind === 'dict') {
    result = { kind: 'dict', entries: new Map([...current.entries, ...operand.entries]) };
  }
  bind(target.text, result, target, ctx);
}

/**
 * `CACHES.update({...})`, `INSTALLED_APPS.append(...)`, `MIDDLEWARE.insert(0, ...)` on a known
 * dict or list; false when the call is not one of those (`os.environ.setdefault(...)`).
 */
function mutatingCall(call: Node, ctx: EvaluationContext): boolean {
  const member = call.childForFieldName('function');
  const method = member?.type === 'attribute' ? member.childForFieldName('attribute')?.text ?? '' : '';
  const object = member?.type === 'attribute' ? member.childForFieldName('object') : null;
  if (!object || !MUTATING_METHODS.has(method)) {
    return false;
  }
  const target = evaluateExpression(object, ctx);
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
  const values = args.filter((arg) => arg.type !== 'keyword_argument').map((arg) => evaluateExpression(arg, ctx));
  if (target.kind === 'dict' && method === 'update') {
    for (const value of values) {
      if (value.kind === 'dict') {
        value.entries.forEach((item, key) => target.entries.set(key, item));
      }
    }
    for (const arg of args.filter((arg) => arg.type === 'keyword_argument')) {
      target.entries.set(arg.childForFieldName('name')!.text, evaluateExpression(arg.childForFieldName('value')!, ctx));
    }
  } else if (target.kind === 'dict' && method === 'setdefault' && values[0]?.kind === 'str' && !target.entries.has(values[0].value)) {
    target.entries.set(values[0].value, values[1] ?? { kind: 'none' });
  } else if (target.kind === 'list' && method === 'append' && values[0]) {
    target.items.push(values[0]);
  } else if (target.kind === 'list' && method === 'extend' && (values[0]?.kind === 'list' || values[0]?.kind === 'tuple')) {
    target.items.push(...values[0].items);
  } else if (target.kind === 'list' && method === 'insert' && values[0]?.kind === 'int' && values[1]) {
    target.items.splice(values[0].value, 0, values[1]);
  } else {
    return false;
  }
  touch(object, ctx);
  return true;
}

/** `import a.b.c` binds `a`, `import a.b.c as x` binds `x`: modules of the project are evaluated, others named. */
function importModules(statement: Node, ctx: EvaluationContext): void {
  for (const item of statement.namedChildren) {
    if (item?.type === 'dotted_name') {
      const top = item.text.split('.')[0]!;
      bind(top, importedPackage(top, item.text, ctx) ?? { kind: 'ref', name: top }, item, ctx);
    } else if (item?.type === 'aliased_import') {
      const name = item.childForFieldName('name')?.text;
      const alias = item.childForFieldName('alias');
      if (name && alias) {
        bind(alias.text, ctx.importModule(ctx.file, name) ?? { kind: 'ref', name }, alias, ctx);
      }
    }
  }
}

/** The top package of `import top.b.c` when `top.b.c` is in the project. */
function importedPackage(top: string, dotted: string, ctx: EvaluationContext): ModuleValue | undefined {
  return ctx.importModule(ctx.file, dotted) && ctx.importModule(ctx.file, top);
}

function importFrom(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  const moduleText = statement.childForFieldName('module_name')?.text ?? '';
  const module = ctx.importModule(ctx.file, moduleText)?.namespace;
  const isProjectModule = moduleText.startsWith('.') || module !== undefined;
  if (statement.namedChildren.some((child) => child?.type === 'wildcard_import')) {
    if (module) {
      for (const [name, binding] of module) {
        if (!name.startsWith('_')) {
          ctx.namespace.set(name, { ...binding, value: cloneSettingValue(binding.value) });
        }
      }
    } else if (isProjectModule && !inTry) {
      ctx.problems.push({ message: `cannot find module '${moduleText}' imported by the settings`, location: locationOf(ctx.file, statement) });
    }
    return;
  }
  for (const item of statement.childrenForFieldName('name')) {
    const name = item?.type === 'aliased_import' ? item.childForFieldName('name')?.text : item?.text;
    const local = item?.type === 'aliased_import' ? item.childForFieldName('alias') : item;
    if (!name || !local) {
      continue;
    }
    const imported: Binding | undefined = module?.get(name);
    // `from . import base`: a name the package does not define is its submodule.
    const submodule = imported ? undefined : ctx.importModule(ctx.file, `${moduleText}${moduleText.endsWith('.') ? '' : '.'}${name}`);
    if (imported) {
      bind(local.text, cloneSettingValue(imported.value), local, ctx);
    } else if (submodule) {
      bind(local.text, submodule, local, ctx);
    } else if (isProjectModule) {
      bind(local.text, unknown(`'${name}' is not found statically in module '${moduleText}'`, locationOf(ctx.file, local)), local, ctx);
    } else {
      bind(local.text, globalSettingValue(`${moduleText}.${name}`) ?? { kind: 'ref', name: `${moduleText}.${name}` }, local, ctx);
    }
  }
}

function runIf(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  const branches: { condition?: Node; body: Node }[] = [];
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
  for (const branch of branches) {
    const value = branch.condition ? evaluateExpression(branch.condition, ctx) : undefined;
    const truth = value ? truthiness(value) : true;
    if (truth === true) {
      runStatements(branch.body, ctx, inTry);
      return;
    }
    if (truth === undefined) {
      runUndecidable(branches.slice(branches.indexOf(branch)), branch.condition!, value, ctx, inTry);
      return;
    }
  }
}

/** Names any remaining branch would change become unknown, pointing at the condition and saying why it is unknown. */
function runUndecidable(branches: { body: Node }[], condition: Node, value: SettingValue | undefined, ctx: EvaluationContext, inTry: boolean): void {
  const before = new Map([...ctx.namespace].map(([name, binding]) => [name, JSON.stringify(settingValueToJson(binding.value))]));
  const changed = new Map<string, Node>();
  for (const branch of branches) {
    const scratch: EvaluationContext = { ...ctx, env: ctx.env.clone(), namespace: new Map([...ctx.namespace].map(([name, binding]) => [name, { ...binding, value: cloneSettingValue(binding.value) }])), problems: [] };
    runStatements(branch.body, scratch, inTry);
    for (const [name, binding] of scratch.namespace) {
      if (before.get(name) !== JSON.stringify(settingValueToJson(binding.value))) {
        changed.set(name, branch.body);
      }
    }
  }
  const where = locationOf(ctx.file, condition);
  const reason = undecidedCondition(condition.text, value, where);
  for (const [name, body] of changed) {
    bind(name, unknown(reason, where), body, ctx);
  }
}
