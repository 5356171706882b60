import type { ParsedArgs } from './args';
import { CliError, ExitCode } from './exitCodes';

/** What one command accepts: at most how many positionals (fewer is reported by the command, naming what is missing), and which flags. */
interface CommandSpec {
  positionals: number;
  flags: readonly string[];
  /** The global options it uses, when not all of them (the store commands use all). */
  globals?: readonly ('--project' | '--settings' | '--store')[];
}

/** The codec commands open no store: their keys come from the environment, or from the settings of a project named. */
const CODEC_GLOBALS: readonly ('--project' | '--settings' | '--store')[] = ['--project', '--settings'];
/** scan and lint read a directory's code and settings, and open no store. */
const ANALYSIS: readonly ('--project' | '--settings' | '--store')[] = ['--project', '--settings'];

const FILTERS = ['--active', '--expired', '--user', '--has-key', '--grep'];
const KEYS = ['--secret-key-env', '--fallback-keys-env'];
const CODEC = [...KEYS, '--salt', '--serializer', '--django-version', '--algorithm'];

/**
 * Every command and what it takes, so that a misspelt flag or a stray argument is refused
 * instead of silently ignored (`flush KEY --dry-run` must not delete). Store commands also take
 * the key variables, which fill in SECRET_KEY for the stores.
 */
const SPECS: Record<string, CommandSpec> = {
  stores: { positionals: 0, flags: KEYS },
  list: { positionals: 0, flags: [...KEYS, '--limit', '--cursor', '--show-keys', '--cache-drift', '--watch', ...FILTERS] },
  count: { positionals: 0, flags: [...KEYS, ...FILTERS] },
  show: { positionals: 1, flags: KEYS },
  get: { positionals: 2, flags: KEYS },
  set: { positionals: 3, flags: [...KEYS, '--yes'] },
  'delete-key': { positionals: 2, flags: [...KEYS, '--yes'] },
  clear: { positionals: 1, flags: [...KEYS, '--yes'] },
  flush: { positionals: 1, flags: [...KEYS, '--yes'] },
  expire: { positionals: 1, flags: [...KEYS, '--in', '--at', '--at-browser-close', '--default', '--now', '--yes'] },
  'cycle-key': { positionals: 1, flags: [...KEYS, '--yes', '--show-keys'] },
  'clear-expired': { positionals: 0, flags: [...KEYS, '--dry-run', '--yes'] },
  'logout-user': { positionals: 1, flags: [...KEYS, '--dry-run', '--yes'] },
  decode: { positionals: 1, flags: CODEC, globals: CODEC_GLOBALS },
  encode: { positionals: 1, flags: [...CODEC, '--legacy'], globals: CODEC_GLOBALS },
  'decode-cookie': { positionals: 1, flags: [...CODEC, '--max-age'], globals: CODEC_GLOBALS },
  'sign-cookie': { positionals: 1, flags: CODEC, globals: CODEC_GLOBALS },
  // DIR may instead come from --project; lint also takes Python files, as a pre-commit hook passes them.
  scan: { positionals: 1, flags: [], globals: ANALYSIS },
  lint: { positionals: Infinity, flags: ['--format'], globals: ANALYSIS },
};

/** The global options `command` takes, as its usage line lists them: all of them for a store command. */
export function commandGlobals(command: string): readonly string[] {
  return SPECS[command]?.globals ?? ['--project', '--settings', '--store'];
}

/** Flags that take a value, whichever command they belong to. */
export const FLAGS_WITH_VALUE: ReadonlySet<string> = new Set([
  '--limit', '--cursor', '--user', '--has-key', '--grep', '--in', '--at',
  '--salt', '--serializer', '--secret-key-env', '--fallback-keys-env', '--max-age', '--algorithm', '--django-version', '--format',
]);

/**
 * Refuses (exit 2, one line naming the command) an unknown command, a flag the command does not
 * take, a secret given as an argument, or the wrong number of arguments.
 */
export function checkCommandLine(args: ParsedArgs & { command: string }): void {
  const spec = SPECS[args.command];
  if (!spec && /^-[^-]/.test(args.command)) {
    // `-V` or `-v` for the version: a dash word stands where the command goes, but was meant as an option.
    throw new CliError(ExitCode.usage, `Unknown option "${args.command}": the options are -h (--help), --version and the -- words django-sessions --help lists.`);
  }
  if (!spec) {
    throw new CliError(ExitCode.usage, `Unknown command "${args.command}". Run django-sessions --help for the list.`);
  }
  for (const flag of args.flags.keys()) {
    if (flag === '--secret-key' || flag === '--fallback-keys') {
      // Arguments show up in shell history and process listings.
      throw new CliError(ExitCode.usage, `${flag} is not accepted: keys never go on the command line. Set DJANGO_SECRET_KEY, or name the variable that holds the key with --secret-key-env NAME.`);
    }
    if (!spec.flags.includes(flag)) {
      throw new CliError(ExitCode.usage, `${args.command} does not take ${flag}. Run django-sessions ${args.command} --help for its options.`);
    }
    // `--yes=no` must not pass for --yes.
    if (typeof args.flags.get(flag) === 'string' && !FLAGS_WITH_VALUE.has(flag)) {
      throw new CliError(ExitCode.usage, `${flag} takes no value; give ${flag} alone, or leave it out.`);
    }
  }
  const given = [args.project !== undefined ? '--project' : '', args.settings !== undefined ? '--settings' : '', args.stores.length > 0 ? '--store' : ''].filter(Boolean);
  const unused = spec.globals ? given.filter((option) => !spec.globals!.includes(option as '--store')) : [];
  if (unused.length > 0) {
    const why = spec.globals === CODEC_GLOBALS ? 'it opens no store; keys come from DJANGO_SECRET_KEY, --secret-key-env, or the settings of --project or --settings' : 'it reads code and settings, not a store';
    throw new CliError(ExitCode.usage, `${args.command} does not take ${unused.join(' or ')}: ${why}.`);
  }
  const max = spec.positionals;
  if (args.positionals.length > max) {
    const extra = args.positionals.slice(max).map((p) => JSON.stringify(p)).join(' ');
    throw new CliError(ExitCode.usage, `${args.command} takes ${max === 0 ? 'no arguments' : `at most ${max} argument${max === 1 ? '' : 's'}`}; unexpected ${extra}. Run django-sessions ${args.command} --help for the syntax.`);
  }
}
