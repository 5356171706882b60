import { StoreError } from '../../engine/src';
import { parseArgs, type ParsedArgs } from './args';
import { lintCommand, scanCommand } from './commands/analysis';
import { clearExpiredCommand, logoutUserCommand } from './commands/bulkDelete';
import { decodeCommand, decodeCookieCommand, encodeCommand, signCookieCommand } from './commands/codec';
import { countCommand } from './commands/count';
import { clearCommand, cycleKeyCommand, deleteKeyCommand, expireCommand, flushCommand, setCommand } from './commands/editSession';
import { listCommand } from './commands/list';
import { getCommand, showCommand } from './commands/show';
import { storesCommand } from './commands/stores';
import { CliError, ExitCode } from './exitCodes';
import { resolveStores } from './resolveStores';

const USAGE = `Usage: django-sessions [--project DIR] [--settings MODULE] [--store URL]... [--json] COMMAND

Commands:
  stores                                  the session stores found in settings (secrets masked)
  list [--limit N] [--cursor C] [--show-keys] [--active|--expired] [--user ID] [--has-key K] [--grep TEXT]
                                          one page of decoded sessions, newest expiry first
  count [--active|--expired]              how many sessions each store holds
  show KEY                                one decoded session
  get KEY NAME                            one value, as JSON
  set KEY NAME JSON                       set one value
  delete-key KEY NAME                     remove one value
  clear KEY                               empty the data, keep the session
  flush KEY                               delete the session
  expire KEY (--in SECONDS|--at ISO|--at-browser-close|--default|--now)
                                          change the expiry
  cycle-key KEY                           the same data under a new key (printed)
  clear-expired [--dry-run]               delete expired sessions, as clearsessions does
  logout-user ID                          delete every session of that user

  decode DATA [--salt S] [--serializer json|pickle]
                                          decode session_data; verified when a key is given
  encode JSON [--salt S] [--legacy]       the session_data Django would store for this dict
  decode-cookie VALUE [--max-age N]       decode and verify a signed_cookies session cookie
  sign-cookie JSON                        the signed_cookies cookie value for this dict
      keys for these four: --secret-key-env NAME (default DJANGO_SECRET_KEY),
      --fallback-keys-env NAME (a JSON array of keys, or one key)

  scan DIR                                session-key usages in code, and SESSION_* settings
  lint DIR                                diagnostics for session keys and settings (exit 1 on errors)

Changes re-read the session and refuse (exit 3) if Django wrote to it in between.
Changing a store on a non-local host needs --yes.

Exit codes: 0 ok, 1 not found, 2 usage error, 3 store or connection error, 4 decode error.`;

const FLAGS_WITH_VALUE = new Set([
  '--limit', '--cursor', '--user', '--has-key', '--grep', '--in', '--at',
  '--salt', '--serializer', '--secret-key-env', '--fallback-keys-env', '--max-age',
]);

type Command = (args: ParsedArgs, stores: Awaited<ReturnType<typeof resolveStores>>, out: (text: string) => void) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  stores: storesCommand,
  list: listCommand,
  count: countCommand,
  show: showCommand,
  get: getCommand,
  set: setCommand,
  'delete-key': deleteKeyCommand,
  clear: clearCommand,
  flush: flushCommand,
  expire: expireCommand,
  'cycle-key': cycleKeyCommand,
  'clear-expired': clearExpiredCommand,
  'logout-user': logoutUserCommand,
};

/** Commands that need no store: they work on a value or on source code. */
const OFFLINE_COMMANDS: Record<string, (args: ParsedArgs, env: NodeJS.ProcessEnv, out: (text: string) => void) => number | Promise<number>> = {
  decode: (args, env, out) => decodeCommand(args, env, out, writeErr),
  'decode-cookie': (args, env, out) => decodeCookieCommand(args, env, out, writeErr),
  encode: encodeCommand,
  'sign-cookie': signCookieCommand,
  scan: (args, _env, out) => scanCommand(args, out),
  lint: (args, _env, out) => lintCommand(args, out),
};

function writeErr(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Runs one CLI invocation and returns its exit code; errors become one line on stderr. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  try {
    const args = parseArgs(argv, FLAGS_WITH_VALUE);
    if (args.command === undefined || args.flags.has('--help') || args.command === 'help') {
      out(USAGE);
      return args.command === undefined && !args.flags.has('--help') ? ExitCode.usage : ExitCode.ok;
    }
    const offline = OFFLINE_COMMANDS[args.command];
    if (offline) {
      return await offline(args, env, out);
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
      return storeErrorExit(err);
    }
    process.stderr.write(`django-sessions: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    return ExitCode.store;
  }
}

function storeErrorExit(err: StoreError): number {
  switch (err.code) {
    case 'not-found':
      return ExitCode.notFound;
    case 'bad-cursor':
    case 'invalid-key':
    case 'bad-url':
    case 'bad-input':
      return ExitCode.usage;
    case 'undecodable':
      return ExitCode.decode;
    default:
      return ExitCode.store;
  }
}

if (require.main === module) {
  // `django-sessions list | head` closes the pipe early; that is the reader's choice, not a failure.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      process.exit(0);
    }
    throw err;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
