import type { FileAnalysis } from '../fileAnalysis';
import { rangeId } from '../range';
import type { SessionAccess } from '../sessionAccesses';
import type { BlockingCall, BlockingWhen } from '../blockingSessionCalls';
import { versionAtLeast } from '../../project/djangoVersion';
import type { LintDiagnostic } from './lintDiagnostic';
import type { SessionKeyLintOptions } from './sessionKeyRules';

const WHEN: Record<BlockingWhen, string> = {
  withCookie: 'for every request that brings a session cookie',
  loaded: 'whenever the cache misses',
  unlessCached: 'whenever the session is not in the cache, as for every request without a session cookie',
  always: 'on every request',
};

/**
 * DS113: a session read or written by a synchronous operation (a subscript, `get`, `in`, …)
 * directly in an `async def`, or a call such as `flush()` or `keys()` there that queries the
 * database (see blockingCall). The first access in a request loads the session; with the db
 * engine that is a query, which Django refuses in an async context (SynchronousOnlyOperation)
 * whenever the request brings a session cookie, so the view fails for returning visitors only;
 * with cached_db it does so when the cache misses (a warning). A call that deletes or creates a
 * session queries under either engine, with a cookie or on every request (an error), as does
 * cached_db's `load()` or `exists()` for a request without a session cookie. Other
 * engines load without the ORM and are left alone, as is an unknown engine.
 */
export function blockingSessionAccesses(analysis: FileAnalysis, options: SessionKeyLintOptions): LintDiagnostic[] {
  const engine = options.engine;
  if (engine !== 'db' && engine !== 'cached_db') {
    return [];
  }
  const hasAsyncMethods = options.djangoVersion === undefined || versionAtLeast(options.djangoVersion, 5, 1);
  const loaded: BlockingWhen = engine === 'db' ? 'withCookie' : 'loaded';
  const refused = (when: BlockingWhen) => `which Django refuses in an async context with SynchronousOnlyOperation ${WHEN[when]}`;
  const diagnostic = (range: LintDiagnostic['range'], when: BlockingWhen, message: string, fix: BlockingCall['asyncFix']): LintDiagnostic => ({
    file: analysis.file,
    range,
    code: 'DS113',
    severity: when === 'loaded' ? 'warning' : 'error',
    message,
    ...(hasAsyncMethods && fix ? { fix: { title: fix.title, edits: fix.edits.map((edit) => ({ file: analysis.file, ...edit })) } } : {}),
  });
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
  const accesses = [...(analysis.session?.accesses ?? []), ...(analysis.helperAccesses ?? [])]
    .filter((access) => access.inAsyncFunction && once(access))
    .map((access) => diagnostic(access.range, loaded, `This session access in an async function loads the session with a database query (${engine} engine), ${refused(loaded)}; ${instead}.`, access.asyncFix));
  const calls = (analysis.session?.blockingCalls ?? [])
    .filter((call) => call.inAsyncFunction)
    .map((call) => {
      const when = call.when[engine];
      const does = call.when.loads ? 'loads the session with a database query' : 'queries the database';
      const twin = `a${call.method}()`;
      const callInstead = hasAsyncMethods ? `use await …${twin} (Django 5.1+), or wrap the code in sync_to_async` : `wrap the code in sync_to_async (Django ${options.djangoVersion} has no async session methods; 5.1 adds ${twin})`;
      return diagnostic(call.range, when, `${call.method}() on the session in an async function ${does} (${engine} engine), ${refused(when)}; ${callInstead}.`, call.asyncFix);
    });
  return [...accesses, ...calls];
}
