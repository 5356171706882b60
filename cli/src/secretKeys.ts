import type { ParsedArgs } from './args';
import { CliError, ExitCode } from './exitCodes';

/** The default variable that holds SECRET_KEY, as Django projects conventionally name it. */
export const DEFAULT_KEY_VARIABLE = 'DJANGO_SECRET_KEY';

/** Keys read from the environment, and the variables they came from (named in `stores`, the keys never are). */
export interface EnvironmentKeys {
  /** The key variable's value, when it is set. */
  key?: string;
  /** The fallbacks variable's keys; empty without one. */
  fallbacks: string[];
  /** The key variable's name. */
  variable: string;
  /** The fallbacks variable's name, when one is given. */
  fallbacksVariable?: string;
}

/**
 * `SECRET_KEY` and its fallbacks from the variables `--secret-key-env` (default DJANGO_SECRET_KEY)
 * and `--fallback-keys-env` name, so that keys never appear in shell history or process listings.
 * The fallbacks variable holds a JSON array of strings, or one key. A variable named explicitly
 * must be set: a typo would otherwise pass as "no key" and every signature as unverified.
 */
export function keysFromEnvironment(args: ParsedArgs, env: NodeJS.ProcessEnv): EnvironmentKeys {
  const named = args.flags.get('--secret-key-env');
  const fallbacksVar = args.flags.get('--fallback-keys-env');
  for (const variable of [named, fallbacksVar]) {
    if (typeof variable === 'string' && !env[variable]) {
      throw new CliError(ExitCode.usage, `${variable} is not set (or empty); export it, or name the variable that holds the key.`);
    }
  }
  const variable = typeof named === 'string' ? named : DEFAULT_KEY_VARIABLE;
  const fallbacksVariable = typeof fallbacksVar === 'string' ? fallbacksVar : undefined;
  return {
    ...(env[variable] ? { key: env[variable] } : {}),
    fallbacks: fallbacksVariable ? parseFallbacks(env[fallbacksVariable]!, fallbacksVariable) : [],
    variable,
    ...(fallbacksVariable ? { fallbacksVariable } : {}),
  };
}

/**
 * The keys to verify with: the current key (the variable's, else `keyFromSettings`, the
 * SECRET_KEY and fallbacks settings give) followed by the fallbacks variable's. Fallbacks
 * without any current key are refused: they only verify alongside it.
 */
export function keyList(keys: EnvironmentKeys, keyFromSettings?: readonly string[]): string[] {
  const current = keys.key !== undefined ? [keys.key] : (keyFromSettings ?? []);
  if (current.length === 0 && keys.fallbacks.length > 0) {
    throw new CliError(ExitCode.usage, `${keys.fallbacksVariable} is set but ${keys.variable} is not${keyFromSettings === undefined ? '' : ', and the settings give no SECRET_KEY'}; fallbacks only verify alongside the current SECRET_KEY.`);
  }
  return current.length === 0 ? [] : [...current, ...keys.fallbacks];
}

function parseFallbacks(text: string, name: string): string[] {
  if (!text.trimStart().startsWith('[')) {
    return [text];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((k) => typeof k === 'string')) {
    throw new CliError(ExitCode.usage, `${name} must be a JSON array of strings, or a single key.`);
  }
  return parsed;
}
