import { CliError, ExitCode } from './exitCodes';

/**
 * `SECRET_KEY` and its fallbacks for the codec commands, read from environment variables so that
 * keys never appear in shell history or process listings. The fallbacks variable holds a JSON
 * array of strings, or one key.
 */
export function secretKeysFromEnv(env: NodeJS.ProcessEnv, keyVar: string, fallbacksVar: string | undefined): string[] {
  const keys: string[] = [];
  const key = env[keyVar];
  if (key) {
    keys.push(key);
  }
  const fallbacks = fallbacksVar ? env[fallbacksVar] : undefined;
  if (fallbacks) {
    if (!key) {
      throw new CliError(ExitCode.usage, `${fallbacksVar} is set but ${keyVar} is not; fallbacks only verify alongside the current SECRET_KEY.`);
    }
    keys.push(...parseFallbacks(fallbacks, fallbacksVar!));
  }
  return keys;
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
