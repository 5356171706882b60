import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import { readDotEnvFile } from './dotEnv';
import type { EvaluationContext } from './evaluationContext';
import { type SettingValue, stringOf, unknown } from './settingValue';

/**
 * Where python-dotenv's `find_dotenv()` (and so `load_dotenv()` without a path) finds a
 * `.env`: in the directory of the calling file, else the nearest parent that has one.
 */
export function findDotEnv(fromFile: string): string | undefined {
  let dir = path.dirname(fromFile);
  for (;;) {
    const candidate = path.join(dir, '.env');
    if (fs.existsSync(candidate)) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}

/**
 * Merges the `.env` file a settings module loads (`read_env(path)`, `load_dotenv(path)`) into
 * the evaluation's environment, as python-dotenv and django-environ would. A relative path
 * resolves against the project root, where manage.py runs. Returns what `load_dotenv` does:
 * whether a file was read; a path that cannot be evaluated is a problem at the call.
 */
export function loadEnvFile(file: SettingValue, override: boolean, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const name = stringOf(file);
  if (name === undefined) {
    const reason = `cannot tell which .env file this loads${file.kind === 'unknown' ? ` (${file.reason})` : ''}`;
    ctx.problems.push({ message: reason, location: here });
    return unknown(reason, here);
  }
  const values = readDotEnvFile(path.resolve(ctx.projectRoot, name));
  if (values) {
    ctx.env.load(values, override);
  }
  return { kind: 'bool', value: values !== undefined };
}
