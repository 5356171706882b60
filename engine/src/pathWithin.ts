import * as path from 'node:path';

/** Whether `file` is `dir` or lies below it: by whole path segments, so `/proj2` is not inside `/proj`. */
export function isWithin(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  // `..cache/x` is a folder of that name below `dir`; only `..` itself, or `../…`, leaves it.
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}
