import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import initSqlJs from 'sql.js';
import { encodeSessionData, PyDict } from '../../../engine/src';
import { cli } from '../../interop/cliRun';
import { sqliteFromFixture } from '../engine/stores/sqliteFixture';
import { TRUSTING_ENV } from '../engine/stores/sqlJsTrust';

const K = 'k'.repeat(50);
const KEY = 'bigcart0000000000000000000000001';

describe("list's line for a session holding a large value", () => {
  it('shows the start of the data and how much show prints, while show and --json give it whole', async () => {
    const db = await sqliteFromFixture('sessions.sql');
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    const sqlite = new SQL.Database(fs.readFileSync(db));
    const cart = Array.from({ length: 3000 }, () => 'ü'.repeat(10));
    sqlite.run('INSERT INTO django_session VALUES (?, ?, ?)', [KEY, encodeSessionData(new PyDict([['cart', cart]]), { secretKeys: [K] }), '2199-01-01 00:00:00']);
    fs.writeFileSync(db, sqlite.export());
    sqlite.close();
    const env = { ...TRUSTING_ENV, DJANGO_SECRET_KEY: K };
    const store = ['--store', `sqlite://${db}?use_tz=true`];
    const line = (await cli([...store, 'list', '--show-keys'], env)).out.split('\n').find((l) => l.startsWith(KEY))!;
    assert.match(line, /\{'cart': \['üüüüüüüüüü', .*… \(42010 characters; show KEY prints them all\)$/);
    assert.ok(line.length < 600, `${line.length} characters`);
    assert.equal((await cli([...store, 'show', KEY], env)).out.split('\n')[2]!.length, 42010);
    assert.equal(JSON.parse((await cli([...store, '--json', 'list'], env)).out).stores[0].sessions.find((s: { session_key: string }) => s.session_key.startsWith('bigc')).data.cart.length, 3000);
  });
});
