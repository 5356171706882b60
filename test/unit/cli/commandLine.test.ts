import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../../cli/src/args';
import { FLAGS_WITH_VALUE } from '../../../cli/src/commandSpecs';
import { cli } from '../../interop/cliRun';
import { sqliteFromFixture } from '../engine/stores/sqliteFixture';
import { TRUSTING_ENV } from '../engine/stores/sqlJsTrust';

const K = 'k'.repeat(50);

/** Design §3: a usage error is exit 2 with one line on stderr that names the cause. */
function usageError(r: { code: number; err: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
  assert.match(r.err, pattern);
}

describe('CLI command lines: each command takes only its own flags and arguments', () => {
  let db: string;
  beforeEach(async () => {
    db = await sqliteFromFixture('sessions.sql');
  });

  it('says a missing command in one line on stderr, and prints the help on stdout only when asked', async () => {
    const none = await cli(['--json']);
    usageError(none, /^django-sessions: no command given\. Run django-sessions --help for the commands\.$/m);
    assert.equal(none.out, '');
    const help = await cli(['--help']);
    assert.deepEqual([help.code, help.err], [0, '']);
    assert.match(help.out, /^Usage: django-sessions /);
  });

  it('prints its name and the package version for --version, on stdout, and exits 0', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    for (const argv of [['--version'], ['--json', '--version'], ['list', '--version']]) {
      const r = await cli(argv);
      assert.deepEqual([r.code, r.out, r.err], [0, `django-sessions ${version}\n`, ''], argv.join(' '));
    }
  });

  it('refuses a flag the command does not take, before touching the store (flush KEY --dry-run deletes nothing)', async () => {
    const store = ['--store', `sqlite://${db}`];
    usageError(await cli([...store, 'flush', 'plainjson00000000000000000000001', '--dry-run'], TRUSTING_ENV), /^django-sessions: flush does not take --dry-run\. Run django-sessions flush --help/);
    assert.equal((await cli([...store, 'count'], TRUSTING_ENV)).out.trim(), '5', 'the session is still there');
    usageError(await cli([...store, 'list', '--limt', '3']), /list does not take --limt/);
    usageError(await cli([...store, 'list', '-l', '3']), /list takes no arguments; unexpected "-l" "3"/);
    usageError(await cli([...store, 'stores', '--yes']), /stores does not take --yes/);
  });

  it('refuses extra arguments, naming them', async () => {
    usageError(await cli(['--store', `sqlite://${db}`, 'count', 'extra', 'args']), /count takes no arguments; unexpected "extra" "args"/);
    usageError(await cli(['--store', `sqlite://${db}`, 'show', 'a', 'b']), /show takes at most 1 argument; unexpected "b"/);
    usageError(await cli(['decode', 'x', 'y'], { DJANGO_SECRET_KEY: K }), /decode takes at most 1 argument/);
  });

  it('refuses the global options a command does not use, instead of ignoring them', async () => {
    usageError(await cli(['--store', 'bogus://x', 'sign-cookie', '{}'], { DJANGO_SECRET_KEY: K }), /^django-sessions: sign-cookie does not take --store: it opens no store; keys come from DJANGO_SECRET_KEY, --secret-key-env, or the settings of --project or --settings\.$/m);
    usageError(await cli(['--store', `sqlite://${db}`, 'lint', '.']), /lint does not take --store: it reads code and settings, not a store/);
  });

  it('never takes a key as an argument, and points to the environment instead', async () => {
    usageError(await cli(['decode', 'abc', '--secret-key', K]), /--secret-key is not accepted: .*DJANGO_SECRET_KEY.*--secret-key-env NAME/);
    usageError(await cli(['--store', `sqlite://${db}`, 'list', `--secret-key=${K}`]), /--secret-key is not accepted/);
  });

  it('takes a -word that is no flag as an argument: negative numbers, -Infinity, names like -x', () => {
    for (const value of ['-5', '-Infinity', '-x']) {
      const args = parseArgs(['set', 'k', value, value], FLAGS_WITH_VALUE);
      assert.deepEqual(args.positionals, ['k', value, value]);
      assert.equal(args.flags.size, 0);
    }
  });

  it('ends options at --, and still refuses an unknown --flag before it', async () => {
    const args = parseArgs(['--json', 'set', '--', '--yes', 'n', '--json'], FLAGS_WITH_VALUE);
    assert.equal(args.command, 'set');
    assert.deepEqual(args.positionals, ['--yes', 'n', '--json']);
    assert.equal(args.flags.size, 0);
    assert.equal(args.json, true);
    assert.deepEqual(parseArgs(['--', 'count'], FLAGS_WITH_VALUE).command, 'count');
    usageError(await cli(['--store', `sqlite://${db}`, 'set', K, 'n', '1', '--force']), /set does not take --force/);
  });

  it('set KEY NAME -Infinity stores the float, and a session key may start with a dash after --', async () => {
    const store = ['--store', `sqlite://${db}?use_tz=true`];
    const env = { ...TRUSTING_ENV, DJANGO_SECRET_KEY: K };
    const set = await cli([...store, 'set', 'plainjson00000000000000000000001', 'n', '-Infinity'], env);
    assert.equal(set.code, 0, set.err);
    assert.equal((await cli([...store, 'get', 'plainjson00000000000000000000001', 'n'], env)).out.trim(), '-Infinity');
    const dashKey = await cli([...store, 'show', '--', '-nosuchsession0000'], env);
    assert.equal(dashKey.code, 1, dashKey.err);
  });

  it('expire reads --in as whole seconds and --at as a real ISO 8601 time with a zone, refusing anything else', async () => {
    const store = ['--store', `sqlite://${db}?use_tz=true`];
    const env = { ...TRUSTING_ENV, DJANGO_SECRET_KEY: K };
    const key = 'plainjson00000000000000000000001';
    const refused: Array<[string[], RegExp]> = [
      [['--in', ''], /--in takes whole seconds, e\.g\. --in 3600, not ""/],
      [['--in', '1e3'], /--in takes whole seconds/],
      [['--in', '0x10'], /--in takes whole seconds/],
      [['--in', '0'], /set_expiry\(0\), which Django reads as "at browser close"; say --at-browser-close/],
      [['--in', '-5'], /say --now/],
      [['--at', 'Jan 1 2030 12:00 Z'], /--at takes an ISO 8601 time with a zone/],
      [['--at', '2030-01-01T12:00:00'], /--at takes an ISO 8601 time with a zone/],
      [['--at', '2030-02-30T12:00:00Z'], /--at names no such time/],
      [['--at', '10000-01-01T00:00:00Z'], /beyond year 9999/],
      [['--at', '2030-01-01T12:00:00+25:00'], /--at has no such offset: \+25:00/],
      [['--at', '2030-01-01T12:00:00+05:75'], /--at has no such offset/],
    ];
    for (const [flags, message] of refused) {
      usageError(await cli([...store, 'expire', key, ...flags], env), message);
    }
    const at = await cli([...store, '--json', 'expire', key, '--at', '2030-01-01T12:00:00.5+02:00'], env);
    assert.equal(at.code, 0, at.err);
    // Django before 4.1 (3.2 is assumed for a URL) keeps the date as seconds, which each save moves on: said, not silent.
    assert.match(at.err, /note: .*before Django 4\.1, a JSONSerializer session cannot keep a date \(set_expiry\(datetime\) fails to save there\), so the expiry was written as seconds from now, \d+, which Django reads as inactivity: each save of the session moves its expiry on/);
    assert.equal(JSON.parse((await cli([...store, 'show', key, '--json'], env)).out).expire_date, '2030-01-01T10:00:00.500Z');
    assert.equal((await cli([...store, 'expire', key, '--at', '2030-01-01T12:00-05'], env)).code, 0, 'an offset of whole hours');
    assert.equal(JSON.parse((await cli([...store, 'show', key, '--json'], env)).out).expire_date, '2030-01-01T17:00:00.000Z');
  });

  it('a change without any SECRET_KEY says the key is what is missing, not that the session is signed with another (exit 2)', async () => {
    const key = 'plainjson00000000000000000000001';
    const r = await cli(['--store', `sqlite://${db}?use_tz=true`, 'set', key, 'note', '"x"'], TRUSTING_ENV);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^django-sessions: Changing a session needs the SECRET_KEY, to verify it and sign it again: set DJANGO_SECRET_KEY, or pass --project DIR to take SECRET_KEY from its settings\.$/m);
    assert.doesNotMatch(r.err, /not signed with this store/);
  });

  it('set and expire refuse a _session_expiry Django would fail on, writing nothing (exit 2)', async () => {
    const store = ['--store', `sqlite://${db}?use_tz=true`];
    const env = { ...TRUSTING_ENV, DJANGO_SECRET_KEY: K };
    const key = 'plainjson00000000000000000000001';
    const before = (await cli([...store, 'show', key, '--json'], env)).out;
    const text = await cli([...store, 'set', key, '_session_expiry', '"tomorrow"'], env);
    assert.equal(text.code, 2, text.err);
    assert.match(text.err, /_session_expiry is text, which only Django 4\.1\+ reads as a date.*nothing was written/);
    const far = await cli([...store, 'expire', key, '--in', '99999999999999'], env);
    assert.equal(far.code, 2, far.err);
    assert.match(far.err, /beyond the dates Python can hold/);
    assert.equal((await cli([...store, 'show', key, '--json'], env)).out, before);
  });

  it('-h is --help, for any command; an unknown command is a usage error', async () => {
    const help = await cli(['count', '-h']);
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: django-sessions \[--project DIR\] \[--settings MODULE\|FILE\]/);
    usageError(await cli(['frobnicate']), /Unknown command "frobnicate"/);
    // A dash word where the command goes was meant as an option, such as -V for the version.
    usageError(await cli(['-V']), /^django-sessions: Unknown option "-V": the options are -h \(--help\), --version and the -- words/m);
    usageError(await cli(['--project', '.', '-x', 'stores']), /Unknown option "-x"/);
  });

  it('the usage lists the flags of each command: --salt, --serializer and --yes where they apply, filters for count', async () => {
    const { out } = await cli(['--help']);
    assert.match(out, /decode-cookie VALUE \[--salt S\] \[--serializer json\|pickle\] \[--max-age N\]/);
    assert.match(out, /sign-cookie JSON \[--salt S\] \[--serializer json\|pickle\]/);
    assert.match(out, /encode JSON \[--salt S\] \[--serializer json\|pickle\]/);
    assert.match(out, /flush KEY \[--yes\]/);
    assert.match(out, /clear-expired \[--dry-run\] \[--yes\]/);
    assert.match(out, /count \[FILTERS\]/);
  });

  it("prints one command's help for COMMAND --help, as the usage errors point to it: its entries and the notes on what it takes", async () => {
    const list = await cli(['list', '--help']);
    assert.deepEqual([list.code, list.err], [0, '']);
    assert.match(list.out, /^Usage: django-sessions .* list \.\.\.\n\n {2}list \[--limit N\]/);
    assert.match(list.out, /^ {2}list --cache-drift/m);
    assert.match(list.out, /^ {6}FILTERS: \[--active\|--expired\]/m);
    assert.doesNotMatch(list.out, /^ {2}(count|show|set) /m);
    assert.doesNotMatch(list.out, /--yes:/, 'list takes no --yes');
    // Every flag a store command takes is in its help: the fallback keys too.
    assert.match(list.out, /^ {6}--fallback-keys-env NAME adds the keys NAME holds/m);
    const expire = (await cli(['expire', '--help'])).out;
    assert.match(expire, /^ {2}expire KEY \(--in SECONDS\|--at ISO/m);
    assert.match(expire, /^ {6}--yes: /m);
    // As confirmDestructive asks for it: a store off this machine, or one DATABASE_ROUTERS may make the wrong table.
    assert.match(expire, /^ {6}--yes: .*non-local host.*\n {6}.*DATABASE_ROUTERS/m);
    assert.doesNotMatch(expire, /FILTERS:/);
    assert.match((await cli(['decode-cookie', '--help'])).out, /keys for these four: --secret-key-env NAME/);
    assert.match((await cli(['nosuch', '--help'])).out, /^Commands:$/m, 'an unknown command gets the whole help');
  });

  it("lists in one command's usage line only the global options it takes, and prints it for help COMMAND too", async () => {
    for (const command of ['decode', 'encode', 'decode-cookie', 'sign-cookie', 'scan', 'lint']) {
      const help = (await cli([command, '--help'])).out;
      assert.match(help, new RegExp(`^Usage: django-sessions \\[--project DIR\\] \\[--settings MODULE\\|FILE\\] \\[--json\\] ${command} \\.\\.\\.$`, 'm'));
      usageError(await cli(['--store', 'sqlite:///x.sqlite3', command, 'x']), new RegExp(`${command} does not take --store`));
    }
    assert.match((await cli(['show', '--help'])).out, /^Usage: django-sessions \[--project DIR\] \[--settings MODULE\|FILE\] \[--store URL\]\.\.\. \[--json\] show \.\.\.$/m);
    const help = await cli(['help', 'lint']);
    assert.deepEqual([help.code, help.out, help.err], [0, (await cli(['lint', '--help'])).out, '']);
    assert.doesNotMatch(help.out, /^ {6}both /m, 'the note names scan and lint, where one is shown alone');
  });

  it('a key variable named explicitly must be set; the default one may be unset', async () => {
    usageError(await cli(['decode', 'abc', '--secret-key-env', 'NOPE_UNSET']), /^django-sessions: NOPE_UNSET is not set/);
    usageError(await cli(['--store', `sqlite://${db}`, 'count', '--secret-key-env', 'NOPE_UNSET']), /NOPE_UNSET is not set/);
    const plain = await cli(['decode', 'eyJmb28iOiJiYXIifQ:1r31eq:zqTfX9Rg8Lj5l0PzO68tJWUYmfMp1ARrmNG9GP7lFKo']);
    assert.equal(plain.code, 0);
    assert.match(plain.err, /signature not verified/);
  });
});

describe('CLI scan and lint directories', () => {
  it('exit 2 for a missing directory, or a file where a directory (or for lint, a Python file) is needed', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'djs-scan-')), 'settings.py');
    fs.writeFileSync(file, 'X = 1\n');
    for (const command of ['scan', 'lint']) {
      usageError(await cli([command, '/nonexistent/dir']), new RegExp(`${command}: /nonexistent/dir: no such directory`));
    }
    usageError(await cli(['scan', file]), /is a file, not a directory; give the project directory/);
    usageError(await cli(['lint', file.replace(/\.py$/, '.txt')]), /no such directory/);
    fs.writeFileSync(file.replace(/\.py$/, '.txt'), '');
    usageError(await cli(['lint', file.replace(/\.py$/, '.txt')]), /is not a directory or a \.py file; give the project directory/);
  });
});
