import type { SourceLocation } from '../stores/storeDescriptor';
import { type ConfigParserState, configParserText } from './configParserValue';
import type { FunctionDefinition } from './functionCall';
import type { Binding } from './evaluationContext';
import type { EvaluationEnvironment } from './evaluationEnvironment';

/**
 * A Python value as far as static reading can tell. `unknown` carries why and where, so
 * callers report it instead of guessing.
 */
export type SettingValue =
  /**
   * `envVar` names the environment variable the string came from, so secrets can be referred to by name.
   * `defaultFor` names the one it stands in for: the default the settings give where it is not set.
   * `optionalInclude` marks django-split-settings' `optional(path)`, a str that `include()` may find no file for.
   */
  | { kind: 'str'; value: string; envVar?: string; defaultFor?: string; optionalInclude?: true }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  /** `unsetVar`: the default of an environment variable not set here (`env('SECRET_KEY', default=None)`). */
  | { kind: 'none'; unsetVar?: string }
  | { kind: 'list'; items: SettingValue[] }
  | { kind: 'tuple'; items: SettingValue[] }
  /** `emptyBecause` says why a dict a library gave is empty (dj_database_url.config() without its variable). */
  | { kind: 'dict'; entries: Map<string, SettingValue>; emptyBecause?: string }
  | { kind: 'path'; value: string }
  /**
   * A module, class or function known by its qualified name, e.g. `os.path.join`; a function
   * the project defines (`<local>.name`) carries its definition, so a call can be evaluated,
   * and a `configparser` parser what it has read. `environment`: on `os.environ`, a copy of it
   * (`env = os.environ.copy()`, Wagtail's bakerydemo), the environment as it was when copied,
   * which later loads and writes do not reach, nor writes to the copy the environment.
   */
  | { kind: 'ref'; name: string; definition?: FunctionDefinition; config?: ConfigParserState; decouple?: DecoupleSource; environment?: EvaluationEnvironment }
  /**
   * A module of the project bound by `import a.b as x` or `from . import b`: its attributes
   * are its module-level names. `file` is its `.py` or its package's `__init__.py` (which a
   * namespace package lacks), from which submodules are found.
   */
  | { kind: 'module'; file: string; namespace: ReadonlyMap<string, Binding> }
  /**
   * django-environ's `Env(NAME=(cast, default))` with its declared schemes, or with `library`
   * environs' (see environsCall); `fileAware`: django-environ's `FileAwareEnv`, which reads a
   * variable from the file its `NAME_FILE` names first. `prefix`: what `env.prefix = …` set,
   * which django-environ puts before every variable's name (a str, or why it is not known).
   */
  | { kind: 'environ'; schemes: Map<string, EnvironScheme>; library?: 'environs'; fileAware?: true; prefix?: string | { unknown: string } }
  /**
   * `unsetIsNone`: the value comes from a variable that is not set here, read as
   * `os.environ.get('X')`, which is None when it is unset; so `… or 'default'` gives the default,
   * as `os.environ.get('X', 'default')` does, while the variable itself is still reported.
   * `raises`: the value of a call to a project function that raises this exception for certain.
   * `includes`: strs a list or tuple holds whatever it is, e.g. INSTALLED_APPS after an
   * `append` under a condition that cannot be decided, or `[...] + get_core_apps()`.
   * `truthy`: its truth, where that is known though the value is not (`TEST or DEBUG` with DEBUG true).
   * `notNone`: it is no None for certain (a comparison's bool), so `is None` can be told.
   * `timedelta`: it is a `datetime.timedelta`, written as `text`, of `seconds` where they are known.
   */
  | { kind: 'unknown'; reason: string; location?: SourceLocation; unsetIsNone?: true; raises?: string; includes?: string[]; only?: string[]; truthy?: boolean; notNone?: true; timedelta?: { text: string; seconds?: number } };

/**
 * Where a python-decouple `config` reads, besides the environment: an `AutoConfig` searching
 * from a directory (`search`), or a `Config` over one repository file (`file`, read as a
 * `settings.ini` or a `.env`), or over none (`Config(os.environ)`, `RepositoryEmpty()`).
 */
export type DecoupleSource = { search: string } | { file: string; format: 'ini' | 'env' } | { none: true };

/** How django-environ casts one variable (`bool`, `int`, `float`, `list`, `str`) and its default. */
export interface EnvironScheme {
  cast: string;
  default?: SettingValue;
}

export const NONE: SettingValue = { kind: 'none' };

