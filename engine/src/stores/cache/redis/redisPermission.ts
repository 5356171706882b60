import { Cluster, type Redis } from 'ioredis';
import { StoreError } from '../../storeError';

/**
 * Redis's refusals of an ACL user: NOPERM for a command or a key, and, inside a script, Redis
 * 7.0's "can't run this command" and 7.2's "ACL failure in script".
 */
const REFUSED = /^NOPERM|can't run this command|ACL failure in script/i;

/** Whether a command failed because the connection's ACL user may not run it, or may not touch its key. */
export function isRedisPermissionDenied(err: unknown): boolean {
  return err instanceof Error && REFUSED.test(err.message);
}

/** The ACL user a client authenticates as; Redis's `default` when it names none. */
export function aclUser(client: Redis | Cluster): string {
  const options = client instanceof Cluster ? client.options.redisOptions : client.options;
  return options?.username || 'default';
}

/**
 * A refusal as one line naming what the ACL user lacks and the `ACL SETUSER` that grants it: the
 * command, the session keys, or the commands of the scripts changes run as.
 */
export function redisPermissionError(where: string, user: string, err: unknown): StoreError {
  const message = err instanceof Error ? err.message : String(err);
  // A script's refusal ends with the script's SHA and line, which say nothing to the user; Redis
  // 7.2 names the refused key, which holds a session key, never printed in full.
  const reason = message.replace(/ script: .*$/, '').replace(/'[^']*' key/, 'a session key').replace(/\.$/, '');
  const command = /'([^']+)' command/.exec(message)?.[1]?.toLowerCase();
  return new StoreError('permission-denied', `Redis at ${where} refuses the ACL user ${user} (${reason}); ${grant(user, command, message)}.`);
}

function grant(user: string, command: string | undefined, message: string): string {
  if (command === 'eval') {
    return `changes run as a script (EVAL), so that none overwrites a session Django rewrote meanwhile: grant it with ACL SETUSER ${user} +eval (or +@scripting)`;
  }
  if (command) {
    return `grant it with ACL SETUSER ${user} +${command}`;
  }
  if (/key/i.test(message)) {
    return `give it the session keys, as Django's own user has them, with a key pattern over the cache's KEY_PREFIX: ACL SETUSER ${user} ~PREFIX:*`;
  }
  return `grant the commands the scripts of changes run with ACL SETUSER ${user} +get +set +del`;
}
