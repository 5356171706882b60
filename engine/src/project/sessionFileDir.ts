import * as os from 'node:os';
import * as path from 'node:path';
import type { SettingsReader } from './settingsReader';
import { stringOf, truthiness } from './settingValue';

/**
 * The directory the file engine keeps sessions in, as Django's file backend picks it:
 * `SESSION_FILE_PATH or tempfile.gettempdir()`. Only a setting that is unset, None or empty
 * means the temporary directory. One that cannot be read statically gives no directory (and a
 * problem): Django would fail there, or use a directory only the running process knows, and
 * listing the temporary directory instead would show no sessions and delete none.
 */
export function sessionFileDir(reader: SettingsReader, projectRoot: string): string | undefined {
  const value = reader.value('SESSION_FILE_PATH');
  if (!value || truthiness(value) === false) {
    return os.tmpdir();
  }
  const dir = reader.expect('SESSION_FILE_PATH', value, 'a path or None', stringOf);
  return dir === undefined ? undefined : path.resolve(projectRoot, dir);
}
