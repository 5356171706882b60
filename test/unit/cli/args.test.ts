import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../cli/src/args';
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

  it('keeps positionals after the command and boolean flags as true', () => {
    const args = parseArgs(['show', 'abc', '--show-keys'], withValue);
    assert.deepEqual(args.positionals, ['abc']);
    assert.equal(args.flags.get('--show-keys'), true);
  });

  it('is a usage error when a value is missing', () => {
    assert.throws(() => parseArgs(['list', '--limit'], withValue), (e: unknown) => e instanceof CliError && e.exitCode === 2);
  });
});
