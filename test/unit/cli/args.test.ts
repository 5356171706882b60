import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../cli/src/args';
import { checkCommandLine, FLAGS_WITH_VALUE } from '../../../cli/src/commandSpecs';
import { CliError } from '../../../cli/src/exitCodes';

const withValue = new Set(['--limit', '--cursor']);

describe('CLI argument parsing', () => {
  it('takes global options anywhere and repeats --store', () => {
    const args = parseArgs(['list', '--project', 'demo', '--limit', '5', '--store=sqlite:a', '--store', 'sqlite:b', '--json'], withValue);
    assert.equal(args.command, 'list');
    assert.equal(args.project, 'demo');
    assert.deepEqual(args.stores, ['sqlite:a', 'sqlite:b']);
    assert.equal(args.json, true);
    assert.equal(args.flags.get('--limit'), '5');
  });

  it('refuses --project or --settings given twice, which would silently act on the last one only', () => {
    for (const argv of [['--project', 'a', 'count', '--project', 'b'], ['--settings', 'a.settings', '--settings=b.settings', 'count']]) {
      assert.throws(() => parseArgs(argv, withValue), (e: unknown) => e instanceof CliError && e.exitCode === 2 && /is given twice; give one/.test(e.message));
    }
  });

  it('keeps positionals after the command and boolean flags as true', () => {
    const args = parseArgs(['show', 'abc', '--show-keys'], withValue);
    assert.deepEqual(args.positionals, ['abc']);
    assert.equal(args.flags.get('--show-keys'), true);
  });

  it('is a usage error when a value is missing', () => {
    assert.throws(() => parseArgs(['list', '--limit'], withValue), (e: unknown) => e instanceof CliError && e.exitCode === 2);
  });

  it('refuses a flag as the value of another, and takes a value starting with -- only after =', () => {
    assert.throws(() => parseArgs(['list', '--cursor', '--active'], withValue), /--cursor needs a value before --active; for a value that starts with --, write --cursor=VALUE/);
    assert.equal(parseArgs(['list', '--cursor=--x'], withValue).flags.get('--cursor'), '--x');
    assert.equal(parseArgs(['list', '--limit', '-1'], withValue).flags.get('--limit'), '-1', 'a single dash is a value');
  });

  it('refuses a value on a flag that takes none, so --yes=no never passes for --yes, and names a misspelt flag as such', () => {
    const check = (argv: string[]) => {
      const args = parseArgs(argv, FLAGS_WITH_VALUE);
      checkCommandLine({ ...args, command: args.command! });
    };
    for (const argv of [['flush', 'k', '--yes=no'], ['list', '--show-keys=false'], ['list', '--json=false']]) {
      assert.throws(() => check(argv), (e: unknown) => e instanceof CliError && e.exitCode === 2 && /takes no value; give --[a-z-]+ alone/.test(e.message), argv.join(' '));
    }
    assert.throws(() => check(['list', '--limt=5']), /list does not take --limt\./);
  });
});
