import type { ParsedArgs } from './args';
import { CliError, ExitCode } from './exitCodes';

/** The default variable that holds SECRET_KEY, as Django projects conventionally name it. */
export const DEFAULT_KEY_VARIABLE = 'DJANGO_SECRET_KEY';

/** Keys read from the environment, and the variable they came from (named in `stores`, the key never is). */
export interface EnvironmentKeys {
  values: string[];
  variable: string;
}

/**
 * `SECRET_KEY` and its fallbacks from the variables `--secret-key-env` (default DJANGO_SECRET_KEY)
 * and `--fallback-keys-env` name, so that keys never appear in shell history or process listings.
 * The fallbacks variable holds a JSON array of strings, or one key. A variable named explicitly
 * must be set: a typo would otherwise pass as "no key" and every signature as unverified.
 * Undefined when no key is set.
 */
export function keysFromEnvironment(args: ParsedArgs, env: NodeJS.ProcessEnv): EnvironmentKeys | undefined {
  const named = args.flags.get('--secret-key-env');
  const fallbacksVar = args.flags.get('--fallback-keys-env');
  for (const variable of [named, fallbacksVar]) {
    if (typeof variable === 'string' && !env[variable]) {
      throw new CliError(ExitCode.usage, `${variable} is not set (or empty); export it, or name the variable that holds the key.`);
    }
  }
  const keyVar = typeof named === 'string' ? named : DEFAULT_KEY_VARIABLE;
  const key = env[keyVar];
  const fallbacks = typeof fallbacksVar === 'string' ? env[fallbacksVar] : undefined;
  if (fallbacks && !key) {
    throw new CliError(ExitCode.usage, `${fallbacksVar} is set but ${keyVar} is not; fallbacks only verify alongside the current SECRET_KEY.`);
  }
  if (!key) {
    return undefined;
  }
  return { values: [key, ...(fallbacks ? parseFallbacks(fallbacks, fallbacksVar as string) : [])], variable: keyVar };
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
