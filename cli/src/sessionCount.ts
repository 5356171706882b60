/** `n` sessions as the CLI's messages say it: "1 session", "2 sessions", with `kind` before the noun ("1 expired session"). */
export function sessionCount(n: number, kind = ''): string {
  return `${n} ${kind ? `${kind} ` : ''}session${n === 1 ? '' : 's'}`;
}
