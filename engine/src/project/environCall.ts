import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import type { CallArgs } from './callArguments';
import { databaseFromUrl } from './databaseUrl';
import { environCacheConfig } from './environCacheUrl';
import { castEnvironValue } from './environCast';
import { defaultOfUnset, environmentValue } from './environmentValue';
import { followEnvironProxies } from './environProxy';
import { environsCall } from './environsEnv';
import { loadEnvFile } from './envFileLoads';
import type { EvaluationContext } from './evaluationContext';
import { raiseFrom } from './evaluationOutcomes';
import { type EnvironScheme, NONE, type SettingValue, stringOf, truthiness, unknown, unknownFrom } from './settingValue';

/** The `.env` beside the file being run, which django-environ's `read_env()` and django-dotenv's `read_dotenv()` load without a path. */
export function dotEnvBeside(ctx: EvaluationContext): SettingValue {
  return { kind: 'str', value: path.join(path.dirname(ctx.file), '.env') };
}

/** django-environ's `read_env(env_file=None, overwrite=False)`: without a path, the `.env` next to the calling file. */
export function readEnv(args: CallArgs, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  const file = args.positional[0] ?? args.keywords.get('env_file') ?? dotEnvBeside(ctx);
  const overwrite = truthiness(args.keywords.get('overwrite') ?? args.positional[1] ?? NONE) === true;
  loadEnvFile(file, overwrite, 'django-environ', ctx, here);
  return NONE;
}

/**
 * django-environ raises ImproperlyConfigured for a variable that is not set and has no default.
 * In a `try` that raise decides which clause runs (EthicalAds' `try: env.read_env(env("ENV_FILE"))
 * except ImproperlyConfigured: ...`), so there it is raised; elsewhere the variable is reported as needed.
 */
function environMissing(value: SettingValue, fallback: SettingValue | undefined, name: string, ctx: EvaluationContext): SettingValue {
  if (value.kind !== 'unknown' || fallback !== undefined || (ctx.tryDepth ?? 0) === 0 || ctx.env.has(name) || ctx.env.undecidedRead(name, false) !== undefined) {
    return value;
  }
  // An env file whose path cannot be told may set it (bigO's `env.read_env(DOTENV_FILE)`): whether it raises cannot be told either.
  const undecided = ctx.env.undecidedRead(name, true);
  if (undecided !== undefined) {
    return unknown(undecided, value.location);
  }
  const raised: SettingValue = { ...value, raises: 'ImproperlyConfigured' };
  raiseFrom(raised, ctx);
  return raised;
}

/** A django-environ cast argument by name: `int` → `int`, `[str]` → `list`; undefined when none is given. */
function castName(cast: SettingValue | undefined): string | undefined {
  if (cast?.kind === 'ref') {
    return cast.name.replace(/^builtins\./, '');
  }
  return cast?.kind === 'list' || cast?.kind === 'tuple' || cast?.kind === 'dict' ? cast.kind : undefined;
}

/** `environ.Env(NAME=(cast, default), …)`: the cast and default each variable is read with. */
export function environSchemes(args: CallArgs): Map<string, EnvironScheme> {
  const schemes = new Map<string, EnvironScheme>();
  for (const [name, scheme] of args.keywords) {
    const entry: EnvironScheme = { cast: castName(scheme.kind === 'tuple' ? scheme.items[0] : scheme) ?? 'str' };
    if (scheme.kind === 'tuple' && scheme.items[1]) {
      entry.default = scheme.items[1];
    }
    schemes.set(name, entry);
  }
  return schemes;
}

const ENVIRON_CASTS = new Set(['str', 'int', 'bool', 'float', 'list', 'tuple', 'json', 'url', 'path', 'db', 'db_url', 'cache', 'cache_url']);

/** The environ methods whose second parameter is a cast, as `Env.__call__(var, cast=None, default=NOTSET)`; the others take `(var, default=NOTSET)`. */
const CAST_FIRST = new Set(['__call__', 'list', 'tuple']);
/** The methods that parse their default as they parse the variable; the others return a default as given. */
const PARSES_DEFAULT = new Set(['path', 'db', 'db_url', 'cache', 'cache_url']);

