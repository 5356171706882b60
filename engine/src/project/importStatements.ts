import type { Node } from 'web-tree-sitter';
import { type Binding, type EvaluationContext, locationOf, type ModuleValue } from './evaluationContext';
import { bind } from './namespaceBinding';
import { globalSettingValue } from './sessionSettingDefaults';
import { type SettingValue, unknown } from './settingValue';
import { cloneSettingValue } from './settingValueClone';
import { forgetEverySetting } from './unfollowedEffects';

/** `import a.b.c` binds `a`, `import a.b.c as x` binds `x`: modules of the project are evaluated, others named. */
export function importModules(statement: Node, ctx: EvaluationContext): void {
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

/** `from m import a, b as c` and `from m import *`: names of the project's modules with their values, others named; a star import from outside the project forgets every setting. */
export function importFrom(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  const moduleText = statement.childForFieldName('module_name')?.text ?? '';
  const star = statement.namedChildren.some((child) => child?.type === 'wildcard_import');
  const fromDjango = moduleText === 'django' || moduleText.startsWith('django.');
  // A star import is what brings settings in from an installed package (mailman-web's `from mailman_web.settings.base import *`).
  const module = ctx.importModule(ctx.file, moduleText, star && !fromDjango)?.namespace;
  const isProjectModule = moduleText.startsWith('.') || module !== undefined;
  if (star) {
    if (module) {
      starImport(module, moduleText, statement, ctx);
    } else if (isProjectModule && !inTry) {
      ctx.problems.push({ message: `cannot find module '${moduleText}' imported by the settings`, location: locationOf(ctx.file, statement) });
    } else if (!isProjectModule && !fromDjango) {
      // A package outside the project may define any setting (Django's own modules define none to speak of).
      forgetEverySetting(ctx, `may be set by from ${moduleText} import *, which is in neither the project nor a virtualenv of it: static reading cannot see what it defines (a virtualenv with the package installed, in manage.py's folder or the one above, lets it)`, statement);
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

/**
 * The names `from m import *` binds: those `m.__all__` lists where it sets one, as Python takes
 * them, else every name without a leading underscore. Where `__all__` is not a list or tuple of
 * strs static reading can tell, whatever the module defines may or may not come in: unknown.
 */
function starImport(module: ReadonlyMap<string, Binding>, moduleText: string, statement: Node, ctx: EvaluationContext): void {
  const all = module.get('__all__')?.value;
  const listed = all && exportedNames(all);
  if (all && !listed) {
    const reason = `may be set by from ${moduleText} import *, whose __all__ is not known statically: static reading cannot tell which names it exports`;
    for (const name of module.keys()) {
      if (!name.startsWith('_')) {
        bind(name, unknown(reason, locationOf(ctx.file, statement)), statement, ctx);
      }
    }
    return;
  }
  for (const [name, binding] of module) {
    if (listed ? listed.has(name) : !name.startsWith('_')) {
      ctx.namespace.set(name, { ...binding, value: cloneSettingValue(binding.value) });
    }
  }
}

/** The names a static `__all__` lists; undefined when it is no list or tuple of known strs. */
function exportedNames(all: SettingValue): Set<string> | undefined {
  if ((all.kind !== 'list' && all.kind !== 'tuple') || all.items.some((item) => item.kind !== 'str')) {
    return undefined;
  }
  return new Set(all.items.map((item) => (item.kind === 'str' ? item.value : '')));
}