/** An unknown value. */
export function unknown(reason: string, location?: SourceLocation): SettingValue {
  // Reasons quote source (`for path in [...]`), and a message is one line.
  const oneLine = reason.replace(/\s*\n\s*/g, ' ');
  return location ? { kind: 'unknown', reason: oneLine, location } : { kind: 'unknown', reason: oneLine };
}

/**
 * Python truthiness, or undefined when the value is not known. A variable not set where the
 * settings are read, read without a default, is None there (see `unsetIsNone`): false.
 */
export function truthiness(value: SettingValue): boolean | undefined {
  if (value.kind === 'unknown' && value.unsetIsNone) {
    return false;
  }
  if (value.kind === 'unknown' && value.truthy !== undefined) {
    return value.truthy;
  }
  switch (value.kind) {
    case 'str':
    case 'path':
      return value.value.length > 0 || value.kind === 'path';
    case 'int':
    case 'float':
      return value.value !== 0;
    case 'bool':
      return value.value;
    case 'none':
      return false;
    case 'list':
    case 'tuple':
      return value.items.length > 0;
    case 'dict':
      return value.entries.size > 0;
    case 'ref':
    case 'module':
    case 'environ':
      return true;
    case 'unknown':
      return undefined;
  }
}

/** A plain JSON form of a value (paths as strings), for `scan --json` and display. */
export function settingValueToJson(value: SettingValue): unknown {
  switch (value.kind) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
    case 'path':
      return value.value;
    case 'none':
      return null;
    case 'list':
    case 'tuple':
      return value.items.map(settingValueToJson);
    case 'dict':
      return Object.fromEntries([...value.entries].map(([key, item]) => [key, settingValueToJson(item)]));
    case 'ref':
      return value.config ? `<${value.name} ${configParserText(value.config)}>` : `<${value.name}>`;
    case 'module':
      return `<module ${value.file}>`;
    case 'environ':
      return '<environ.Env>';
    case 'unknown':
      return { unresolved: value.reason };
  }
}

/** `type(value).__name__` of a known value, for messages; 'a value' where the value is not known. */
export function pythonTypeName(value: SettingValue): string {
  switch (value.kind) {
    case 'none':
      return 'NoneType';
    case 'path':
      return 'PosixPath';
    case 'ref':
      return value.config ? 'ConfigParser' : `<${value.name}>`;
    case 'environ':
      return 'Env';
    case 'unknown':
      return 'a value';
    default:
      return value.kind;
  }
}

/** The string a str or path value holds. */
export function stringOf(value: SettingValue | undefined): string | undefined {
  return value && (value.kind === 'str' || value.kind === 'path') ? value.value : undefined;
}

/**
 * The strs a list or tuple holds for certain: its known str items, or an unknown one's
 * `includes`; undefined for anything else (and for an unknown value without them).
 */
export function certainStrs(value: SettingValue | undefined): string[] | undefined {
  if (value?.kind === 'list' || value?.kind === 'tuple') {
    return value.items.flatMap((item) => (item.kind === 'str' ? [item.value] : []));
  }
  return value?.kind === 'unknown' ? value.includes : undefined;
}

/**
 * The strs an unknown list may hold at most (see `only`): one of several known lists of strs,
 * whichever way evaluation went; undefined when it may hold anything.
 */
export function possibleStrs(value: SettingValue | undefined): string[] | undefined {
  return value?.kind === 'unknown' ? value.only : strItems(value);
}

/** An unknown list or tuple that holds `strs` for certain (none: a plain unknown). */
export function unknownIncluding(value: Extract<SettingValue, { kind: 'unknown' }>, strs: readonly string[]): SettingValue {
  return strs.length > 0 ? { ...withoutOnly(value), includes: [...new Set(strs)] } : value;
}

/** The unknown without its `only`: what is made of it may hold more. */
export function withoutOnly(value: Extract<SettingValue, { kind: 'unknown' }>): Extract<SettingValue, { kind: 'unknown' }> {
  if (value.only === undefined) {
    return value;
  }
  const rest = { ...value };
  delete rest.only;
  return rest;
}

/** The strs of a list or tuple every item of which is a known str; undefined for anything else. */
export function strItems(value: SettingValue | undefined): string[] | undefined {
  if (value?.kind !== 'list' && value?.kind !== 'tuple') {
    return undefined;
  }
  const strings = value.items.map((item) => (item.kind === 'str' ? item.value : undefined));
  return strings.every((item) => item !== undefined) ? (strings as string[]) : undefined;
}

/** The operand's own unknown, which says why; else that the call cannot be evaluated. */
export function unknownFrom(value: SettingValue | undefined, here: SourceLocation): SettingValue {
  return value?.kind === 'unknown' ? value : unknown('cannot evaluate this call statically', here);
}
