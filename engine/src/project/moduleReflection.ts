import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceLocation } from '../stores/storeDescriptor';
import { type Binding, type EvaluationContext, locationOf, type ModuleValue } from './evaluationContext';
import { bind } from './namespaceBinding';
import { type SettingValue, settingValueToJson, stringOf, unknown } from './settingValue';
import { cloneSettingValue } from './settingValueClone';

/**
 * The binding that marks a namespace into which code static reading could not follow may have
 * put names it cannot see (see forgetEverySetting). No Python name looks like it, and a star
 * import carries it on, as it carries the names such code set.
 */
export const UNSEEN_NAMES = '<unseen names>';

/** How a module's attribute is looked up: bound, surely absent, or not knowable (with why). */
type Lookup = { bound: Binding } | { absent: true } | { unknown: SettingValue };

function lookUp(module: ModuleValue, name: string): Lookup {
  const bound = module.namespace.get(name);
  if (bound) {
    return { bound };
  }
  const unseen = module.namespace.get(UNSEEN_NAMES);
  return unseen ? { unknown: unseen.value } : { absent: true };
}

function moduleName(module: ModuleValue, ctx: EvaluationContext): string {
  return path.relative(ctx.projectRoot, module.file);
}

/** The module and attribute name `getattr()` or `hasattr()` is given, or why they cannot be read. */
function moduleAndName(args: SettingValue[], builtin: string, here: SourceLocation): { module: ModuleValue; name: string } | SettingValue {
  const [object, nameValue] = args;
  const blocked = [object, nameValue].find((value) => value?.kind === 'unknown');
  if (blocked) {
    return blocked;
  }
  const name = stringOf(nameValue);
  if (object?.kind !== 'module' || name === undefined) {
    return unknown(`cannot evaluate this ${builtin}() statically: only a module of the project and a known name can be`, here);
  }
  return { module: object, name };
}

/**
 * `getattr(module, 'NAME'[, default])` on a module of the project, as NetBox reads every
 * setting from its configuration module: the module's value, else the default.
 */
export function getattrCall(args: SettingValue[], ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const target = moduleAndName(args, 'getattr', here);
  if ('kind' in target) {
    return target;
  }
  const found = lookUp(target.module, target.name);
  if ('bound' in found) {
    return cloneSettingValue(found.bound.value);
  }
  if ('unknown' in found) {
    return found.unknown;
  }
  return args[2] ?? unknown(`${moduleName(target.module, ctx)} has no ${target.name}: getattr() raises AttributeError`, here);
}

/** `hasattr(module, 'NAME')` on a module of the project. */
export function hasattrCall(args: SettingValue[], here: SourceLocation): SettingValue {
  const target = moduleAndName(args, 'hasattr', here);
  if ('kind' in target) {
    return target;
  }
  const found = lookUp(target.module, target.name);
  return 'unknown' in found ? found.unknown : { kind: 'bool', value: 'bound' in found };
}

/** `importlib.import_module(name[, package])`: a module of the project, found as `import name` finds it. */
export function importModuleCall(args: SettingValue[], keywords: Map<string, SettingValue>, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const nameValue = args[0];
  if (nameValue?.kind === 'unknown') {
    return nameValue;
  }
  const name = stringOf(nameValue);
  const packageValue = args[1] ?? keywords.get('package');
  const anchor = packageValue === undefined || packageValue.kind === 'none' ? undefined : stringOf(packageValue);
  if (name === undefined || (name.startsWith('.') && anchor === undefined)) {
    return packageValue?.kind === 'unknown' ? packageValue : unknown('cannot tell statically which module import_module() imports', here);
  }
  const absolute = name.startsWith('.') ? resolveRelative(name, anchor!) : name;
  return (absolute !== undefined && ctx.importModule(ctx.file, absolute)) || unknown(`module '${absolute ?? name}' is not in the project, so static reading cannot see what it defines`, here);
}

/** `.x` or `..x` against package `a.b`, as importlib.util.resolve_name does; undefined when it climbs above the top package. */
function resolveRelative(name: string, anchor: string): string | undefined {
  const dots = name.length - name.replace(/^\.+/, '').length;
  const parts = anchor.split('.');
  if (dots - 1 >= parts.length) {
    return undefined;
  }
  const base = parts.slice(0, parts.length - (dots - 1)).join('.');
  const rest = name.slice(dots);
  return rest ? `${base}.${rest}` : base;
}

/**
 * `globals()[NAME] = getattr(module, NAME)` with a NAME static reading cannot know, as NetBox
 * copies its configuration (`for param in CONFIG_PARAMS: if hasattr(configuration, param.name):
 * ...`): the only names it can set are the module's own, each to the module's value, or
 * getattr would raise. So a name whose value here already equals the module's keeps it; any
 * other name of the module becomes unknown. The module, or undefined when `value` is not such a copy.
 */
export function copiedModule(nameNode: Node, value: Node | undefined, ctx: EvaluationContext, evaluate: (node: Node) => SettingValue): ModuleValue | undefined {
  if (value?.type !== 'call' || value.childForFieldName('function')?.text !== 'getattr' || ctx.namespace.has('getattr')) {
    return undefined;
  }
  const args = (value.childForFieldName('arguments')?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
  if (args.length !== 2 || args[1]!.text !== nameNode.text) {
    return undefined;
  }
  const module = evaluate(args[0]!);
  return module.kind === 'module' && !module.namespace.has(UNSEEN_NAMES) ? module : undefined;
}

/** Takes in what `copiedModule`'s copy may have set (see there), located at `at`. */
export function bindModuleCopy(module: ModuleValue, at: Node, ctx: EvaluationContext): void {
  const text = (binding: Binding | undefined) => binding && JSON.stringify(settingValueToJson(binding.value));
  const reason = `may be set from ${moduleName(module, ctx)} by ${at.text} = …, whose name static reading cannot know (line ${at.startPosition.row + 1})`;
  for (const [name, binding] of module.namespace) {
    if (!name.startsWith('__') && text(ctx.namespace.get(name)) !== text(binding)) {
      bind(name, unknown(reason, locationOf(ctx.file, at)), at, ctx);
    }
  }
}
