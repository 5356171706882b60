import { CliError, ExitCode } from './exitCodes';

/** Parsed command line: global options, the command, its positional arguments and flags. */
export interface ParsedArgs {
  project?: string;
  settings?: string;
  stores: string[];
  json: boolean;
  command?: string;
  positionals: string[];
  flags: Map<string, string | true>;
}

const GLOBAL_WITH_VALUE = new Set(['--project', '--settings', '--store']);

/**
 * Parses `django-sessions [globals] COMMAND [args]`. Global options may appear anywhere; any
 * other `--flag` belongs to the command, and takes a value when it is in `flagsWithValue`.
 * Whether the command accepts it is checked later (commandSpecs). Every flag is a `--` word
 * (plus `-h` for help), so any other `-word` is an argument: `set KEY n -Infinity`, a key
 * named `-x`. After `--` everything is an argument.
 */
export function parseArgs(argv: string[], flagsWithValue: ReadonlySet<string>): ParsedArgs {
  const parsed: ParsedArgs = { stores: [], json: false, positionals: [], flags: new Map() };
  let options = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!options) {
      addArgument(parsed, arg);
      continue;
    }
    if (arg === '--') {
      options = false;
      continue;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const takeValue = (): string => {
      if (inline !== undefined) {
        return inline;
      }
      const value = argv[++i];
      if (value === undefined) {
        throw new CliError(ExitCode.usage, `${name} needs a value.`);
      }
      // `--user --active` is a missing value, not a user named "--active".
      if (/^--[a-z]/.test(value)) {
        throw new CliError(ExitCode.usage, `${name} needs a value before ${value}; for a value that starts with --, write ${name}=VALUE.`);
      }
      return value;
    };
    const noValue = (): true => {
      if (inline !== undefined) {
        throw new CliError(ExitCode.usage, `${name} takes no value; give ${name} alone, or leave it out.`);
      }
      return true;
    };
    if (GLOBAL_WITH_VALUE.has(name)) {
      const value = takeValue();
      // One project and one settings module per run: a second would silently replace the first.
      if ((name === '--project' && parsed.project !== undefined) || (name === '--settings' && parsed.settings !== undefined)) {
        throw new CliError(ExitCode.usage, `${name} is given twice; give one (to act on several projects, run once per project).`);
      }
      if (name === '--project') parsed.project = value;
      else if (name === '--settings') parsed.settings = value;
      else parsed.stores.push(value);
    } else if (name === '--json') {
      parsed.json = noValue();
    } else if (name === '-h') {
      parsed.flags.set('--help', true);
    } else if (name.startsWith('--')) {
      // A value on a flag that takes none is kept as given: checkCommandLine refuses it, after
      // telling a misspelt flag (`--limt=5`) from a switch given a value (`--yes=no`).
      parsed.flags.set(name, flagsWithValue.has(name) ? takeValue() : (inline ?? true));
    } else {
      addArgument(parsed, arg);
    }
  }
  return parsed;
}

/** The command when none was given yet, else its next positional argument. */
function addArgument(parsed: ParsedArgs, arg: string): void {
  if (parsed.command === undefined) {
    parsed.command = arg;
  } else {
    parsed.positionals.push(arg);
  }
}
