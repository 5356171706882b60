import * as path from 'node:path';

/**
 * Whether `file` is `dir` or lies below it: by whole path segments, so `/proj2` is not inside
 * `/proj` while `/proj/..cache` is. Both are absolute and normalized, as workspace paths are.
 */
export function isWithin(dir: string, file: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** The deepest of `dirs` that holds `file` (see isWithin), if any does. */
export function deepestWithin(dirs: readonly string[], file: string): string | undefined {
  let deepest: string | undefined;
  for (const dir of dirs) {
    if ((deepest === undefined || dir.length > deepest.length) && isWithin(dir, file)) {
      deepest = dir;
    }
  }
  return deepest;
}

/** The outermost of `dirs` that holds `file` (see isWithin), if any does: the workspace folder around a project found in it. */
export function outermostWithin(dirs: readonly string[], file: string): string | undefined {
  let outermost: string | undefined;
  for (const dir of dirs) {
    if ((outermost === undefined || dir.length < outermost.length) && isWithin(dir, file)) {
      outermost = dir;
    }
  }
  return outermost;
}
