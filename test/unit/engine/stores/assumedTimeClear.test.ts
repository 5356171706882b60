import * as assert from 'node:assert/strict';
import { parseStoreUrl, StoreError, storeUrlDefaults } from '../../../../engine/src';
import { refuseClearWithAssumedTime } from '../../../../engine/src/stores/assumedTimeClear';

/** A store URL read without any project settings, so its time settings are assumed unless it gives them. */
const withoutSettings = (url: string) => parseStoreUrl(url, '/', storeUrlDefaults(undefined));

describe('clear-expired with time settings assumed for a store URL', () => {
  it('refuses where expiry dates are kept without a zone: SQLite, MySQL (also under cached_db) and files', () => {
    for (const url of ['sqlite:///tmp/db.sqlite3', 'mysql://root@127.0.0.1/shop', `sqlite:///tmp/db.sqlite3?cache=${encodeURIComponent('redis://127.0.0.1:6379/1')}`, 'file:///tmp/sessions']) {
      assert.throws(
        () => refuseClearWithAssumedTime(withoutSettings(url)),
        (e: unknown) => e instanceof StoreError && e.code === 'write-refused' && /^Nothing was deleted: .*USE_TZ and TIME_ZONE/.test(e.message),
        url,
      );
      assert.throws(() => refuseClearWithAssumedTime(withoutSettings(`${url}${url.includes('?') ? '&' : '?'}use_tz=false`)), /depends on TIME_ZONE, which/, url);
    }
  });

  it('clears where the settings are given or nothing depends on them: PostgreSQL, caches', () => {
    for (const url of ['sqlite:///tmp/db.sqlite3?use_tz=true', 'sqlite:///tmp/db.sqlite3?use_tz=false&time_zone=UTC', 'postgres://root@127.0.0.1/shop', 'redis://127.0.0.1:6379/1']) {
      assert.doesNotThrow(() => refuseClearWithAssumedTime(withoutSettings(url)), url);
    }
  });
});
