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

  it("names the variable a Redis cache's settings read the password from, once where the database's is the same", () => {
    const cachedDb = parseStoreUrl('postgres://app@db/shop?cache=redis://cache:6379/1', '/', defaults);
    assert.deepEqual(passwordVariables(cachedDb), ['PGPASSWORD', 'REDISCLI_AUTH']);
    const database = { ...(cachedDb.database as { vendor: 'postgresql'; host: string; name: string }), passwordRef: 'SHARED_PASSWORD' };
    assert.deepEqual(passwordVariables({ ...cachedDb, cache: { ...cachedDb.cache!, passwordRef: 'REDIS_PASSWORD' } }), ['PGPASSWORD', 'REDIS_PASSWORD']);
    assert.deepEqual(passwordVariables({ ...cachedDb, database, cache: { ...cachedDb.cache!, passwordRef: 'SHARED_PASSWORD' } }), ['SHARED_PASSWORD']);
  });

  it('needs none for SQLite', () => {
    assert.deepEqual(passwordVariables(parseStoreUrl('sqlite:db.sqlite3', '/', defaults)), []);
  });
});
