import { commandGlobals } from './commandSpecs';

/** The whole help, as `django-sessions --help` prints it. */
export const USAGE = `Usage: django-sessions [--project DIR] [--settings MODULE|FILE] [--store URL]... [--json] COMMAND

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
  logout-user ID [--dry-run] [--yes]      delete every session of that user (exit 4 if some could not be decoded to check);
                                          --dry-run lists them (keys masked) and deletes nothing
      --yes: changing a store on a non-local host needs it, for every store named, as does
      changing one read from settings that set DATABASE_ROUTERS, which may route to another table.
      SECRET_KEY: for stores found in settings, the settings' key, as Django uses it; where they
      give none statically, or --secret-key-env NAME is given, DJANGO_SECRET_KEY (or NAME);
      for --store URLs, the variable when set, else an explicit --project's settings;
      --fallback-keys-env NAME adds the keys NAME holds (a JSON array, or one key) as fallbacks.

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
      with --project or --settings, the project's SECRET_KEY and fallbacks, serializer,
      SESSION_COOKIE_AGE and hashing algorithm, as the store commands read them, flags first;
      --django-version X.Y judges signatures as that Django does (no sha1 or pre-3.1 format
      from 4.0, no fallback keys before 4.1); when decoding, --algorithm sha1 is
      DEFAULT_HASHING_ALGORITHM = 'sha1' (3.1/3.2 then refuse sha256 signatures)

  scan DIR                                session-key usages in code, and SESSION_* settings
  lint DIR|FILE.py... [--format text|json|github|sarif]
                                          diagnostics for session keys and settings (exit 1 on errors);
                                          github: annotations for a GitHub Actions job, sarif: a
                                          SARIF 2.1.0 log for code scanning, both with paths from
                                          the current directory (run them from the repository's root)
      scan and lint exit 1 when DIR holds no Python file they read (all in a virtualenv, site-packages,
      migrations), and say why on stderr; positions are file:line:column from 1 in text, columns
      in characters as Python and editors count them, and 0-based UTF-16 columns (lines from 1)
      with --json, as LSP counts; paths are from the current directory in text (whole outside
      it), from DIR with --json (from the current directory for files); DIR inside a project
      (an app's directory, a pre-commit hook's files) is read with the whole project, whose
      other apps' keys and settings count, and only its own findings are reported

Changes re-read the session and refuse (exit 3) if Django wrote to it in between.
With --json, count, list, clear-expired and logout-user print {"stores": [...]}, one entry per store.

Options are the -- words above, -h (--help) and --version; -- ends them, for an argument that starts with --.

Exit codes: 0 ok, 1 not found, 2 usage error, 3 store or connection error, 4 decode error; clear-expired and logout-user stopped by SIGTERM or SIGHUP: 143 or 129.`;

/** The global options as the usage line shows them. */
const GLOBAL_OPTIONS: ReadonlyArray<readonly [string, string]> = [
  ['--project', '[--project DIR]'],
  ['--settings', '[--settings MODULE|FILE]'],
  ['--store', '[--store URL]...'],
];

/** The first line of a note below the entries: `FILTERS: …`, `--yes: …`, `keys for these four: …`. */
const NOTE_START = /^ {6}(?:[A-Z_]+|--[a-z-]+|[a-z][a-z ]*[a-z]):/;

/**
 * The help for one command (`django-sessions list --help`): the usage line, the command's entries
 * in USAGE with the notes of their paragraph, and the exit codes. Undefined for a command USAGE
 * does not list.
 */
export function commandUsage(command: string): string | undefined {
  const lines = USAGE.split('\n');
  const entry = new RegExp(`^  ${command.replace(/[-]/g, '\\$&')}(?: |$)`);
  const at = lines.findIndex((line) => entry.test(line));
  if (at < 0) {
    return undefined;
  }
  let start = at;
  while (start > 0 && lines[start - 1] !== '') {
    start--;
  }
  let end = at;
  while (end < lines.length && lines[end] !== '') {
    end++;
  }
  const paragraph = lines.slice(start, end);
  const entries = paragraph.filter((line) => entry.test(line)).join(' ');
  const shown: string[] = [];
  let showing = false;
  paragraph.forEach((line, i) => {
    const indented = /^ {6}\S/.test(line);
    if (/^  \S/.test(line)) {
      showing = entry.test(line);
    } else if (indented && (NOTE_START.test(line) || !/^ {6}\S/.test(paragraph[i - 1] ?? ''))) {
      // A note on what some entries take (FILTERS, --yes) goes with them; others are the paragraph's.
      const label = /^ {6}(FILTERS|--yes):/.exec(line)?.[1];
      showing = label === undefined || entries.includes(label);
    }
    if (showing) {
      shown.push(line);
    }
  });
  const exitCodes = lines.find((line) => line.startsWith('Exit codes:'));
  // Only the global options the command takes: scan, lint and the codec commands refuse --store.
  const globals = commandGlobals(command);
  const options = GLOBAL_OPTIONS.filter(([name]) => globals.includes(name)).map(([, shown]) => `${shown} `).join('');
  return [`Usage: django-sessions ${options}[--json] ${command} ...`, '', ...shown, '', exitCodes, `Run django-sessions --help for every command.`].join('\n');
}
