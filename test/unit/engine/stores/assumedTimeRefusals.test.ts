import * as assert from 'node:assert/strict';
import { assumedTimeSettingsNote, parseStoreUrl, StoreError, storeUrlDefaults } from '../../../../engine/src';
import { refuseClearWithAssumedTime, refuseExpiryWriteWithAssumedTime } from '../../../../engine/src/stores/assumedTimeRefusals';
import { refuseAssumedTimeSettings } from '../../../../engine/src/stores/sessionExpiry';
import { projectWithSettings } from '../project/settingsProject';

/** A store URL read without any project settings, so its time settings are assumed unless it gives them. */
const withoutSettings = (url: string) => parseStoreUrl(url, '/', storeUrlDefaults(undefined));

describe('clear-expired with time settings assumed for a store URL', () => {
  it('refuses where expiry dates are kept without a zone: SQLite, MySQL (also under cached_db), files and caches', () => {
    for (const url of ['sqlite:///tmp/db.sqlite3', 'mysql://root@127.0.0.1/shop', `sqlite:///tmp/db.sqlite3?cache=${encodeURIComponent('redis://127.0.0.1:6379/1')}`, 'file:///tmp/sessions', 'redis://127.0.0.1:6379/1']) {
      assert.throws(
        () => refuseClearWithAssumedTime(withoutSettings(url)),
        (e: unknown) => e instanceof StoreError && e.code === 'write-refused' && /^Nothing was deleted: .*USE_TZ and TIME_ZONE/.test(e.message),
        url,
      );
      assert.throws(() => refuseClearWithAssumedTime(withoutSettings(`${url}${url.includes('?') ? '&' : '?'}use_tz=false`)), /depends on TIME_ZONE, which/, url);
    }
  });

  it('clears where the settings are given or nothing depends on them: PostgreSQL', () => {
    for (const url of ['sqlite:///tmp/db.sqlite3?use_tz=true', 'sqlite:///tmp/db.sqlite3?use_tz=false&time_zone=UTC', 'postgres://root@127.0.0.1/shop', 'redis://127.0.0.1:6379/1?use_tz=true']) {
      assert.doesNotThrow(() => refuseClearWithAssumedTime(withoutSettings(url)), url);
    }
  });

  it('takes USE_TZ or TIME_ZONE the settings set in a way static reading cannot tell as assumed, and refuses what depends on them', async () => {
    const sqlite = 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n';
    const naive = await projectWithSettings(`import os\nSECRET_KEY = "k"\n${sqlite}USE_TZ = False\nTIME_ZONE = os.environ["APP_TZ"]\n`);
    const store = naive.stores[0]!;
    const reason = 'TIME_ZONE: needs environment variable APP_TZ';
    assert.deepEqual([store.assumedTimeSettings, store.assumedTimeReason], [['TIME_ZONE'], reason]);
    assert.match(assumedTimeSettingsNote(store)!, /^expiry dates assume TIME_ZONE = 'America\/Chicago', Django's default up to 4\.2, as the settings do not give it statically \(TIME_ZONE: needs environment variable APP_TZ\)/);
    const settingsWhy = /which the settings do not give statically \(TIME_ZONE: needs environment variable APP_TZ\).* [Mm]ake the settings give it statically/;
    assert.throws(() => refuseClearWithAssumedTime(store), (e: unknown) => e instanceof StoreError && /^Nothing was deleted: SQLite keeps/.test(e.message) && settingsWhy.test(e.message));
    assert.throws(() => refuseAssumedTimeSettings(store), settingsWhy);
    // A store URL given with these settings takes their time settings, as assumed as they are.
    const byUrl = parseStoreUrl('sqlite:other.sqlite3', '/', storeUrlDefaults(store));
    assert.deepEqual([byUrl.assumedTimeSettings, byUrl.assumedTimeReason], [['TIME_ZONE'], reason]);
    // With USE_TZ on, TIME_ZONE changes nothing stored; an unknown USE_TZ is assumed with it.
    const aware = await projectWithSettings(`import os\nSECRET_KEY = "k"\n${sqlite}USE_TZ = True\nTIME_ZONE = os.environ["APP_TZ"]\n`);
    assert.equal(aware.stores[0]!.assumedTimeSettings, undefined);
    const unknownTz = await projectWithSettings(`import os\nSECRET_KEY = "k"\n${sqlite}USE_TZ = os.environ["APP_USE_TZ"] == "1"\n`);
    assert.deepEqual(unknownTz.stores[0]!.assumedTimeSettings, ['USE_TZ']);
  });
});

describe('a change with time settings assumed for a store URL', () => {
  it('is refused where it writes a zone-less expire_date: SQLite and MySQL, also under cached_db', () => {
    for (const url of ['sqlite:///tmp/db.sqlite3', 'mysql://root@127.0.0.1/shop', `sqlite:///tmp/db.sqlite3?cache=${encodeURIComponent('redis://127.0.0.1:6379/1')}`]) {
      assert.throws(
        () => refuseExpiryWriteWithAssumedTime(withoutSettings(url)),
        (e: unknown) => e instanceof StoreError && e.code === 'write-refused' && /^Nothing was changed: (SQLite|MySQL) keeps expire_date as a date without a time zone, so the expiry date written depends on USE_TZ and TIME_ZONE/.test(e.message),
        url,
      );
    }
  });

  it('goes ahead where the URL gives the settings, or nothing written depends on them: PostgreSQL, files, caches', () => {
    for (const url of ['sqlite:///tmp/db.sqlite3?use_tz=true', 'mysql://root@127.0.0.1/shop?use_tz=false&time_zone=UTC', 'postgres://root@127.0.0.1/shop', 'file:///tmp/sessions', 'redis://127.0.0.1:6379/1']) {
      assert.doesNotThrow(() => refuseExpiryWriteWithAssumedTime(withoutSettings(url)), url);
    }
  });
});
