import type { FileAnalysis } from './fileAnalysis';
import type { KeyResolver } from './keyResolver';
import { childModule } from './moduleRef';

/** How many `from … import` re-exports are followed to the function's definition. */
const MAX_HOPS = 5;

/**
 * Where the function a call names may be defined, nearest first: the module it is looked up in
 * (`f` here, `module.f` in that module) and its name there, then each module a `from … import`
 * of that name brings it from, as far as the project holds them.
 */
export function* calledFunction(analysis: FileAnalysis, callee: string, resolver: KeyResolver): Generator<{ file: FileAnalysis; name: string }> {
  let target = lookedUpIn(analysis, callee, resolver);
  for (let hops = 0; target && hops < MAX_HOPS; hops++) {
    yield target;
    const { file, name } = target;
    const imported = file.module.imports.get(name);
    const next = imported && resolver.findModule(imported.module, file);
    target = next && { file: next, name: imported.name };
  }
}

/** The module a call's function is looked up in, and its name there: `f` here or as imported, or `module.f`. */
function lookedUpIn(analysis: FileAnalysis, callee: string, resolver: KeyResolver): { file: FileAnalysis; name: string } | undefined {
  const dot = callee.lastIndexOf('.');
  if (dot === -1) {
    return { file: analysis, name: callee };
  }
  const owner = callee.slice(0, dot);
  const imported = analysis.module.imports.get(owner);
  const module = analysis.module.moduleAliases.get(owner) ?? (imported ? childModule(imported.module, imported.name) : undefined);
  const file = module && resolver.findModule(module, analysis);
  return file && { file, name: callee.slice(dot + 1) };
}
