/**
 * The commands that read, change, decode or encode sessions: everything but scan and lint.
 * main.ts loads this module only when one of them runs, and esbuild.mjs bundles it on its own
 * (`sessionCommands.js` beside `cli.js`), so a scan does not compile the database drivers.
 */
import type { ParsedArgs } from './args';
import { clearExpiredCommand, logoutUserCommand } from './commands/bulkDelete';
import { decodeCommand, decodeCookieCommand, encodeCommand, signCookieCommand } from './commands/codec';
import { withoutCookieStores } from './commands/cookieStores';
import { countCommand } from './commands/count';
import { clearCommand, cycleKeyCommand, deleteKeyCommand, expireCommand, flushCommand, setCommand } from './commands/editSession';
import { listCommand } from './commands/list';
import { getCommand, showCommand } from './commands/show';
import { storesCommand } from './commands/stores';
import { CliError, ExitCode } from './exitCodes';
import { failureExit } from './failureExit';
import { resolveStores, type ResolvedStore } from './resolveStores';
import { writeError } from './terminalText';

type Out = (text: string) => void;

type Command = (args: ParsedArgs, stores: ResolvedStore[], out: Out) => Promise<number>;

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

/** Commands that need no store: they work on a value. */
const OFFLINE_COMMANDS: Record<string, (args: ParsedArgs, env: NodeJS.ProcessEnv, out: Out) => number | Promise<number>> = {
  decode: (args, env, out) => decodeCommand(args, env, out, writeErr),
  'decode-cookie': (args, env, out) => decodeCookieCommand(args, env, out, writeErr),
  encode: encodeCommand,
  'sign-cookie': signCookieCommand,
};

function writeErr(text: string): void {
  writeError(`${text}\n`);
}

/**
 * Runs `name` and returns its exit code. It never throws: its failures are reported here,
 * where the error classes are this bundle's own.
 */
export async function runSessionCommand(name: string, args: ParsedArgs, env: NodeJS.ProcessEnv, out: Out): Promise<number> {
  try {
    const offline = OFFLINE_COMMANDS[name];
    if (offline) {
      return await offline(args, env, out);
    }
    const command = COMMANDS[name];
    if (!command) {
      throw new CliError(ExitCode.usage, `Unknown command "${name}". Run django-sessions --help for the list.`);
    }
    const stores = await resolveStores(args, env);
    return await command(args, name === 'stores' ? stores : withoutCookieStores(args, stores), out);
  } catch (err) {
    return failureExit(err, env);
  }
}
