/**
 * A test for keys against a Redis `MATCH` glob (`*`, `?`, `[…]` with `^` and ranges, `\` escaping
 * the next character), for backends that list every key and must select the sessions themselves.
 */
export function globMatcher(glob: string): (key: string) => boolean {
  let source = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) {
      source += escapeRegExp(glob[++i]!);
    } else if (c === '*') {
      source += '.*';
    } else if (c === '?') {
      source += '.';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        source += '\\[';
        continue;
      }
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('^');
      source += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else {
      source += escapeRegExp(c);
    }
  }
  const pattern = new RegExp(`${source}$`, 's');
  return (key) => pattern.test(key);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
