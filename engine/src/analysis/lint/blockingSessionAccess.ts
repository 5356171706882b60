import type { FileAnalysis } from '../fileAnalysis';
import { rangeId } from '../range';
import type { SessionAccess } from '../sessionAccesses';
import { versionAtLeast } from '../../project/djangoVersion';
import type { LintDiagnostic } from './lintDiagnostic';
import type { SessionKeyLintOptions } from './sessionKeyRules';

/**
 * DS113: a session read or written by a synchronous operation (a subscript, `get`, `in`, …)
 * directly in an `async def`. The first such access in a request loads the session; with the db
 * engine that is a query, which Django refuses in an async context (SynchronousOnlyOperation)
 * whenever the request brings a session cookie, so the view fails for returning visitors only;
 * with cached_db it does so when the cache misses. Other engines load without the ORM and are
 * left alone, as is an unknown engine.
 */
export function blockingSessionAccesses(analysis: FileAnalysis, options: SessionKeyLintOptions): LintDiagnostic[] {
  if (options.engine !== 'db' && options.engine !== 'cached_db') {
    return [];
  }
  const when = options.engine === 'db' ? 'for every request that brings a session cookie' : 'whenever the cache misses';
  const hasAsyncMethods = options.djangoVersion === undefined || versionAtLeast(options.djangoVersion, 5, 1);
  const instead = hasAsyncMethods
    ? "use the session's async methods, await request.session.aget(key) / aset(key, value) / apop(key) / ahas_key(key) (Django 5.1+), or wrap the code in sync_to_async"
    : `wrap the code in sync_to_async (Django ${options.djangoVersion} has no async session methods; 5.1 adds aget(), aset(), …)`;
  // `update({a: 1, b: 2})` is one access per key and one call to rewrite: it is reported once.
  const rewritten = new Set<string>();
  const once = (access: SessionAccess): boolean => {
    const edit = access.asyncFix?.edits[0];
    const id = edit && rangeId(edit.range);
    return id === undefined || (!rewritten.has(id) && rewritten.add(id) !== undefined);
  };
  return [...(analysis.session?.accesses ?? []), ...(analysis.helperAccesses ?? [])]
    .filter((access) => access.inAsyncFunction && once(access))
    .map((access) => ({
      file: analysis.file,
      range: access.range,
      code: 'DS113',
      severity: options.engine === 'db' ? 'error' : 'warning',
      message: `This session access in an async function loads the session with a database query (${options.engine} engine), which Django refuses in an async context with SynchronousOnlyOperation ${when}; ${instead}.`,
      ...(hasAsyncMethods && access.asyncFix ? { fix: { title: access.asyncFix.title, edits: access.asyncFix.edits.map((edit) => ({ file: analysis.file, ...edit })) } } : {}),
    }));
}
