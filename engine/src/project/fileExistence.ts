import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import type { EvaluationContext } from './evaluationContext';
import { type SettingValue, stringOf, unknown } from './settingValue';

/** What `Path.exists()` / `os.path.exists()` and their kin test. */
type FileTest = 'exists' | 'file' | 'dir';

/** The file tests settings make, by the qualified name of the function or the Path method. */
export const FILE_TESTS: ReadonlyMap<string, FileTest> = new Map([
  ['os.path.exists', 'exists'],
  ['os.path.isfile', 'file'],
  ['os.path.isdir', 'dir'],
  ['<path>.exists', 'exists'],
  ['<path>.is_file', 'file'],
  ['<path>.is_dir', 'dir'],
]);

/**
 * `ENV_FILE.exists()`, `os.path.isfile(path)` on a path known statically: looking at the
 * file system runs none of the project's code, and settings often load a file only if it is
 * there. A relative path is taken from the project root, where manage.py runs. The path goes
 * among the files the evaluation looked for, since creating it changes the settings.
 */
export function testFile(target: SettingValue | undefined, test: FileTest, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const name = stringOf(target);
  if (name === undefined) {
    return target?.kind === 'unknown' ? target : unknown('cannot tell which file this tests', here);
  }
  const file = path.resolve(ctx.projectRoot, name);
  ctx.envFiles.add(file);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    return unknown(`cannot tell whether ${file} exists (${(error as Error).message})`, here);
  }
  const found = test === 'exists' ? stat !== undefined : test === 'file' ? stat?.isFile() === true : stat?.isDirectory() === true;
  return { kind: 'bool', value: found };
}
