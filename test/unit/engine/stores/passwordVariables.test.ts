import * as assert from 'node:assert/strict';
import { parseStoreUrl, passwordVariables, type StoreDescriptor } from '../../../../engine/src';

const defaults = { secretKeys: [], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };

describe('passwordVariables', () => {
  it("names each client's usual variable, or the one settings read", () => {
    assert.deepEqual(passwordVariables(parseStoreUrl('postgres://app@db/shop', '/', defaults)), ['PGPASSWORD']);
    assert.deepEqual(passwordVariables(parseStoreUrl('mysql://app@db/shop', '/', defaults)), ['MYSQL_PWD']);
    const fromSettings = parseStoreUrl('postgres://app@db/shop', '/', defaults);
    const d: StoreDescriptor = { ...fromSettings, database: { ...(fromSettings.database as { vendor: 'postgresql'; host: string; name: string }), passwordRef: 'DB_PASSWORD' } };
    assert.deepEqual(passwordVariables(d), ['DB_PASSWORD']);
  });

  it('needs none for SQLite', () => {
    assert.deepEqual(passwordVariables(parseStoreUrl('sqlite:db.sqlite3', '/', defaults)), []);
  });
});
