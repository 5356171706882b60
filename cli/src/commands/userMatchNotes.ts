import type { StoreDescriptor } from '../../../engine/src';
import { sessionCount } from '../sessionCount';
import { writeError } from '../terminalText';

/** What a whole-store search for one user's sessions saw of a store. */
export interface UserSearch {
  /** The user's sessions found (or deleted). */
  matched: number;
  /** Sessions read. */
  checked: number;
  /** Sessions logged in as anyone: holding `_auth_user_id`. */
  loggedIn: number;
  /** Sessions that do not decode, so whose they are is unknown. */
  undecodable: number;
}

/** A user id with no digit at all, as a username is and a primary key seldom is. */
function looksLikeUsername(userId: string): boolean {
  return /^\D+$/.test(userId);
}

/**
 * Says on stderr why logout-user (or its dry run) may have found none of the user's sessions: no
 * session holds `_auth_user_id` at all, or the id given looks like a username.
 */
export function noteWhyNoneMatched(descriptor: StoreDescriptor, userId: string, { matched, checked, loggedIn, undecodable }: UserSearch): void {
  // A project whose own auth keeps the user under another key (Seahub's _auth_user_name) has
  // sessions that log users in, none of them found here: say so rather than report success.
  if (matched === 0 && loggedIn === 0 && checked > undecodable) {
    writeError(
      `django-sessions: warning: ${descriptor.id}: none of its ${sessionCount(checked)} holds _auth_user_id, where django.contrib.auth keeps the logged-in user; if the project logs users in under another key, logout-user cannot find them (flush their sessions by key instead).\n`,
    );
  } else if (matched === 0 && loggedIn > 0 && looksLikeUsername(userId)) {
    writeError(
      `django-sessions: note: ${descriptor.id}: no session is logged in as "${userId}": _auth_user_id holds the user's primary key (usually a number, User.objects.get(username="${userId}").pk), not the username.\n`,
    );
  }
}
