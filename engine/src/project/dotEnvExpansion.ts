import type { DotEnvEntries } from './dotEnv';

/** python-dotenv's `${NAME}` and `${NAME:-default}`. */
const POSIX_VARIABLE = /\$\{([^}:]*)(?::-([^}]*))?\}/g;

/**
 * python-dotenv's variable expansion, which `load_dotenv()` and `dotenv_values()` apply unless
 * given `interpolate=False`: in every value, quoted or not, `${NAME}` becomes the environment's
 * or the value the file assigned it last before this line (the environment first, unless
 * `override`), and `${NAME:-default}` the default when neither has it; an unknown name without
 * one is '', and so is a name the file wrote without a value, default or not. A later
 * assignment of a name wins; a name without a value stays without one. django-environ's
 * `read_env()` expands nothing, so its files are not passed here.
 */
export function expandDotEnvVariables(entries: DotEnvEntries, environment: (name: string) => string | undefined, override: boolean): Map<string, string | undefined> {
  const expanded = new Map<string, string | undefined>();
  const fromFile = (variable: string) => (expanded.has(variable) ? (expanded.get(variable) ?? '') : undefined);
  for (const [name, value] of entries) {
    const lookup = (variable: string) => (override ? fromFile(variable) ?? environment(variable) : environment(variable) ?? fromFile(variable));
    expanded.set(name, value?.replace(POSIX_VARIABLE, (_match, variable: string, fallback: string | undefined) => lookup(variable) ?? fallback ?? ''));
  }
  return expanded;
}
