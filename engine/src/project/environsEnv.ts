import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import { databaseFromUrl } from './databaseUrl';
import { environCacheConfig } from './environCacheUrl';
import { findDotEnv, loadEnvFile } from './envFileLoads';
import type { EvaluationContext } from './evaluationContext';
import { pythonFloat, pythonInt } from './pythonNumbers';
import { NONE, type SettingValue, stringOf, truthiness, unknown } from './settingValue';
import type { CallArgs } from './callArguments';

/** marshmallow's Boolean, which environs' `env.bool()` deserializes with; any other text raises. */
const TRUTHY = new Set(['t', 'true', 'on', 'y', 'yes', '1']);
const FALSY = new Set(['f', 'false', 'off', 'n', 'no', '0']);

/**
 * environs' `Env` (BookWyrm): `env("X", default)`, `env.str/int/bool/float/list/path/url/json(…)`,
 * `env.dj_db_url()` and `env.dj_cache_url()`, and `env.read_env()`, which loads the `.env` found
 * going up from the settings' directory, as python-dotenv's `find_dotenv()` does. A variable that
 * is not set and has no default raises environs' EnvError where the settings run; a default is
 * deserialized as the variable would be.
 */
export function environsCall(method: string, args: CallArgs, ctx: EvaluationContext, here: SourceLocation, read: (name: string, fallback: SettingValue | undefined) => SettingValue, prefix = ''): SettingValue {
  if (method === 'read_env') {
    const file = args.positional[0] ?? args.keywords.get('path');
    const override = truthiness(args.keywords.get('override') ?? args.positional[3] ?? NONE) === true;
    const found = file === undefined || file.kind === 'none' ? findDotEnv({}, ctx, here) : file;
    if (stringOf(found) !== '') {
      loadEnvFile(found, override, 'dotenv-expanded', ctx, here);
    }
    return NONE;
  }
  const given = stringOf(args.positional[0] ?? args.keywords.get('name'));
  if (given === undefined) {
    return unknown(`cannot tell which environment variable env.${method}() reads`, here);
  }
  const name = `${prefix}${given}`;
  const fallback = args.positional[1] ?? args.keywords.get('default');
  const raw = read(name, fallback);
  // As for django-environ (see environMissing): raised where a `try` decides what runs, else reported as needed.
  if (raw.kind === 'unknown' && fallback === undefined && (ctx.tryDepth ?? 0) > 0 && !ctx.env.has(name) && ctx.env.undecidedRead(name, false) === undefined) {
    return { kind: 'unknown', reason: `environs raises EnvError: environment variable ${name} is not set and has no default`, location: here, raises: 'EnvError' };
  }
  return raw.kind === 'str' ? deserialize(method === '__call__' ? 'str' : method, raw, args, here) : raw;
}

function deserialize(method: string, raw: Extract<SettingValue, { kind: 'str' }>, args: CallArgs, here: SourceLocation): SettingValue {
  const invalid = (what: string): SettingValue => ({ kind: 'unknown', reason: `environs raises EnvError: ${JSON.stringify(raw.value)} is not a valid ${what}`, location: here, raises: 'EnvError' });
  switch (method) {
    case 'str':
    case 'url':
      return raw;
    case 'int':
    case 'float': {
      const number = method === 'int' ? pythonInt(raw, here) : pythonFloat(raw, here);
      return number.kind === method ? number : invalid(method === 'int' ? 'integer' : 'number');
    }
    case 'bool': {
      const text = raw.value.toLowerCase();
      return TRUTHY.has(text) ? { kind: 'bool', value: true } : FALSY.has(text) ? { kind: 'bool', value: false } : invalid('boolean');
    }
    case 'list': {
      const delimiter = stringOf(args.keywords.get('delimiter')) ?? ',';
      return { kind: 'list', items: raw.value === '' ? [] : raw.value.split(delimiter).map((item): SettingValue => ({ kind: 'str', value: item })) };
    }
    case 'path':
      return { kind: 'path', value: path.normalize(raw.value) };
    case 'dj_db_url':
      return databaseFromUrl(raw.value, raw.envVar);
    case 'dj_cache_url':
      return environCacheConfig(raw.value, undefined);
    default:
      return unknown(`cannot evaluate env.${method}() (environs) statically`, here);
  }
}
