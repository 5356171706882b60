import { calledFunction } from '../calledFunction';
import type { FileAnalysis } from '../fileAnalysis';
import type { SessionKeyIndex } from '../sessionKeyIndex';
import type { OwnerPassingCall } from '../sessionSavers';

/**
 * Whether one of the calls after an in-place change hands the session's owner to a function of
 * the project that sets `modified` on its session, or saves it: `save_cart(request)` after
 * `def save_cart(request): request.session.modified = True`, here or in an imported module.
 */
export function savedByHelper(analysis: FileAnalysis, calls: OwnerPassingCall[], index: SessionKeyIndex): boolean {
  return calls.some((call) => {
    for (const { file, name } of calledFunction(analysis, call.callee, index.resolver())) {
      if (file.session?.sessionSavers?.some((saver) => saver.name === name && saver.parameter === call.argument)) {
        return true;
      }
    }
    return false;
  });
}
