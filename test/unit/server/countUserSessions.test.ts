import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { discoverProjects, openStore, PyDict } from '../../../engine/src';
import { TRUST_UNSEEN_VARIABLE } from '../../../engine/src/stores/sqlite/openByOthers';
import { CountUserSessionsRequest, ListSessionsRequest, ListStoresRequest } from '../../../server/src/protocol';
import { startLanguageServer, type LanguageServer } from './languageServer';
import { writeEmptySessionTable } from '../engine/stores/sqliteFixture';

/** A project on an SQLite store holding two sessions of user 7 (one expired), one of user 1, one anonymous, and a row that is no session data. */
async function project(): Promise<string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-count-user-'));
  fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
  fs.mkdirSync(path.join(root, 'site'));
  fs.writeFileSync(path.join(root, 'site', 'settings.py'), 'SECRET_KEY = "k"\nUSE_TZ = True\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n');
  await writeEmptySessionTable(path.join(root, 'db.sqlite3'));
  const [found] = await discoverProjects(root);
  const store = await openStore(found!.stores[0]!, { sqliteDriver: 'sqljs', env: { ...process.env, [TRUST_UNSEEN_VARIABLE]: '1' } });
  const sessions: Array<[string, PyDict]> = [
    ['seven1aaaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['_auth_user_id', '7']])],
    ['seven2aaaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['_auth_user_id', '7'], ['cart', new PyDict()]])],
    ['oneaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['_auth_user_id', '1']])],
    ['anonymousaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['theme', 'dark']])],
  ];
  for (const [key, data] of sessions) {
    await store.save(key, data, { create: true });
  }
  await store.setExpiry('seven2aaaaaaaaaaaaaaaaaaaaaaaaaa', { kind: 'now' });
  await store.close();
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database(fs.readFileSync(path.join(root, 'db.sqlite3')));
  db.run("INSERT INTO django_session VALUES ('garbageaaaaaaaaaaaaaaaaaaaaaaaaa', 'not session data', '2099-01-01 00:00:00')");
  fs.writeFileSync(path.join(root, 'db.sqlite3'), db.export());
  db.close();
  return root;
}

describe('countUserSessions: how many sessions Log User Out Everywhere would delete', () => {
  let root: string;
  let server: LanguageServer | undefined;

  beforeEach(async () => {
    root = await project();
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("counts the user's sessions, and how many of them expired, and those it could not check, reporting progress on the client's token, and deletes none", async () => {
    server = await startLanguageServer([root], true);
    const progress: Array<{ kind: string; message?: string }> = [];
    server.client.onNotification('$/progress', (params: { token: string; value: { kind: string; message?: string } }) => {
      if (params.token === 'count-7') {
        progress.push(params.value);
      }
    });
    const { stores } = await server.client.sendRequest(ListStoresRequest, {});
    const storeId = stores[0]!.id;
    assert.deepEqual(await server.client.sendRequest(CountUserSessionsRequest, { storeId, userId: '7', workDoneToken: 'count-7' }), { sessions: 2, expired: 1, undecodable: 1 });
    assert.deepEqual(await server.client.sendRequest(CountUserSessionsRequest, { storeId, userId: '9' }), { sessions: 0, undecodable: 1 });
    assert.deepEqual(
      progress.map((p) => p.kind),
      ['begin', ...progress.slice(1, -1).map(() => 'report'), 'end'],
    );
    assert.ok(progress.some((p) => p.message === '5 sessions checked'), JSON.stringify(progress));
    const listed = await server.client.sendRequest(ListSessionsRequest, { storeId, limit: 10, maskKeys: true, withTotal: true });
    assert.equal(listed.total, 5, 'nothing was deleted');
  });
});
