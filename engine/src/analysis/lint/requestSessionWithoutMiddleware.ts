import * as path from 'node:path';
import type { ResolvedSetting } from '../../project/discoverProjects';
import { SESSION_MIDDLEWARE } from '../../project/sessionSettingDefaults';
import { strItems } from '../../project/settingValue';
import type { SessionKeyIndex } from '../sessionKeyIndex';
import type { LintDiagnostic } from './lintDiagnostic';
import { type ListItemLiteral, onlyLiteral } from './listItemLiterals';
import { insertSessionMiddleware, sessionMiddlewarePlace } from './sessionMiddlewareOrder';
import { settingNameRange } from './settingsRange';

/**
 * DS211 where the project's code turns out to read `request.session` (see
 * withRequestSessionUses): MIDDLEWARE (wholly known) has no session middleware, so no request
 * has a session. At MIDDLEWARE, with a fix that adds Django's where Django's docs order it.
 */
export async function requestSessionWithoutMiddleware(
  setting: (name: string) => ResolvedSetting | undefined,
  literalsOf: () => Promise<readonly ListItemLiteral[]>,
  projectRoot: string,
  givesSession: (middleware: string) => boolean,
): Promise<LintDiagnostic[]> {
  const middlewareSetting = setting('MIDDLEWARE');
  const middleware = strItems(middlewareSetting?.value);
  if (!middlewareSetting || !middleware || middleware.some(givesSession)) {
    return [];
  }
  const diagnostic: LintDiagnostic = { file: middlewareSetting.location.file, range: settingNameRange(middlewareSetting), code: 'DS211', severity: 'warning', message: message(), requestSessionIn: projectRoot, sessionGiverAbsentIn: projectRoot };
  const at = sessionMiddlewarePlace(middleware);
  const fix = at === undefined ? undefined : insertSessionMiddleware(middleware, at, onlyLiteral(await literalsOf(), middleware[at]!));
  if (fix) {
    diagnostic.fix = fix;
  }
  return [diagnostic];
}

/** DS211's message, naming `readAt`, the first place the code reads the session, once the index tells it. */
function message(readAt?: string): string {
  const place = readAt === undefined ? '' : ` (first at ${readAt})`;
  return `MIDDLEWARE has no session middleware, but the project's code reads request.session${place}: every request that reaches it raises AttributeError("'WSGIRequest' object has no attribute 'session'") ('ASGIRequest' under ASGI). Add '${SESSION_MIDDLEWARE}' to MIDDLEWARE.`;
}

/**
 * Keeps DS211 only where code of its project outside tests reads a request's session, as the
 * index holds it, and DS209's and DS211's findings of a MIDDLEWARE without a session middleware
 * only where no code of the project gives requests one itself (`request.session = …` in a
 * middleware of its own; for DS209 one listed above the middleware that fails, as only that runs
 * first); each DS211 kept names the first such read, in file order, so the
 * finding on the settings leads to the code.
 */
export function withRequestSessionUses(diagnostics: LintDiagnostic[], index: SessionKeyIndex): LintDiagnostic[] {
  if (!diagnostics.some((d) => d.requestSessionIn !== undefined || d.sessionGiverAbsentIn !== undefined || d.sessionGiverFiles !== undefined)) {
    return diagnostics;
  }
  const uses: { file: string; line: number }[] = [];
  const setters: string[] = [];
  for (const analysis of index.analyses()) {
    if (analysis.requestSessionUse) {
      uses.push({ file: analysis.file, line: analysis.requestSessionUse.start.line });
    }
    if (analysis.setsRequestSession) {
      setters.push(analysis.file);
    }
  }
  uses.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const within = (file: string, root: string) => file.startsWith(root + path.sep);
  return diagnostics.flatMap((d) => {
    const giverRoot = d.sessionGiverAbsentIn;
    if (giverRoot !== undefined && setters.some((file) => within(file, giverRoot))) {
      return [];
    }
    if (d.sessionGiverFiles?.some((file) => setters.includes(file))) {
      return [];
    }
    const root = d.requestSessionIn;
    if (root === undefined) {
      return [d];
    }
    const first = uses.find((use) => within(use.file, root));
    return first ? [{ ...d, message: message(`${path.relative(root, first.file).split(path.sep).join('/')}:${first.line + 1}`) }] : [];
  });
}
