import { calledFunction } from './calledFunction';
import type { FileAnalysis } from './fileAnalysis';
import type { HelperCall, HelperCallArgument } from './helperCalls';
import type { KeyHelper } from './keyParameterHelpers';
import type { KeyResolver } from './keyResolver';
import type { Range } from './range';
import type { SessionAccess } from './sessionAccesses';

/** One call of a key-parameter helper: which helper, and why the key it passes is not known when it is not. */
export interface HelperCallRecord {
  /** The called helper (see helperId). */
  helper: string;
  callee: string;
  range: Range;
  dynamic?: string;
}

/** What a file's calls of key-parameter helpers access, at their key arguments. */
export interface HelperCallSites {
  /**
   * Each call's key argument as the helper's access of that key, with its op: usages, as the
   * accesses written in the file are (see README, `scan`). Those of a helper whose access is
   * through a `session` parameter are in `notUsages`, as that access is no usage either, with
   * that parameter in `through`: once a call fills it with a session, both are usages.
   */
  accesses: SessionAccess[];
  notUsages: SessionAccess[];
  calls: HelperCallRecord[];
}

/** Names a helper function across the project: its file and (class and) name. */
export function helperId(file: string, helper: Pick<KeyHelper, 'name' | 'className'>): string {
  return `${file}\0${helper.className ?? ''}.${helper.name}`;
}

/**
 * The accesses a file's helper calls make (see helperCallsIn), each call told to the helper it
 * calls: a method of the class the call is made in (`self.name(…)`), or a module-level function
 * here or in the module it is imported from (following re-exports), or `module.name(…)`.
 */
export function helperCallSites(analysis: FileAnalysis, resolver: KeyResolver): HelperCallSites {
  const sites: HelperCallSites = { accesses: [], notUsages: [], calls: [] };
  for (const call of analysis.helperCalls ?? []) {
    const called = calledHelpers(analysis, call, resolver);
    if (!called) {
      continue;
    }
    const record: HelperCallRecord = { helper: helperId(called.file, called.helpers[0]!), callee: call.callee, range: call.range };
    for (const helper of called.helpers) {
      const passed = passedKey(call, helper);
      if ('reason' in passed) {
        record.dynamic ??= passed.reason;
        continue;
      }
      if (passed.key.kind === 'dynamic') {
        record.dynamic ??= passed.key.reason;
        continue;
      }
      const spelling = passed.spelling ? { spelling: passed.spelling } : {};
      const access: SessionAccess = { key: passed.key, op: helper.op, range: passed.range, keyText: passed.keyText, ...spelling, ...(helper.cleanup ? { cleanup: true } : {}), ...(helper.through ? { through: helper.through } : {}) };
      (helper.notUsage ? sites.notUsages : sites.accesses).push(access);
    }
    sites.calls.push(record);
  }
  return sites;
}

/** The helper accesses of the function a call calls, and the file defining it; undefined when it calls none. */
function calledHelpers(analysis: FileAnalysis, call: HelperCall, resolver: KeyResolver): { file: string; helpers: KeyHelper[] } | undefined {
  if (call.className !== undefined) {
    const helpers = (analysis.keyHelpers ?? []).filter((helper) => helper.className === call.className && helper.name === call.callee);
    return helpers.length > 0 ? { file: analysis.file, helpers } : undefined;
  }
  for (const { file, name } of calledFunction(analysis, call.callee, resolver)) {
    const helpers = (file.keyHelpers ?? []).filter((helper) => helper.className === undefined && helper.name === name);
    if (helpers.length > 0) {
      return { file: file.file, helpers };
    }
  }
  return undefined;
}

/** The argument a call passes for the helper's key parameter, or why none can be told. */
function passedKey(call: HelperCall, helper: KeyHelper): HelperCallArgument | { reason: string } {
  const byKeyword = helper.keyword ? call.args.find((arg) => arg.keyword === helper.parameter) : undefined;
  if (byKeyword) {
    return byKeyword;
  }
  const position = helper.position;
  if (position !== undefined && call.starredFrom !== undefined && position >= call.starredFrom) {
    return { reason: `the call passes '${helper.parameter}' among its *args` };
  }
  const byPosition = position === undefined ? undefined : call.args.find((arg) => arg.position === position);
  if (byPosition) {
    return byPosition;
  }
  return { reason: call.keywordSplat ? `the call may pass '${helper.parameter}' in its **kwargs` : `the call leaves '${helper.parameter}' to its default` };
}
