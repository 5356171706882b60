import { sessionCount } from '../sessionCount';

/** How count --user and logout-user name the sessions they could not check: their data does not decode. */
export function uncheckedText(count: number): string {
  return `${sessionCount(count)} could not be decoded and ${count === 1 ? 'was' : 'were'} not checked (list shows why)`;
}
