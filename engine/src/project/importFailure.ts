import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { moduleFileOnPath, namespacePackageDirOnPath } from './moduleFile';
import { isAlwaysImportable } from './standardLibrary';
import { importRoots } from './sysPath';

/** What an `except` clause catches, as far as settings care: a failed import, or anything else. */
export type Failure = 'import' | 'other';

/** Why a statement of a `try` body may raise, or raises for certain. */
export interface Risk {
  failure: Failure;
  certain: boolean;
  why: string;
  /**
   * Why a failure taken as certain is only as certain as what static reading can see (a local
   * settings module in none of the directories it can search): recorded among the problems when
   * an except clause runs for it. Without such a clause the statement is read as if it may succeed.
   */
  assumption?: string;
}

/** An import that fails or may fail, and where, when it is made inside a module the statement imports. */
export interface ImportFailure {
  module: string;
  /** `missing` from a package that is there; `local` settings, or a package `absent` from the virtualenv, taken as absent; `unknown` where there is none. */
  how: 'missing' | 'local' | 'absent' | 'unknown';
  /** `, which app/local_settings.py imports at line 1,`: set for an import made inside an imported module. */
  via?: string;
}

/** Django is imported by whatever reads the settings, so its modules are there. */
const RUNNING_PACKAGE = 'django';

/** The risk an import failure puts on the statement that meets it, with its words. */
function riskOf({ module, how, via = '' }: ImportFailure): Risk {
  const quoted = `'${module}'${via}`;
  switch (how) {
    case 'missing':
      return { failure: 'import', certain: true, why: `cannot find module ${quoted} imported by the settings` };
    case 'local':
      return { failure: 'import', certain: true, why: `cannot find module ${quoted} imported by the settings`, assumption: `${quoted} is taken as absent, so the except clause runs: no such module is in the project or its virtualenv (it could still come from PYTHONPATH)` };
    case 'absent':
      return { failure: 'import', certain: true, why: `cannot find module ${quoted} imported by the settings`, assumption: `${quoted} is taken as absent, so the except clause runs: it is in neither the project nor its virtualenv (it could still come from PYTHONPATH)` };
    case 'unknown':
      return { failure: 'import', certain: false, why: `depends on whether ${module}${via} can be imported: it is in neither the project nor a virtualenv of it, so static reading cannot tell whether it is installed` };
  }
}

/**
 * Whether an import statement fails, as Python's import would in this workspace: for certain
 * when it names a module that is not there in a package the project or its virtualenv has (a
 * relative one, one inside such a package). A top-level module found in none of the directories
 * static reading can search (manage.py's, those the settings add to `sys.path`, the virtualenv's
 * site-packages) fails too, with that assumption noted, since it could still come from
 * PYTHONPATH: when star-imported (the local settings idiom, `from local_settings import *`), or
 * when the project has a virtualenv, which would hold an installed package. Any other module
 * found nowhere may fail (installed elsewhere or not, static reading cannot tell). A module of
 * the project fails as the first import it makes outside a `try` does (see noteImportFailure):
 * local settings that `import debug_toolbar`.
 */
function importFailure(statement: Node, ctx: EvaluationContext): ImportFailure | undefined {
  const modules =
    statement.type === 'import_from_statement'
      ? [statement.childForFieldName('module_name')?.text ?? '']
      : statement.type === 'import_statement'
        ? statement.namedChildren.map((item) => (item?.type === 'aliased_import' ? item.childForFieldName('name')?.text : item?.text) ?? '')
        : [];
  const roots = [...importRoots(ctx.sysPath, ctx.projectRoot), ...ctx.sitePackages];
  const found = (moduleText: string) => moduleFileOnPath(roots, ctx.file, moduleText) ?? namespacePackageDirOnPath(roots, ctx.file, moduleText);
  for (const module of modules) {
    if (found(module)) {
      const within = failureWithin(module, ctx);
      if (within) {
        return within;
      }
      continue;
    }
    const top = module.startsWith('.') ? undefined : module.split('.')[0]!;
    // `import json` in a try is habit, not a switch: Python's own modules are always there.
    if (top !== undefined && (isAlwaysImportable(module) || top === RUNNING_PACKAGE)) {
      continue;
    }
    if (!top || found(top)) {
      return { module, how: 'missing' };
    }
    // Local settings star-imported in a try (`from local_settings import *`, django-oscar's
    // `from oscarsandbox.json import *`), whose package is nowhere static reading can see.
    if (statement.namedChildren.some((child) => child?.type === 'wildcard_import')) {
      return { module, how: 'local' };
    }
    return { module, how: ctx.sitePackages.length > 0 ? 'absent' : 'unknown' };
  }
  return undefined;
}

/** importFailure's risk for a statement of a `try` body. */
export function importRisk(statement: Node, ctx: EvaluationContext): Risk | undefined {
  const failure = importFailure(statement, ctx);
  return failure && riskOf(failure);
}

/**
 * Notes the first import a module makes outside any `try` that catches ImportError that fails
 * or may fail (see importFailure): Python stops the module there, so the `try` of a module
 * importing it (`from .local_settings import *`) goes to its except clause.
 */
export function noteImportFailure(statement: Node, ctx: EvaluationContext, inTry: boolean): void {
  if (inTry || ctx.importFailures.has(ctx.file)) {
    return;
  }
  const failure = importFailure(statement, ctx);
  if (failure) {
    const via = failure.via ?? `, which ${path.relative(ctx.projectRoot, ctx.file)} imports at line ${locationOf(ctx.file, statement).line},`;
    ctx.importFailures.set(ctx.file, { ...failure, via });
  }
}

/** How importing a module of the project fails: as the first import it makes outside a `try`. */
function failureWithin(module: string, ctx: EvaluationContext): ImportFailure | undefined {
  const file = moduleFileOnPath(importRoots(ctx.sysPath, ctx.projectRoot), ctx.file, module);
  return file && ctx.importModule(ctx.file, module) ? ctx.importFailures.get(file) : undefined;
}
