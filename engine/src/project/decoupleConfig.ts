import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import { configParserSection, type IniValue } from './configParserIni';
import { databaseFromUrl } from './databaseUrl';
import type { EvaluationContext } from './evaluationContext';
import type { EvaluationEnvironment } from './evaluationEnvironment';
import { pythonFloat, pythonInt, pythonStr } from './pythonNumbers';
import { type DecoupleSource, type SettingValue, stringOf, unknown, unknownFrom } from './settingValue';

/** What AutoConfig looks for in each directory, in this order. */
const CONFIG_FILES = ['settings.ini', '.env'];
const TRUE_VALUES = new Set(['y', 'yes', 't', 'true', 'on', '1']);
const FALSE_VALUES = new Set(['n', 'no', 'f', 'false', 'off', '0']);

type Repository = (name: string) => IniValue;

/**
 * The files python-decouple's `config`s read, per evaluation and per source (`''` for the
 * module's own `config`). Its AutoConfig looks once, from the directory of the file that first
 * calls it; a branch that may not run has an environment of its own, so what it finds there
 * does not stand for the rest.
 */
const repositories = new WeakMap<EvaluationEnvironment, Map<string, Repository>>();

/**
 * python-decouple's `config(option, default, cast)`: the environment first, then its
 * `settings.ini` (section `[settings]`) or `.env`, found from the settings file's directory
 * upwards (never `/` itself), then the project's `.env` as everywhere else, else the default;
 * `cast` applies to whichever it is, as decouple's does (`cast=bool` by its own true and false
 * words, '' being False).
 */
export function decoupleConfig(positional: SettingValue[], keywords: ReadonlyMap<string, SettingValue>, ctx: EvaluationContext, here: SourceLocation, source?: DecoupleSource): SettingValue {
  const option = positional[0] ?? keywords.get('option');
  const name = option && stringOf(option);
  if (name === undefined) {
    return option?.kind === 'unknown' ? option : unknown('cannot tell which setting config() reads', here);
  }
  const fallback = keywords.get('default') ?? positional[1];
  // decouple's own file stands before the project's .env, which is only guessed to be in the environment.
  const fromEnvironment = ctx.env.loaded(name);
  const fromFile = fromEnvironment === undefined ? repositoryOf(ctx, source)(name) : undefined;
  // The environment comes first, so a load that may or may not set the variable leaves config() undecided too.
  const undecided = ctx.env.undecidedRead(name, fallback !== undefined || (fromFile !== undefined && 'value' in fromFile));
  if (undecided !== undefined) {
    return unknown(undecided, here);
  }
  const found = fromEnvironment ?? (fromFile && 'value' in fromFile ? fromFile.value : ctx.env.get(name));
  let value: SettingValue;
  if (fromFile && 'error' in fromFile) {
    value = unknown(`${name}: ${fromFile.error}`, here);
  } else if (found !== undefined) {
    value = { kind: 'str', value: found, envVar: name };
  } else {
    value = fallback ?? unknown(`needs environment variable ${name}`, here);
  }
  const cast = keywords.get('cast') ?? positional[2];
  return cast && value.kind !== 'unknown' ? castValue(value, cast, here) : value;
}

function castValue(value: SettingValue, cast: SettingValue, here: SourceLocation): SettingValue {
  const castName = cast.kind === 'ref' ? cast.name : undefined;
  switch (castName) {
    case 'builtins.bool': {
      const text = pythonStr(value)?.toLowerCase();
      if (text === '' || (text !== undefined && (TRUE_VALUES.has(text) || FALSE_VALUES.has(text)))) {
        return { kind: 'bool', value: TRUE_VALUES.has(text) };
      }
      return unknown(text === undefined ? 'cannot cast this value to bool statically' : `python-decouple raises ValueError: Invalid truth value: ${text}`, here);
    }
    case 'builtins.int':
      return pythonInt(value, here);
    case 'builtins.float':
      return pythonFloat(value, here);
    case 'builtins.str': {
      const text = pythonStr(value);
      return text === undefined ? unknown('cannot cast this value to str statically', here) : { kind: 'str', value: text };
    }
    case 'decouple.Csv':
      // Csv() splits on commas as a shell would split on spaces: surrounding blanks go, empty items too.
      return value.kind === 'str'
        ? { kind: 'list', items: value.value.split(',').map((item) => item.trim()).filter((item) => item !== '').map((item) => ({ kind: 'str', value: item })) }
        : unknown('cannot apply Csv() to a value that is not a string statically', here);
    case 'dj_database_url.parse':
      return value.kind === 'str' ? databaseFromUrl(value.value, value.envVar) : unknown('cannot parse a database URL that is not a string', here);
    default:
      return cast.kind === 'unknown' ? cast : unknown(`cannot apply cast=${castName ?? 'this'} statically`, here);
  }
}

