/** The position of the n-th occurrence of `needle` in a text, plus `offset` characters. */
export function positionOf(text: string, needle: string, offset = 1, nth = 0): { line: number; character: number } {
  const lines = text.split('\n');
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    let from = 0;
    for (let i = lines[line]!.indexOf(needle, from); i >= 0; i = lines[line]!.indexOf(needle, from)) {
      if (seen++ === nth) return { line, character: i + offset };
      from = i + 1;
    }
  }
  throw new Error(`${needle} not found`);
}
