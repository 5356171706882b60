import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import initSqlJs from 'sql.js';
import { encodeSessionData, PyDict } from '../../../engine/src';
import { cli } from '../../interop/cliRun';
import { sqliteFromFixture } from '../engine/stores/sqliteFixture';
import { TRUSTING_ENV } from '../engine/stores/sqlJsTrust';

const K = 'k'.repeat(50);
/** A key as random as Django's: cursors tell keys apart by their first characters. */
const keyOf = (name: string) => createHash('sha256').update(name).digest('hex').slice(0, 32);

describe('list with a filter that decodes the sessions, on a store larger than one listing reads', function () {
  this.timeout(60_000);
  let db: string;

  before(async () => {
    db = await sqliteFromFixture('sessions.sql');
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    const sqlite = new SQL.Database(fs.readFileSync(db));
    const others = encodeSessionData(new PyDict([['_auth_user_id', '1']]), { secretKeys: [K] });
    const mine = encodeSessionData(new PyDict([['_auth_user_id', '7']]), { secretKeys: [K] });
    sqlite.exec('BEGIN');
    // 12,000 sessions of user 1 expire last, so they come first; user 7's three come after all of them.
    for (let i = 0; i < 12_000; i++) {
      sqlite.run('INSERT INTO django_session VALUES (?, ?, ?)', [keyOf(`other${i}`), others, '2099-06-01 00:00:00']);
    }
    for (let i = 0; i < 3; i++) {
      sqlite.run('INSERT INTO django_session VALUES (?, ?, ?)', [keyOf(`mine${i}`), mine, '2099-01-01 00:00:00']);
    }
    sqlite.exec('COMMIT');
    fs.writeFileSync(db, sqlite.export());
    sqlite.close();
  });

  it("reads on past one listing's 10,000 sessions until the page is full or the store is read through", async () => {
    const env = { ...TRUSTING_ENV, DJANGO_SECRET_KEY: K };
    const found = JSON.parse((await cli(['--store', `sqlite://${db}`, '--json', 'list', '--user', '7', '--limit', '2'], env)).out) as { stores: Array<{ sessions: unknown[]; scanned: number; next_cursor: string | null }> };
    const page = found.stores[0]!;
    assert.equal(page.sessions.length, 2);
    assert.ok(page.scanned > 12_000, `${page.scanned} read`);
    assert.notEqual(page.next_cursor, null);
    const none = await cli(['--store', `sqlite://${db}`, 'list', '--user', 'nobody'], env);
    assert.equal(none.code, 0, none.err);
    assert.match(none.out, /^-- no session matches \(12008 scanned\)$/m);
  });
});
