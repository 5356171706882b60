import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../cli/src/args';
import { confirmDestructive, isLocalStore } from '../../../cli/src/commands/storeAccess';
import { CliError } from '../../../cli/src/exitCodes';
import { parseStoreUrl } from '../../../engine/src';

const defaults = { secretKeys: [], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };

describe('CLI store safety', () => {
  it('treats files and loopback servers as local, anything else as remote', () => {
    assert.equal(isLocalStore(parseStoreUrl('sqlite:db.sqlite3', '/', defaults)), true);
    assert.equal(isLocalStore(parseStoreUrl('file:///tmp/s', '/', defaults)), true);
    assert.equal(isLocalStore(parseStoreUrl('postgres://root@127.0.0.1/x', '/', defaults)), true);
    assert.equal(isLocalStore(parseStoreUrl('mysql://root@localhost/x', '/', defaults)), true);
    assert.equal(isLocalStore(parseStoreUrl('postgres://root@db.example.com/x', '/', defaults)), false);
  });

  it('needs --yes for a destructive command on a remote host', () => {
    const remote = parseStoreUrl('postgres://root@db.example.com/x', '/', defaults);
    assert.throws(() => confirmDestructive(parseArgs(['flush', 'k'], new Set()), remote, 'flush'), (e: unknown) => e instanceof CliError && e.exitCode === 2 && /--yes/.test(e.message));
    assert.doesNotThrow(() => confirmDestructive(parseArgs(['flush', 'k', '--yes'], new Set()), remote, 'flush'));
  });
});
