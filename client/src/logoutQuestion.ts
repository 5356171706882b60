import type { CountUserSessionsResult } from '../../server/src/protocol';
import { usernameHint } from './usernameHint';

/** What Log User Out Everywhere says before it deletes: a question, or that there is nothing to delete. */
export type LogoutQuestion = { ask: { message: string; detail: string } } | { nothing: string; warn: boolean };

function sessionsText(n: number): string {
  return `${n} session${n === 1 ? '' : 's'}`;
}

/** Which of the `n` sessions a logout deletes have expired: they log no one in, so the count alone reads as more logins than there are. */
function expiredText(n: number, expired: number): string {
  if (expired === 0) {
    return '';
  }
  if (n === 1) {
    return ' (expired)';
  }
  return expired === n ? ' (all of them expired)' : ` (${expired} of them expired)`;
}

/**
 * The confirmation of a logout, from the server's count of the user's sessions in `storeLabel`:
 * how many it deletes, and how many of those have expired (deleted too, though they log no one
 * in), or, where the store could not be read in a moment (`counted.sessions` absent), all
 * of them, uncounted. With none to delete it asks nothing, and says so (and why the user may
 * still be logged in, where sessions could not be decoded to check).
 */
export function logoutQuestion(counted: CountUserSessionsResult, storeLabel: string, userId: string): LogoutQuestion {
  const n = counted.undecodable ?? 0;
  const unchecked = `${sessionsText(n)} could not be decoded to check whose ${n === 1 ? 'it is' : 'they are'}`;
  if (counted.sessions === 0) {
    const hint = usernameHint(userId);
    const but = n > 0 ? `, but ${unchecked} (the view marks ${n === 1 ? 'it' : 'them'} undecodable, with why)` : '';
    return { nothing: `User ${userId} has no sessions in ${storeLabel}${n > 0 ? ' that could be read' : ''}: nothing to delete${but}.${hint ? ` ${hint}` : ''}`, warn: n > 0 };
  }
  // Worded as what Log Out will do, so it does not read as done already.
  const which =
    counted.sessions === undefined
      ? `This deletes every session of user ${userId} in ${storeLabel}, expired ones too (not counted first: reading every session there takes too long).`
      : `This deletes ${counted.sessions === 1 ? 'the only session' : `the ${sessionsText(counted.sessions)}`} user ${userId} has${expiredText(counted.sessions, counted.expired ?? 0)} in ${storeLabel}.`;
  const left = n > 0 ? ` ${unchecked}, and ${n === 1 ? 'is' : 'are'} left: the user may stay logged in there.` : '';
  return { ask: { message: `Log user ${userId} out everywhere?`, detail: `${which}${left}` } };
}
