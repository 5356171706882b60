import { usernameHint } from './usernameHint';

/** What a bulk deletion did, in words that tell the two kinds apart and say when there was nothing to delete. */
export function bulkOutcome(result: { deleted: number; cancelled?: boolean; undecodable?: number }, storeLabel: string, userId: string | undefined): string {
  const sessions = `${result.deleted} ${userId === undefined ? 'expired ' : ''}session${result.deleted === 1 ? '' : 's'}`;
  // A username given where the session holds the user's primary key is the likeliest miss.
  const missed = userId !== undefined && result.deleted === 0 ? usernameHint(userId) : undefined;
  const hint = missed ? ` ${missed}` : '';
  if (result.undecodable && userId !== undefined && !result.cancelled) {
    const n = result.undecodable;
    return `User ${userId} may still be logged in to ${storeLabel}: ${sessions} deleted, but ${n} session${n === 1 ? '' : 's'} could not be decoded to check whose ${n === 1 ? 'it is' : 'they are'} (the view marks ${n === 1 ? 'it' : 'them'} undecodable, with why).${hint}`;
  }
  if (result.cancelled) {
    return `Stopped: ${sessions} deleted from ${storeLabel} before cancelling.`;
  }
  if (result.deleted === 0) {
    return userId === undefined ? `No expired sessions in ${storeLabel}: nothing to delete.` : `User ${userId} has no sessions in ${storeLabel}: nothing to delete.${hint}`;
  }
  return userId === undefined ? `${sessions} deleted from ${storeLabel}.` : `User ${userId} logged out of ${storeLabel}: ${sessions} deleted.`;
}
