import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import { dotEnvEntries, loadedDotEnvValues, notUtf8EnvFile, openDotEnvFile } from './dotEnv';
import { expandDotEnvVariables } from './dotEnvExpansion';
import { parseEnvironEnvFile } from './environEnvFile';
import type { EvaluationContext } from './evaluationContext';
import { type SettingValue, stringOf, truthiness, unknown } from './settingValue';

/** The arguments of python-dotenv's `find_dotenv(filename='.env', raise_error_if_not_found=False, usecwd=False)`, as evaluated. */
interface FindDotEnvArgs {
  filename?: SettingValue;
  raiseErrorIfNotFound?: SettingValue;
  usecwd?: SettingValue;
}

/**
 * What python-dotenv's `find_dotenv()` returns (and so which file `load_dotenv()` without a
 * path loads): `filename` in the first directory that has it as a file, going up from the
 * calling file's directory, or with `usecwd` from the working directory (the project root,
 * where manage.py runs); '' when none has it. Unknown when an argument cannot be evaluated,
 * or when the call raises IOError (`raise_error_if_not_found` and no file).
 */
export function findDotEnv(args: FindDotEnvArgs, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const filename = args.filename ? stringOf(args.filename) : '.env';
  const usecwd = args.usecwd ? truthiness(args.usecwd) : false;
  if (filename === undefined || usecwd === undefined) {
    const what = filename === undefined ? 'which file find_dotenv() looks for' : 'where find_dotenv() starts to look (usecwd)';
    return unknownBecause(filename === undefined ? args.filename : args.usecwd, `cannot tell ${what}`, here);
  }
  const found = findUpwards(usecwd ? ctx.projectRoot : path.dirname(ctx.file), filename, ctx.envFiles);
  if (found !== undefined) {
    return { kind: 'str', value: found };
  }
  const raises = args.raiseErrorIfNotFound ? truthiness(args.raiseErrorIfNotFound) : false;
  if (raises === false) {
    return { kind: 'str', value: '' };
  }
  return unknown(raises ? `find_dotenv() raises IOError: no ${filename} is found` : `cannot tell whether find_dotenv() raises when no ${filename} is found`, here);
}

/**
 * `os.path.join(dir, name)` for the first of `dir` and its parents where that is a file. Each
 * place looked at goes into `lookedAt`: creating the file in a nearer one changes what is found.
 */
function findUpwards(start: string, name: string, lookedAt: Set<string>): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.resolve(dir, name);
    lookedAt.add(candidate);
    if (isFile(candidate)) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function unknownBecause(value: SettingValue | undefined, reason: string, here: SourceLocation): SettingValue {
  return unknown(value?.kind === 'unknown' ? `${reason} (${value.reason})` : reason, here);
}

/**
 * How the library that loads a `.env` reads it: python-dotenv's syntax with its `${NAME}`
 * expansion (`load_dotenv()`, environs' `read_env()`) or without it (`interpolate=False`,
 * django-dotenv's `read_dotenv()`), or django-environ's `read_env()` lines, which expand nothing.
 */
type EnvFileSyntax = 'dotenv-expanded' | 'dotenv' | 'django-environ';

/**
 * Merges the `.env` file a settings module loads (`read_env(path)`, `load_dotenv(path)`) into
 * the evaluation's environment, read in the `syntax` of the library loading it. A relative path
 * resolves against the project root, where manage.py runs. Returns what `load_dotenv` does:
 * whether a file was read; a path that cannot be evaluated is a problem at the call.
 */
export function loadEnvFile(file: SettingValue, override: boolean, syntax: EnvFileSyntax, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const name = stringOf(file);
  const at = `${path.relative(ctx.projectRoot, here.file)}:${here.line}`;
  if (name === undefined) {
    const cause = file.kind === 'unknown' ? ` (${file.reason})` : '';
    ctx.problems.push({ message: `cannot tell which .env file this loads${cause}`, location: here });
    // Whatever it loads may change any variable read after it.
    ctx.env.loadUnknown(`the env file loaded at ${at}, which cannot be told statically${cause}`, override);
    return unknown(`cannot tell which .env file this loads${cause}`, here);
  }
  const envFile = path.resolve(ctx.projectRoot, name);
  // Recorded even when missing: creating the file changes the settings.
  ctx.envFiles.add(envFile);
  ctx.envFilesLoaded.add(envFile);
  const opened = openDotEnvFile(envFile, syntax === 'django-environ' ? (text) => [...parseEnvironEnvFile(text)] : dotEnvEntries);
  if (opened === 'not-utf8') {
    const undecodable = notUtf8EnvFile(path.relative(ctx.projectRoot, envFile));
    ctx.problems.push({ message: undecodable, location: here });
    ctx.env.loadUnknown(`${path.relative(ctx.projectRoot, envFile)}, loaded at ${at}, which is not UTF-8 (loading it raises UnicodeDecodeError)`, override);
    return unknown(undecodable, here);
  }
  const entries = opened === 'unreadable' ? undefined : opened;
  if (entries) {
    const by = { file: path.relative(ctx.projectRoot, envFile), at, location: here };
    ctx.env.load(loadedDotEnvValues(syntax === 'dotenv-expanded' ? expandDotEnvVariables(entries, (name) => ctx.env.get(name), override) : new Map(entries)), override, by);
  }
  return { kind: 'bool', value: entries !== undefined };
}
