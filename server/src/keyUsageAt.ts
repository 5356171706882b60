import type { Position, ResolvedUsage, SessionKeyIndex } from '../../engine/src';

/** The session-key access whose key expression contains the position, if any. */
export function keyUsageAt(index: SessionKeyIndex, file: string, position: Position): ResolvedUsage | undefined {
  return index.usages().find((u) => u.file === file && contains(u.range, position));
}

/** Every access to the key of `usage`, across its workspace folder. */
export function usagesOfKey(index: SessionKeyIndex, usage: ResolvedUsage): ResolvedUsage[] {
  return index.keys(usage.file).get(usage.key) ?? [];
}

function contains(range: ResolvedUsage['range'], p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}