/** django-environ: `env('X', cast, default)`, `env.str/int/bool/list('X', default)`, `env.db()`, `env.cache()` and `env.read_env()`. */
export function environCall(env: Extract<SettingValue, { kind: 'environ' }>, method: string, args: CallArgs, ctx: EvaluationContext, here: SourceLocation): SettingValue {
  if (typeof env.prefix === 'object' && method !== 'read_env') {
    return unknown(`the prefix of env is not known statically (${env.prefix.unknown}), so neither is the variable it reads`, here);
  }
  const prefix = typeof env.prefix === 'string' ? env.prefix : '';
  if (env.library === 'environs') {
    const result = environsCall(method, args, ctx, here, (name, fallback) => environmentValue(name, fallback, ctx, here), prefix);
    raiseFrom(result, ctx);
    return result;
  }
  if (method === 'read_env') {
    return readEnv(args, ctx, here);
  }
  if (method === 'email' || method === 'email_url') {
    return environEmailConfig(here);
  }
  if (method !== '__call__' && !ENVIRON_CASTS.has(method)) {
    return unknown(`cannot evaluate env.${method}() statically`, here);
  }
  const defaultVariable = method.startsWith('db') ? 'DATABASE_URL' : method.startsWith('cache') ? 'CACHE_URL' : undefined;
  const given = stringOf(args.positional[0] ?? args.keywords.get('var')) ?? defaultVariable;
  if (given === undefined) {
    return unknown(`cannot tell which environment variable ${method === '__call__' ? 'env()' : `env.${method}()`} reads`, here);
  }
  // django-environ reads (and looks the scheme up under) the prefixed name.
  const name = `${prefix}${given}`;
  const scheme = env.schemes.get(name);
  const castFirst = CAST_FIRST.has(method);
  const fallback = args.keywords.get('default') ?? args.positional[castFirst ? 2 : 1] ?? scheme?.default;
  const fromFile = env.fileAware ? secretFileValue(name, ctx, here) : undefined;
  if (fromFile?.kind === 'unknown') {
    raiseFrom(fromFile, ctx);
    return fromFile;
  }
  if (!fromFile && !ctx.env.has(name) && ctx.env.undecidedRead(name, true) === undefined && fallback !== undefined && !PARSES_DEFAULT.has(method)) {
    return defaultOfUnset(name, fallback);
  }
  const raw = fromFile ?? followEnvironProxies(environmentValue(name, fallback, ctx, here), (proxied) => environMissing(environmentValue(proxied, fallback, ctx, here), fallback, proxied, ctx));
  if (raw.kind !== 'str') {
    return environMissing(raw, fallback, name, ctx);
  }
  switch (method) {
    case 'path':
      return { kind: 'path', value: path.resolve(ctx.projectRoot, raw.value) };
    case 'db':
    case 'db_url':
      return databaseFromUrl(raw.value, raw.envVar);
    case 'cache':
    case 'cache_url': {
      // `cache_url(var, default, backend)`: a backend= replaces the scheme's.
      const backend = args.keywords.get('backend') ?? args.positional[2];
      if (backend !== undefined && backend.kind !== 'none' && stringOf(backend) === undefined) {
        return unknownFrom(backend, here);
      }
      return environCacheConfig(raw.value, stringOf(backend));
    }
    default: {
      // A plain env('X') casts as its cast argument, else as the Env(X=(cast, default)) scheme says, else as its default's type.
      const cast = method === '__call__' ? castName(args.keywords.get('cast') ?? args.positional[1]) ?? scheme?.cast : method;
      return castEnvironValue(raw, cast, fallback, ctx.projectRoot, here);
    }
  }
}

/**
 * `env.prefix = …` on a django-environ Env (or the prefix environs' `Env(prefix=…)` and
 * `with env.prefixed(…)` give): every later read of it puts that before the variable's name.
 */
export function setEnvironPrefix(env: Extract<SettingValue, { kind: 'environ' }>, value: SettingValue): void {
  env.prefix = value.kind === 'str' ? value.value : value.kind === 'none' ? '' : { unknown: value.kind === 'unknown' ? value.reason : `it is set to a ${value.kind}` };
}

/**
 * FileAwareEnv's read of `name` where `name_FILE` is set (not empty): the whole text of the file
 * it names, which wins over `name` itself; a file that cannot be read raises, as open() does.
 * Undefined where `name_FILE` is not set, so `name` is read as Env reads it.
 */
function secretFileValue(name: string, ctx: EvaluationContext, here: SourceLocation): SettingValue | undefined {
  const variable = `${name}_FILE`;
  const undecided = ctx.env.undecidedRead(variable, true);
  if (undecided !== undefined) {
    return unknown(undecided, here);
  }
  const file = ctx.env.get(variable);
  if (!file) {
    return undefined;
  }
  const absolute = path.resolve(ctx.projectRoot, file);
  ctx.envFiles.add(absolute);
  try {
    return { kind: 'str', value: fs.readFileSync(absolute, 'utf8'), envVar: name };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { kind: 'unknown', reason: `${variable} names ${absolute}, which FileAwareEnv cannot read (${code})`, location: here, raises: code === 'ENOENT' ? 'FileNotFoundError' : 'OSError' };
  }
}

/** The names django-environ's `email_url_config` may give, whatever the URL: its values are not read. */
const EMAIL_CONFIG_NAMES = ['EMAIL_FILE_PATH', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_BACKEND', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'OPTIONS'];

/** `env.email_url()`: a dict of the EMAIL_* settings, so `vars().update(…)` of it sets no other name. */
function environEmailConfig(here: SourceLocation): SettingValue {
  return { kind: 'dict', entries: new Map(EMAIL_CONFIG_NAMES.map((name) => [name, unknown('an email setting from env.email_url(), not read statically', here)])) };
}
