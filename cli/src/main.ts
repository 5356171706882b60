import { parseArgs } from './args';
import { checkCommandLine, FLAGS_WITH_VALUE } from './commandSpecs';
import { lintCommand, scanCommand } from './commands/analysis';
import { toleratePipesClosedEarly } from './closedPipes';
import { CliError, ExitCode } from './exitCodes';
import { failureExit } from './failureExit';
import { terminalText } from './terminalText';
import { commandUsage, USAGE } from './usage';
import { VERSION_LINE } from './version';
import { deferWasmTierUp } from './wasmTierUp';

/** Runs one CLI invocation and returns its exit code; errors become one line on stderr. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = (text: string) => process.stdout.write(`${terminalText(text)}\n`);
  try {
    const args = parseArgs(argv, FLAGS_WITH_VALUE);
    if (args.flags.has('--help') || args.command === 'help') {
      // `help list` as `list --help`.
      const command = args.command === 'help' ? args.positionals[0] : args.command;
      out((command && commandUsage(command)) ?? USAGE);
      return ExitCode.ok;
    }
    if (args.flags.has('--version')) {
      out(VERSION_LINE);
      return ExitCode.ok;
    }
    // A missing command is a usage error like any other: one line on stderr, none of it on stdout.
    if (args.command === undefined) {
      throw new CliError(ExitCode.usage, 'no command given. Run django-sessions --help for the commands.');
    }
    checkCommandLine({ ...args, command: args.command });
    if (args.command === 'scan') {
      return await scanCommand(args, out);
    }
    if (args.command === 'lint') {
      return await lintCommand(args, out);
    }
    // Loaded only now: esbuild.mjs ships it as a bundle of its own, which a scan never compiles.
    const { runSessionCommand } = await import('./sessionCommands');
    return await runSessionCommand(args.command, args, env, out);
  } catch (err) {
    return failureExit(err, env);
  }
}

if (require.main === module) {
  deferWasmTierUp();
  toleratePipesClosedEarly();
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
