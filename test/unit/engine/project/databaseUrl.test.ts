import * as assert from 'node:assert/strict';
import { databaseFromUrl } from '../../../../engine/src/project/databaseUrl';
import { settingValueToJson } from '../../../../engine/src/project';

describe('database URLs', () => {
  it('reads dj_database_url style URLs', () => {
    assert.deepEqual(settingValueToJson(databaseFromUrl('sqlite:///db.sqlite3')), { ENGINE: 'django.db.backends.sqlite3', NAME: 'db.sqlite3' });
    assert.deepEqual(settingValueToJson(databaseFromUrl('sqlite:////abs/db.sqlite3')), { ENGINE: 'django.db.backends.sqlite3', NAME: '/abs/db.sqlite3' });
    assert.deepEqual(settingValueToJson(databaseFromUrl('mysql://u:p%40ss@h/app')), { ENGINE: 'django.db.backends.mysql', NAME: 'app', USER: 'u', PASSWORD: 'p@ss', HOST: 'h', PORT: '' });
    // GeoNode's default DATABASE_URL: GeoDjango's SQLite.
    assert.deepEqual(settingValueToJson(databaseFromUrl('spatialite:////srv/geonode/development.db')), { ENGINE: 'django.contrib.gis.db.backends.spatialite', NAME: '/srv/geonode/development.db' });
    // django-environ's README spells PostgreSQL psql:// (DefectDojo).
    assert.deepEqual(settingValueToJson(databaseFromUrl('psql://u:p@h:5432/app')), { ENGINE: 'django.db.backends.postgresql', NAME: 'app', USER: 'u', PASSWORD: 'p', HOST: 'h', PORT: 5432 });
    assert.deepEqual(databaseFromUrl('oracle://x'), { kind: 'unknown', reason: "unsupported database URL scheme 'oracle'" });
  });

  it("percent-decodes as Python's unquote does, keeping a U+FEFF and replacing bad bytes", () => {
    // dj_database_url unquotes; a '%' that starts no escape stays, where decodeURIComponent would throw.
    const stray = databaseFromUrl('postgres://u:50%off@h/app');
    assert.deepEqual(stray.kind === 'dict' && stray.entries.get('PASSWORD'), { kind: 'str', value: '50%off' });
    // unquote('%EF%BB%BFp%EF%BB%BFw%ff') == '\ufeffp\ufeffw\ufffd' in CPython.
    const db = databaseFromUrl('postgres://%EF%BB%BFu:%EF%BB%BFp%EF%BB%BFw%ff@h/app');
    assert.deepEqual(db.kind === 'dict' ? [db.entries.get('USER'), db.entries.get('PASSWORD')].map((v) => v?.kind === 'str' && v.value) : undefined, ['\ufeffu', '\ufeffp\ufeffw\ufffd']);
  });

  it('keeps the name of the variable that held the password', () => {
    const db = databaseFromUrl('postgres://u:secret@h:5433/app', 'DATABASE_URL');
    const password = db.kind === 'dict' ? db.entries.get('PASSWORD') : undefined;
    assert.deepEqual(password, { kind: 'str', value: 'secret', envVar: 'DATABASE_URL' });
  });
});
