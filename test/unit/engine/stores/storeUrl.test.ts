import * as assert from 'node:assert/strict';
import { parseStoreUrl, StoreError, storeLocation } from '../../../../engine/src';

const defaults = { secretKeys: ['s'], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };

describe('parseStoreUrl', () => {
  it('resolves absolute and relative SQLite paths', () => {
    assert.deepEqual(parseStoreUrl('sqlite:///var/app/db.sqlite3', '/proj', defaults).database, { vendor: 'sqlite', path: '/var/app/db.sqlite3' });
    assert.deepEqual(parseStoreUrl('sqlite:db.sqlite3', '/proj', defaults).database, { vendor: 'sqlite', path: '/proj/db.sqlite3' });
  });

  it('takes table and salt from the query', () => {
    const d = parseStoreUrl('sqlite:db.sqlite3?table=custom_session&salt=django.contrib.sessions.MyStore', '/proj', defaults);
    assert.equal(d.table, 'custom_session');
    assert.equal(d.salt, 'django.contrib.sessions.MyStore');
    assert.equal(d.database?.vendor === 'sqlite' && d.database.path, '/proj/db.sqlite3');
  });

  it('parses server databases without keeping a password', () => {
    const d = parseStoreUrl('postgres://app@db.internal:5433/shop', '/', defaults);
    assert.deepEqual(d.database, { vendor: 'postgresql', host: 'db.internal', port: 5433, name: 'shop', user: 'app' });
    assert.throws(() => parseStoreUrl('mysql://root:hunter2@localhost/shop', '/', defaults), (e: unknown) => e instanceof StoreError && !e.message.includes('hunter2'));
  });

  it('names the supported schemes when given an unknown one', () => {
    assert.throws(() => parseStoreUrl('mongodb://x', '/', defaults), /Supported: sqlite/);
    assert.throws(() => parseStoreUrl('db.sqlite3', '/', defaults), (e: unknown) => e instanceof StoreError && e.code === 'bad-url');
  });

  it('names cache stores, and cached_db as a db URL with ?cache=', () => {
    const redis = parseStoreUrl('redis://127.0.0.1:6379/2?key_prefix=shop&client=django-redis', '/', defaults);
    assert.equal(redis.engine, 'cache');
    assert.equal(redis.cache?.keyPrefix, 'shop');
    const cached = parseStoreUrl(`postgres://app@db/shop?cache=${encodeURIComponent('redis://127.0.0.1:6379/1')}`, '/', defaults);
    assert.equal(cached.engine, 'cached_db');
    assert.equal(cached.database?.vendor, 'postgresql');
    assert.ok(cached.cache);
    assert.throws(() => parseStoreUrl('redis://:hunter2@127.0.0.1:6379/0', '/', defaults), (e: unknown) => e instanceof StoreError && e.code === 'bad-url' && !e.message.includes('hunter2'));
  });
});

describe('storeLocation', () => {
  it('names paths and servers, without credentials a cache LOCATION may carry', () => {
    const d = parseStoreUrl('redis://127.0.0.1:6379/1', '/', defaults);
    assert.equal(storeLocation({ ...d, cache: { ...d.cache!, locations: ['redis://:hunter2@10.0.0.5:6379/0'] } }), 'redis://10.0.0.5:6379/0');
    assert.equal(storeLocation(parseStoreUrl('sqlite:db.sqlite3', '/proj', defaults)), '/proj/db.sqlite3');
    assert.equal(storeLocation(parseStoreUrl('postgres://app@db:5433/shop', '/', defaults)), 'postgresql://app@db:5433/shop');
  });
});
