/** What a change does to a session: destroys something (data, the session, its key) or edits it. */
export type ChangeKind = 'destructive' | 'edit';

/**
 * Whether a change asks before it writes. Any change to a store off this machine asks, as the CLI
 * wants `--yes` for it; a destructive one on this machine asks unless the user turned that off.
 */
export function mustConfirm(kind: ChangeKind, local: boolean, confirmChanges: boolean): boolean {
  return !local || (kind === 'destructive' && confirmChanges);
}
