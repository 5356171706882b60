import type { Position, Range, ResolvedUsage, SessionKeyIndex, UnresolvedSessionKey } from '../../engine/src';

/**
 * The session-key access whose key expression contains the position, if any. On the str literal
 * of a constant that accesses go through (`CART_KEY = "cart"`), one of those accesses, placed at
 * the literal: the constant's value is where the key is spelled.
 */
export function keyUsageAt(index: SessionKeyIndex, file: string, position: Position): ResolvedUsage | undefined {
  const usages = index.usages();
  const direct = usages.find((u) => u.file === file && contains(u.range, position));
  if (direct) {
    return direct;
  }
  const through = usages.find((u) => u.definition?.file === file && contains(u.definition.constant.spelling.range, position));
  return through?.definition && { ...through, file, range: through.definition.constant.spelling.range };
}

/**
 * Every key accessed at the position, one access each: as keyUsageAt, but where one access is
 * several keys (`self.filter_session_key` in a mixin's method is each subclass's own key), all of them.
 */
export function keyUsagesAt(index: SessionKeyIndex, file: string, position: Position): ResolvedUsage[] {
  const first = keyUsageAt(index, file, position);
  if (!first) {
    return [];
  }
  const byKey = new Map([[first.key, first]]);
  for (const u of index.usages()) {
    if (u.file === file && contains(u.range, position) && !byKey.has(u.key)) {
      byKey.set(u.key, u);
    }
  }
  return [...byKey.values()];
}

/** The session access whose key, computed at run time, the index cannot tell, whose key expression contains the position, if any. */
export function unresolvedKeyAt(index: SessionKeyIndex, file: string, position: Position): UnresolvedSessionKey | undefined {
  return index.unresolved().find((u) => u.file === file && contains(u.range, position));
}

/** Every access to the key of `usage`, across its workspace folder. */
export function usagesOfKey(index: SessionKeyIndex, usage: ResolvedUsage): ResolvedUsage[] {
  return index.keys(usage.file).get(usage.key) ?? [];
}

/** The literals of the constants that these accesses go through, each once. */
export function constantLiteralsOf(usages: readonly ResolvedUsage[]): { file: string; range: Range }[] {
  const found = new Map<string, { file: string; range: Range }>();
  for (const u of usages) {
    if (u.definition) {
      const { file, constant } = u.definition;
      found.set(`${file}\u0000${JSON.stringify(constant.spelling.range)}`, { file, range: constant.spelling.range });
    }
  }
  return [...found.values()];
}

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}
