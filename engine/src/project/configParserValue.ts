import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import { interpolate, parseIni } from './configParserIni';
import type { EvaluationContext } from './evaluationContext';
import { pythonStr } from './pythonNumbers';
import { type SettingValue, stringOf, unknown } from './settingValue';
import type { CallArgs } from './callArguments';

/** What a `configparser` parser the settings made holds: the options of the files it read. */
export interface ConfigParserState {
  /** RawConfigParser reads values as written; ConfigParser interpolates `%(name)s`. */
  raw: boolean;
  sections: Map<string, Map<string, string>>;
  defaults: Map<string, string>;
  /** Why what it holds cannot be told (a file whose path is unknown, one it refuses): every lookup is unknown. */
  unknown?: string;
  /** Options whose value cannot be told (read_dict() of a value static reading cannot give), by `section\0option`: why. */
  unknownOptions?: Map<string, string>;
}

const PARSERS = new Map([
  ['configparser.ConfigParser', false],
  ['configparser.SafeConfigParser', false],
  ['configparser.RawConfigParser', true],
]);

const BOOLEANS = new Map([
  ['1', true], ['yes', true], ['true', true], ['on', true],
  ['0', false], ['no', false], ['false', false], ['off', false],
]);

/** The name of a `configparser` parser's method bound to it, before the method's own name. */
export const PARSER_METHOD = '<configparser>.';

/** A new parser for `configparser.ConfigParser()` and its kin, or undefined for another call. */
export function newConfigParser(callee: string): SettingValue | undefined {
  const raw = PARSERS.get(callee);
  return raw === undefined ? undefined : { kind: 'ref', name: callee, config: { raw, sections: new Map(), defaults: new Map() } };
}

/** A copy for a branch that may not run: what it reads must not show in the others. */
export function cloneConfigParser(state: ConfigParserState): ConfigParserState {
  return { ...state, sections: new Map([...state.sections].map(([name, options]) => [name, new Map(options)])), defaults: new Map(state.defaults), unknownOptions: new Map(state.unknownOptions) };
}

/** What a parser holds, for telling two ways evaluation went apart. */
export function configParserText(state: ConfigParserState): string {
  return JSON.stringify([state.unknown ?? null, [...state.defaults], [...state.sections].map(([name, options]) => [name, [...options]]), [...(state.unknownOptions ?? [])]]);
}

/**
 * A method of a parser the settings made, as zulip's and pretix's settings use them: `read()`
 * of files that exist where the settings are read (others are skipped, as ConfigParser skips
 * them; creating one changes the settings, so each is watched), `read_string()`, `sections()`,
 * `has_section()`, `has_option()`, `get()` and its `getint`/`getfloat`/`getboolean` kin with
 * `fallback=`. Undefined for another method.
 */
export function configParserMethod(state: ConfigParserState, method: string, args: CallArgs, ctx: EvaluationContext, here: SourceLocation): SettingValue | undefined {
  switch (method) {
    case 'read':
      return read(state, args.positional[0], ctx, here);
    case 'read_string': {
      const text = stringOf(args.positional[0]);
      if (text === undefined) {
        state.unknown = 'it read a text that cannot be told statically';
      } else {
        merge(state, text, 'a string');
      }
      return { kind: 'none' };
    }
    case 'read_dict':
      readDict(state, args.positional[0]);
      return { kind: 'none' };
    case 'read_file':
    case 'readfp':
      state.unknown = `it read a file object (${method}()), which static reading does not follow`;
      return { kind: 'none' };
    case 'sections':
      return state.unknown ? unknown(`what the parser holds cannot be told: ${state.unknown}`, here) : { kind: 'list', items: [...state.sections.keys()].map((name) => ({ kind: 'str', value: name })) };
    case 'has_section':
    case 'has_option':
      return lookUp(state, method, args, here);
    case 'get':
    case 'getint':
    case 'getfloat':
    case 'getboolean':
      return typed(method, lookUp(state, method, args, here), here);
    default:
      return undefined;
  }
}

function read(state: ConfigParserState, files: SettingValue | undefined, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const paths = files?.kind === 'list' || files?.kind === 'tuple' ? files.items : files ? [files] : [];
  const found: SettingValue[] = [];
  for (const file of paths) {
    const name = stringOf(file);
    if (name === undefined) {
      state.unknown = `it read a file whose path cannot be told statically${file.kind === 'unknown' ? ` (${file.reason})` : ''}`;
      continue;
    }
    const absolute = path.resolve(ctx.projectRoot, name);
    ctx.envFiles.add(absolute);
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch {
      continue;
    }
    merge(state, text, absolute);
    found.push({ kind: 'str', value: name });
  }
  return state.unknown ? unknown(`cannot tell statically which files it read: ${state.unknown}`, here) : { kind: 'list', items: found };
}

/**
 * `read_dict({section: {option: value}})` (pretalx's defaults layer): options lowercased as
 * `optionxform` does, values as `str()` gives them; 'DEFAULT' holds the defaults.
 */
