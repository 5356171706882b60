import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import type { EvaluationContext } from './evaluationContext';
import { type SettingValue, unknown } from './settingValue';
import { importRoots } from './sysPath';

/**
 * A module's `__name__` or `__package__` (`importlib.import_module(f"{__name__}.{env}")`, which
 * a settings package's `__init__.py` uses to pick its environment's module): the dotted name of
 * the module `ctx` runs, through the regular packages (with `__init__.py`) holding it;
 * `__package__` is that less the last part for a module that is no package. Undefined for other
 * names; unknown where the outermost of those packages is not in a directory imports search (a
 * namespace package, whose name static reading would only guess).
 */
export function moduleDunder(name: string, ctx: EvaluationContext, here: SourceLocation): SettingValue | undefined {
  if (name !== '__name__' && name !== '__package__') {
    return undefined;
  }
  const file = ctx.file;
  const isPackage = path.basename(file) === '__init__.py';
  const parts = isPackage ? [] : [path.basename(file, '.py')];
  let dir = path.dirname(file);
  while (fs.existsSync(path.join(dir, '__init__.py')) && path.dirname(dir) !== dir) {
    parts.unshift(path.basename(dir));
    dir = path.dirname(dir);
  }
  if (parts.length === 0 || !importRoots(ctx.sysPath, ctx.projectRoot).includes(dir)) {
    return unknown(`${name} of ${path.relative(ctx.projectRoot, file)} is not known statically: the module is in no regular package (with __init__.py) on sys.path`, here);
  }
  const dotted = name === '__package__' && !isPackage ? parts.slice(0, -1) : parts;
  return { kind: 'str', value: dotted.join('.') };
}
