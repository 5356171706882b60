/** What a bulk deletion did, in words that tell the two kinds apart and say when there was nothing to delete. */
export function bulkOutcome(result: { deleted: number; cancelled?: boolean }, storeLabel: string, userId: string | undefined): string {
  const sessions = `${result.deleted} ${userId === undefined ? 'expired ' : ''}session${result.deleted === 1 ? '' : 's'}`;
  if (result.cancelled) {
    return `Stopped: ${sessions} deleted from ${storeLabel} before cancelling.`;
  }
  if (result.deleted === 0) {
    return userId === undefined ? `No expired sessions in ${storeLabel}: nothing to delete.` : `User ${userId} has no sessions in ${storeLabel}: nothing to delete.`;
  }
  return userId === undefined ? `${sessions} deleted from ${storeLabel}.` : `User ${userId} logged out of ${storeLabel}: ${sessions} deleted.`;
}