function readDict(state: ConfigParserState, dict: SettingValue | undefined): void {
  if (dict?.kind !== 'dict') {
    state.unknown = `it read a dict that cannot be told statically${dict?.kind === 'unknown' ? ` (${dict.reason})` : ''}`;
    return;
  }
  for (const [section, options] of dict.entries) {
    if (options.kind !== 'dict') {
      state.unknown = `it read a dict whose section '${section}' cannot be told statically${options.kind === 'unknown' ? ` (${options.reason})` : ''}`;
      return;
    }
    const into = section === 'DEFAULT' ? state.defaults : state.sections.get(section) ?? new Map<string, string>();
    for (const [name, value] of options.entries) {
      const option = name.toLowerCase();
      // read_dict() converts with str(), but keeps None as no value, which static reading leaves unknown.
      const text = value.kind === 'none' ? undefined : pythonStr(value);
      // An option whose value cannot be told is there, unknown; the others stay known (pretalx's debug default from sys.argv).
      into.set(option, text ?? '');
      if (text === undefined) {
        (state.unknownOptions ??= new Map()).set(`${section}\0${option}`, value.kind === 'unknown' ? value.reason : `its value is no str, int, float or bool`);
      } else {
        state.unknownOptions?.delete(`${section}\0${option}`);
      }
    }
    if (section !== 'DEFAULT') {
      state.sections.set(section, into);
    }
  }
}

function merge(state: ConfigParserState, text: string, source: string): void {
  const parsed = parseIni(text);
  if ('error' in parsed) {
    state.unknown = `${source}: ${parsed.error}`;
    return;
  }
  parsed.defaults.forEach((value, name) => {
    state.defaults.set(name, value);
    state.unknownOptions?.delete(`DEFAULT\0${name}`);
  });
  parsed.sections.forEach((options, section) => {
    const into = state.sections.get(section) ?? new Map<string, string>();
    options.forEach((value, name) => {
      into.set(name, value);
      state.unknownOptions?.delete(`${section}\0${name}`);
    });
    state.sections.set(section, into);
  });
}

/** `has_section`, `has_option`, or the raw text of `get(section, option, fallback=…)`. */
function lookUp(state: ConfigParserState, method: string, args: CallArgs, here: SourceLocation): SettingValue {
  const section = stringOf(args.positional[0]);
  const option = stringOf(args.positional[1])?.toLowerCase();
  const blocked = args.positional.slice(0, method === 'has_section' ? 1 : 2).find((arg) => arg.kind === 'unknown');
  if (blocked) {
    return blocked;
  }
  if (state.unknown) {
    return unknown(`what the parser holds cannot be told: ${state.unknown}`, here);
  }
  if (section === undefined || (method !== 'has_section' && option === undefined)) {
    return unknown(`cannot evaluate ${method}() statically`, here);
  }
  const options = state.sections.get(section);
  if (method === 'has_section') {
    return { kind: 'bool', value: options !== undefined };
  }
  const values = section === 'DEFAULT' ? state.defaults : options && new Map([...state.defaults, ...options]);
  if (method === 'has_option') {
    return { kind: 'bool', value: values?.has(option!) ?? false };
  }
  const rawValue = values?.get(option!);
  const unknownOption = state.unknownOptions?.get(`${section}\0${option}`) ?? (options?.has(option!) ? undefined : state.unknownOptions?.get(`DEFAULT\0${option}`));
  if (rawValue !== undefined && unknownOption !== undefined) {
    return unknown(`the parser's [${section}] ${option} cannot be told: ${unknownOption}`, here);
  }
  if (rawValue === undefined) {
    const fallback = args.keywords.get('fallback');
    const error = values ? 'NoOptionError' : 'NoSectionError';
    return fallback ?? { kind: 'unknown', reason: `configparser raises ${error}: no ${values ? `option '${option}' in ` : ''}section '${section}'`, location: here, raises: error };
  }
  const read = state.raw || args.keywords.get('raw')?.kind === 'bool' ? { value: rawValue } : interpolate(rawValue, values!, 0);
  if (!read || 'error' in read) {
    return unknown(read ? read.error : 'cannot interpolate the value', here);
  }
  return { kind: 'str', value: read.value };
}

/** `getint`, `getfloat` and `getboolean` convert what `get` gives; a fallback is returned as given. */
function typed(method: string, value: SettingValue, here: SourceLocation): SettingValue {
  if (value.kind !== 'str' || method === 'get') {
    return value;
  }
  const text = value.value.trim();
  if (method === 'getboolean') {
    const truth = BOOLEANS.get(text.toLowerCase());
    return truth === undefined ? unknown(`configparser raises ValueError: Not a boolean: ${text}`, here) : { kind: 'bool', value: truth };
  }
  const number = Number(text);
  const valid = text !== '' && Number.isFinite(number) && (method === 'getfloat' || /^[+-]?\d+$/.test(text));
  return valid ? { kind: method === 'getint' ? 'int' : 'float', value: number } : unknown(`configparser raises ValueError: invalid literal for ${method === 'getint' ? 'int' : 'float'}(): '${text}'`, here);
}
