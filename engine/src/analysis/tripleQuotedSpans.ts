/**
 * Whether an offset lies inside a triple-quoted string, by pairing the triple quotes in order,
 * for offsets asked about in increasing order: the current string moves forward with them, and
 * the next `"""` and `'''` are remembered, so no part of the text is searched twice.
 */
export function tripleQuotedSpans(text: string): (offset: number) => boolean {
  // The next position of each triple quote; -2 before the first search, -1 when there is none left.
  const next = new Map<string, number>([['"""', -2], ["'''", -2]]);
  /** The first `quote` at or after `from`, -1 if none: searched again only once `from` passes the one remembered. */
  const find = (quote: string, from: number): number => {
    let at = next.get(quote)!;
    if (at !== -1 && at < from) {
      at = text.indexOf(quote, from);
      next.set(quote, at);
    }
    return at;
  };
  let start = -1;
  let end = -1;
  let from = 0;
  return (offset) => {
    while (end <= offset && from !== -1) {
      const double = find('"""', from);
      const single = find("'''", from);
      start = double === -1 ? single : single === -1 ? double : Math.min(double, single);
      if (start === -1) {
        from = -1;
        break;
      }
      const close = find(text.slice(start, start + 3), start + 3);
      end = close === -1 ? text.length : close + 3;
      from = close === -1 ? -1 : end;
    }
    return start < offset && offset < end;
  };
}
