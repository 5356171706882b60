import { StoreError } from '../../engine/src';
import { parseArgs, type ParsedArgs } from './args';
import { countCommand } from './commands/count';
import { listCommand } from './commands/list';
import { storesCommand } from './commands/stores';
import { CliError, ExitCode } from './exitCodes';
import { resolveStores } from './resolveStores';

const USAGE = `Usage: django-sessions [--project DIR] [--settings MODULE] [--store URL]... [--json] COMMAND

Commands:
  stores                                  the session stores found in settings (secrets masked)
  list [--limit N] [--cursor C] [--show-keys]
                                          one page of decoded sessions, newest expiry first
  count                                   how many sessions each store holds

Exit codes: 0 ok, 1 not found, 2 usage error, 3 store or connection error, 4 decode error.`;

const FLAGS_WITH_VALUE = new Set(['--limit', '--cursor']);

type Command = (args: ParsedArgs, stores: Awaited<ReturnType<typeof resolveStores>>, out: (text: string) => void) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  stores: storesCommand,
  list: listCommand,
  count: countCommand,
};

/** Runs one CLI invocation and returns its exit code; errors become one line on stderr. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  try {
    const args = parseArgs(argv, FLAGS_WITH_VALUE);
    if (args.command === undefined || args.flags.has('--help') || args.command === 'help') {
      out(USAGE);
      return args.command === undefined && !args.flags.has('--help') ? ExitCode.usage : ExitCode.ok;
    }
    const command = COMMANDS[args.command];
    if (!command) {
      throw new CliError(ExitCode.usage, `Unknown command "${args.command}". Run django-sessions --help for the list.`);
    }
    const stores = await resolveStores(args, env);
    return await command(args, stores, out);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`django-sessions: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof StoreError) {
      process.stderr.write(`django-sessions: ${err.message}\n`);
      return err.code === 'not-found' ? ExitCode.notFound : err.code === 'bad-cursor' ? ExitCode.usage : ExitCode.store;
    }
    process.stderr.write(`django-sessions: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    return ExitCode.store;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
