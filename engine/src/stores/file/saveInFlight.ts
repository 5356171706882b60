import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * How recently a temp file must have been written to count as a save under way: one older was
 * left by a process that died between writing and renaming it, and would block the session forever.
 */
const IN_FLIGHT_MS = 30_000;

/**
 * Whether another process is saving the session file `file` right now. Django's save writes
 * `<file>_out_XXXXXXXX` (tempfile.mkstemp) and then renames it over the file, so while such a
 * temp file exists a save is on its way and would land on whatever we rename there. `ownTemp` is
 * our own. Synchronous, so that the caller's compare and rename follow it without yielding.
 */
export function saveInFlight(file: string, ownTemp: string): boolean {
  const dir = path.dirname(file);
  const tempPrefix = `${path.basename(file)}_out_`;
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(tempPrefix) || name === path.basename(ownTemp)) {
      continue;
    }
    const stat = fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false });
    if (stat && Math.abs(now - stat.mtimeMs) < IN_FLIGHT_MS) {
      return true;
    }
  }
  return false;
}
