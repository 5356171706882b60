import type { FileAnalysis } from '../fileAnalysis';
import type { SessionAccess } from '../sessionAccesses';
import { isWriteOp } from '../sessionKeyUsage';
import type { LintDiagnostic } from './lintDiagnostic';

const USER_ID = '_auth_user_id';
const BACKEND = '_auth_user_backend';
const HASH = '_auth_user_hash';

/** An access whose key is known, as the session-key rules take them. */
interface KeyedWrite {
  analysis: FileAnalysis;
  access: SessionAccess;
  key: string;
}

/**
 * DS112: a login written by hand. Django's `get_user()` takes a session as logged in only with
 * all three keys `login()` writes: without `_auth_user_backend` the request stays anonymous, and
 * without an `_auth_user_hash` that matches the user's it flushes the whole session (the user's
 * other values with it). So a function (or module) that writes `_auth_user_id` and not both of
 * the others logs no one in; each such write is reported.
 */
export function handWrittenLogins(keyed: readonly KeyedWrite[]): LintDiagnostic[] {
  const groups = new Map<string, KeyedWrite[]>();
  for (const k of keyed) {
    if ((k.key === USER_ID || k.key === BACKEND || k.key === HASH) && isWriteOp(k.access.op)) {
      const id = `${k.analysis.file}\u0000${k.access.fn ?? 'module'}`;
      const group = groups.get(id);
      if (group) {
        group.push(k);
      } else {
        groups.set(id, [k]);
      }
    }
  }
  const diagnostics: LintDiagnostic[] = [];
  for (const writes of groups.values()) {
    const written = new Set(writes.map((k) => k.key));
    if (!written.has(USER_ID) || (written.has(BACKEND) && written.has(HASH))) {
      continue;
    }
    for (const k of writes.filter((w) => w.key === USER_ID)) {
      diagnostics.push({ file: k.analysis.file, range: k.access.range, code: 'DS112', severity: 'warning', message: message(!written.has(BACKEND), k.analysis.inTest) });
    }
  }
  return diagnostics;
}

function message(noBackend: boolean, inTest: boolean): string {
  const why = noBackend
    ? `without '${BACKEND}' Django's get_user() finds no backend, so the request stays anonymous`
    : `without '${HASH}' (the user's get_session_auth_hash()) Django's get_user() cannot verify the session, so it flushes it, losing every value in it, and the request stays anonymous`;
  const instead = inTest ? 'call self.client.force_login(user)' : 'call django.contrib.auth.login(request, user)';
  return `Writing '${USER_ID}' by hand logs no one in: ${why}. To log a user in, ${instead}, which writes all three keys.`;
}
