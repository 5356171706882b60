import { maskSessionKey } from '../keyMask';

/**
 * How a cycle of `sessionKey`'s key that met `failure` (a lost connection, a write refused part
 * way) begins to say so: the failure's cause, without the advice that follows it, since what the
 * store found out afterwards replaces that advice.
 */
export function interruptedCycle(failure: unknown, sessionKey: string): string {
  return `${causeOf(failure)} while the key of session ${maskSessionKey(sessionKey)} was being cycled`;
}

/** The first clause of an error's message: its cause. */
export function causeOf(failure: unknown): string {
  return (failure instanceof Error ? failure.message : String(failure)).split('\n')[0]!.split(/; |\. |, so /)[0]!.replace(/\.$/, '');
}
