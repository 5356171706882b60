import { parseArgs } from './args';
import { checkCommandLine, FLAGS_WITH_VALUE } from './commandSpecs';
import { lintCommand, scanCommand } from './commands/analysis';
import { CliError, ExitCode } from './exitCodes';
import { failureExit } from './failureExit';
import { terminalText } from './terminalText';
import { deferWasmTierUp } from './wasmTierUp';

const USAGE = `Usage: django-sessions [--project DIR] [--settings MODULE|FILE] [--store URL]... [--json] COMMAND

Commands:
  stores                                  the session stores found in settings (secrets masked)
  list [--limit N] [--cursor C] [--show-keys] [FILTERS]
                                          one page of decoded sessions, newest expiry first
                                          (files: last saved first; a cache in its own order)
  list --cache-drift                      cached_db: the cache entries Django serves instead of the table
  list --watch [...]                      the first page again whenever it changes, until Ctrl-C
                                          (SQLite and session files are watched, servers polled
                                          every 5 s; with --json one document per line)
  count [FILTERS]                         how many sessions each store holds
      FILTERS: [--active|--expired] [--user ID] [--has-key K] [--grep TEXT]
  show KEY                                one decoded session (exit 4 if undecodable or its signature is invalid)
  get KEY NAME                            one value, as JSON (exit 4 as show)
  set KEY NAME JSON [--yes]               set one value
  delete-key KEY NAME [--yes]             remove one value
  clear KEY [--yes]                       empty the data, keep the session
  flush KEY [--yes]                       delete the session
  expire KEY (--in SECONDS|--at ISO|--at-browser-close|--default|--now) [--yes]
                                          change the expiry
  cycle-key KEY [--yes] [--show-keys]     the same data under a new key (printed masked,
                                          in full with --show-keys or --json)
  clear-expired [--dry-run] [--yes]       delete expired sessions, as clearsessions does
  logout-user ID [--yes]                  delete every session of that user (exit 4 if some could not be decoded to check)
      --yes: changing a store on a non-local host needs it, for every store named.
      SECRET_KEY: for stores found in settings, the settings' key, as Django uses it; where they
      give none statically, or --secret-key-env NAME is given, DJANGO_SECRET_KEY (or NAME);
      for --store URLs, the variable when set, else an explicit --project's settings.

  decode DATA [--salt S] [--serializer json|pickle]
                                          decode session_data; verified when a key is given
  encode JSON [--salt S] [--serializer json|pickle] [--legacy] [--algorithm sha256|sha1]
                                          the session_data Django would store for this dict;
                                          Django 3.1/3.2 with DEFAULT_HASHING_ALGORITHM = 'sha1'
                                          store db/cache/file sessions in the pre-3.1 format: --legacy
  decode-cookie VALUE [--salt S] [--serializer json|pickle] [--max-age N]
                                          decode and verify a signed_cookies session cookie
  sign-cookie JSON [--salt S] [--serializer json|pickle] [--algorithm sha256|sha1]
                                          the signed_cookies cookie value for this dict
      keys for these four: --secret-key-env NAME (default DJANGO_SECRET_KEY),
      --fallback-keys-env NAME (a JSON array of keys, or one key); keys are never arguments;
      --django-version X.Y judges signatures as that Django does (no sha1 or pre-3.1 format
      from 4.0, no fallback keys before 4.1); when decoding, --algorithm sha1 is
      DEFAULT_HASHING_ALGORITHM = 'sha1' (3.1/3.2 then refuse sha256 signatures)

  scan DIR                                session-key usages in code, and SESSION_* settings
  lint DIR [--format text|json|github|sarif]
                                          diagnostics for session keys and settings (exit 1 on errors);
                                          github: annotations for a GitHub Actions job, sarif: a
                                          SARIF 2.1.0 log for code scanning, both with paths from
                                          the current directory (run them from the repository's root)
      both exit 1 when DIR holds no Python file they read (all in a virtualenv, site-packages,
      migrations), and say why on stderr; positions are file:line:column from 1 in text, columns
      in characters as Python and editors count them, and 0-based UTF-16 columns (lines from 1)
      with --json, as LSP counts

Changes re-read the session and refuse (exit 3) if Django wrote to it in between.
With --json, count, list, clear-expired and logout-user print {"stores": [...]}, one entry per store.

Options are the -- words above and -h; -- ends them, for an argument that starts with --.

Exit codes: 0 ok, 1 not found, 2 usage error, 3 store or connection error, 4 decode error.`;

/** Runs one CLI invocation and returns its exit code; errors become one line on stderr. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = (text: string) => process.stdout.write(`${terminalText(text)}\n`);
  try {
    const args = parseArgs(argv, FLAGS_WITH_VALUE);
    if (args.flags.has('--help') || args.command === 'help') {
      out(USAGE);
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
    return failureExit(err);
  }
}

if (require.main === module) {
  deferWasmTierUp();
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
