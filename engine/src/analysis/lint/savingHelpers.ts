import type { FileAnalysis } from '../fileAnalysis';
import { childModule } from '../moduleRef';
import type { SessionKeyIndex } from '../sessionKeyIndex';
import type { OwnerPassingCall } from '../sessionSavers';

/** How many `from … import` re-exports are followed to the function's definition. */
const MAX_HOPS = 5;

/**
 * Whether one of the calls after an in-place change hands the session's owner to a function of
 * the project that sets `modified` on its session, or saves it: `save_cart(request)` after
 * `def save_cart(request): request.session.modified = True`, here or in an imported module.
 */
export function savedByHelper(analysis: FileAnalysis, calls: OwnerPassingCall[], index: SessionKeyIndex): boolean {
  return calls.some((call) => {
    let target = calledFunction(analysis, call.callee, index);
    for (let hops = 0; target && hops < MAX_HOPS; hops++) {
      const { file, name } = target;
      if (file.session?.sessionSavers?.some((saver) => saver.name === name && saver.parameter === call.argument)) {
        return true;
      }
      const imported = file.module.imports.get(name);
      const next = imported && index.resolver().findModule(imported.module, file);
      target = next && { file: next, name: imported.name };
    }
    return false;
  });
}

/** The module a call's function is looked up in, and its name there: `f` here or as imported, or `module.f`. */
function calledFunction(analysis: FileAnalysis, callee: string, index: SessionKeyIndex): { file: FileAnalysis; name: string } | undefined {
  const dot = callee.lastIndexOf('.');
  if (dot === -1) {
    return { file: analysis, name: callee };
  }
  const owner = callee.slice(0, dot);
  const imported = analysis.module.imports.get(owner);
  const module = analysis.module.moduleAliases.get(owner) ?? (imported ? childModule(imported.module, imported.name) : undefined);
  const file = module && index.resolver().findModule(module, analysis);
  return file && { file, name: callee.slice(dot + 1) };
}