/**
 * `AutoConfig(search_path=…)`: a `config` that searches from that directory (or from the file
 * it names, as decouple's search starts by looking inside it), instead of the caller's.
 */
export function decoupleAutoConfig(positional: SettingValue[], keywords: ReadonlyMap<string, SettingValue>, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const searchPath = keywords.get('search_path') ?? positional[0];
  if (searchPath === undefined || searchPath.kind === 'none') {
    return { kind: 'ref', name: 'decouple.config' };
  }
  const start = stringOf(searchPath);
  // decouple takes os.path.abspath of it, from the directory manage.py runs in.
  return start === undefined ? unknownFrom(searchPath, here) : { kind: 'ref', name: 'decouple.config', decouple: { search: path.resolve(ctx.projectRoot, start) } };
}

/**
 * `RepositoryEnv(path)`, `RepositoryIni(path)` and `RepositoryEmpty()`: what a `Config` is made
 * over. The first two read their file at once, so a missing one fails the settings' import.
 */
export function decoupleRepository(name: string, positional: SettingValue[], keywords: ReadonlyMap<string, SettingValue>, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  if (name === 'decouple.RepositoryEmpty') {
    return { kind: 'ref', name, decouple: { none: true } };
  }
  const sourceValue = positional[0] ?? keywords.get('source');
  const file = stringOf(sourceValue);
  if (file === undefined) {
    return unknownFrom(sourceValue, here);
  }
  const absolute = path.resolve(ctx.projectRoot, file);
  ctx.envFiles.add(absolute);
  if (!isFile(absolute)) {
    return { kind: 'unknown', reason: `python-decouple's ${name.slice('decouple.'.length)} opens ${absolute}, which does not exist`, location: here, raises: 'FileNotFoundError' };
  }
  return { kind: 'ref', name, decouple: { file: absolute, format: name === 'decouple.RepositoryIni' ? 'ini' : 'env' } };
}

/** `Config(repository)`: a `config` reading that repository after the environment; `Config(os.environ)` reads the environment alone. */
export function decoupleConfigOver(repository: SettingValue | undefined, here: SourceLocation): SettingValue {
  if (repository?.kind === 'ref' && repository.decouple) {
    return { kind: 'ref', name: 'decouple.config', decouple: repository.decouple };
  }
  if (repository?.kind === 'ref' && repository.name === 'os.environ') {
    return { kind: 'ref', name: 'decouple.config', decouple: { none: true } };
  }
  return repository?.kind === 'unknown' ? repository : unknown('cannot tell which repository this python-decouple Config reads', here);
}

function repositoryOf(ctx: EvaluationContext, source: DecoupleSource | undefined): Repository {
  let bySource = repositories.get(ctx.env);
  if (!bySource) {
    bySource = new Map();
    repositories.set(ctx.env, bySource);
  }
  const key = source === undefined ? '' : JSON.stringify(source);
  let repository = bySource.get(key);
  if (!repository) {
    repository = sourceRepository(source, ctx);
    bySource.set(key, repository);
  }
  return repository;
}

function sourceRepository(source: DecoupleSource | undefined, ctx: EvaluationContext): Repository {
  if (source === undefined) {
    return findRepository(path.dirname(ctx.file), ctx.envFiles);
  }
  if ('search' in source) {
    return findRepository(source.search, ctx.envFiles);
  }
  return 'file' in source ? readRepository(source.file, source.format === 'ini' ? 'settings.ini' : '.env') : () => undefined;
}

/** AutoConfig's search; every place looked at goes into `lookedAt`, since creating a file there changes the settings. */
function findRepository(start: string, lookedAt: Set<string>): Repository {
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILES) {
      const file = path.join(dir, name);
      lookedAt.add(file);
      if (isFile(file)) {
        return readRepository(file, name);
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir || parent === path.parse(parent).root) {
      return () => undefined;
    }
  }
}

/** os.path.isfile: false also where a part of the path is a file (`AutoConfig(search_path=".../.env")` looks inside it first). */
function isFile(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

function readRepository(file: string, name: string): Repository {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return () => ({ error: `python-decouple cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
  }
  if (name === 'settings.ini') {
    return configParserSection(text, 'settings');
  }
  const values = decoupleEnvFile(text);
  return (key) => (values.has(key) ? { value: values.get(key)! } : undefined);
}

/** decouple's RepositoryEnv: `KEY=value` lines, both sides stripped, one pair of matching quotes removed; no `export`, no inline comments. */
function decoupleEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.trim();
    const equals = line.indexOf('=');
    if (line === '' || line.startsWith('#') || equals < 0) {
      continue;
    }
    const value = line.slice(equals + 1).trim();
    values.set(line.slice(0, equals).trim(), value.length >= 2 && /^(['"]).*\1$/s.test(value) ? value.slice(1, -1) : value);
  }
  return values;
}
