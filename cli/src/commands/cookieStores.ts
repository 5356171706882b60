import type { ParsedArgs } from '../args';
import type { ResolvedStore } from '../resolveStores';
import { writeError } from '../terminalText';

/**
 * The stores a store command works on: with several, those of the signed_cookies engine are left
 * out, and said so on stderr. Their sessions are in the browsers' cookies, so no store holds one
 * to read, change or delete, and a project using them beside others (a monorepo's) must not stop
 * the command for the rest; alone, they are kept, so the command says why it cannot run.
 */
export function withoutCookieStores(args: ParsedArgs, stores: ResolvedStore[]): ResolvedStore[] {
  const kept = stores.filter((store) => store.engine !== 'signed_cookies');
  if (kept.length === 0 || kept.length === stores.length) {
    return stores;
  }
  for (const store of stores.filter((s) => s.engine === 'signed_cookies')) {
    const userId = args.positionals[0];
    writeError(
      args.command === 'logout-user' && userId !== undefined
        ? `django-sessions: warning: ${store.id} is left out: its sessions are signed cookies in the browsers, which no store holds, so user ${userId} stays logged in there until the cookie expires, the user's password changes or SECRET_KEY does.\n`
        : `django-sessions: note: ${store.id} is left out: its sessions are signed cookies in the browsers, which no store holds (decode-cookie reads one).\n`,
    );
  }
  return kept;
}
