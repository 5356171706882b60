/** How count --user and logout-user name the sessions they could not check: their data does not decode. */
export function uncheckedText(count: number): string {
  return `${count} session(s) could not be decoded and were not checked (list shows why)`;
}
