import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import type { SessionsNode } from '../../../client/src/sessionsTree';
import { PyDict } from '../../../engine/src/codec';
import { encodeCacheValue } from '../../../engine/src/stores/cache/cacheValueCodec';
import { REDIS, requireService, runTag } from '../../interop/localServices';
import { saveSettings } from './demoSettings';
import { readyApi } from './readyApi';

const REDIS_DB = 13;
const ENGINE_LINE = 'SESSION_ENGINE = "django.contrib.sessions.backends.db"';
const DB_LABEL = 'db · SQLite · db.sqlite3';
const CACHED_DB_LABEL = 'cached_db · SQLite · db.sqlite3 · Redis';

describe('cached_db: cache entries Django serves instead of the table', () => {
  const prefix = runTag();
  const orphanKey = `orphan${runTag()}abcdefghijklmnop`;
  const cacheKey = `${prefix}:1:django.contrib.sessions.cached_db${orphanKey}`;
  let api: DjangoSessionsApi;
  let document: vscode.TextDocument;
  let original: string;
  let redis: Redis | undefined;

  before(async function () {
    await requireService(this, REDIS);
    api = await readyApi();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, 'shop', 'settings.py')));
    original = document.getText();
    assert.ok(original.includes(ENGINE_LINE), 'the demo settings name the db engine');
    redis = new Redis({ host: '127.0.0.1', port: REDIS.port, db: REDIS_DB });
    // A session whose row is gone but whose cache entry lives on: Django still logs user 7 in with it.
    const value = encodeCacheValue(new PyDict([['_auth_user_id', '7']]), { client: 'django', pickleProtocol: 4 });
    await redis.set(cacheKey, Buffer.from(value.bytes), 'EX', 600);
    await vscode.workspace.getConfiguration().update('djangoSessions.view.confirmChanges', false, vscode.ConfigurationTarget.Workspace);
    const cachedDb = original.replace(ENGINE_LINE, 'SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"') +
      `\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:${REDIS.port}/${REDIS_DB}", "KEY_PREFIX": "${prefix}"}}\n`;
    const stores = await saveSettings(api, document, cachedDb, CACHED_DB_LABEL);
    assert.deepEqual(stores.map((n) => String(api.sessionsTree.getTreeItem(n).label)), [CACHED_DB_LABEL]);
  });

  after(async () => {
    await redis?.del(cacheKey);
    redis?.disconnect();
    await vscode.workspace.getConfiguration().update('djangoSessions.view.confirmChanges', undefined, vscode.ConfigurationTarget.Workspace);
    if (document) {
      const stores = await saveSettings(api, document, original, DB_LABEL);
      assert.deepEqual(stores.map((n) => String(api.sessionsTree.getTreeItem(n).label)), [DB_LABEL]);
    }
  });

  it('lists a cache-only session under "Cache out of sync", and flushing it deletes the entry', async () => {
    const [store] = await api.sessionsTree.getChildren();
    const drift = (await api.sessionsTree.getChildren(store)).find((n) => n.kind === 'drift');
    assert.ok(drift, 'a cached_db store offers its cache drift');
    assert.equal(api.sessionsTree.getTreeItem(drift).label, 'Cache out of sync');
    const rows = (await api.sessionsTree.getChildren(drift)).filter((n): n is Extract<SessionsNode, { kind: 'session' }> => n.kind === 'session');
    assert.equal(rows.length, 1, 'only the orphan differs: the demo rows have no cache entries yet');
    assert.equal(rows[0]!.session.userId, '7');
    assert.ok(rows[0]!.session.cacheWarning, 'the row says how the cache differs');
    // A stale entry's session is also a row of the store's own list: tree ids must still differ.
    assert.equal(api.sessionsTree.getTreeItem(rows[0]!).id, `drift-session:${rows[0]!.session.ref}`);

    await vscode.commands.executeCommand('djangoSessions.flushSession', rows[0]);
    assert.equal(await redis!.exists(cacheKey), 0, 'the cache entry is gone, so Django can no longer serve it');
    const [after] = await api.sessionsTree.getChildren();
    const driftAfter = (await api.sessionsTree.getChildren(after)).find((n) => n.kind === 'drift');
    assert.ok(driftAfter);
    const left = await api.sessionsTree.getChildren(driftAfter);
    assert.deepEqual(left.map((n) => n.kind), ['message']);
  });

  it('drops a stale cache entry so Django serves the row again, and keeps the row', async () => {
    const sessionRows = async (parent: SessionsNode) => (await api.sessionsTree.getChildren(parent)).filter((n): n is Extract<SessionsNode, { kind: 'session' }> => n.kind === 'session');
    await vscode.workspace.getConfiguration().update('djangoSessions.view.maskKeys', false, vscode.ConfigurationTarget.Workspace);
    let staleKey: string | undefined;
    try {
      const [store] = await api.sessionsTree.getChildren();
      const row = (await sessionRows(store!)).find((s) => s.session.userId === '1' && !s.session.expired);
      assert.ok(row, 'user 1 has a live session in the demo');
      const sessionKey = row.session.displayKey;
      assert.match(sessionKey, /^[a-z0-9]{32}$/, 'keys are shown in full when maskKeys is off');
      // The cache still says user 666 where the row says user 1: Django would serve user 666.
      staleKey = `${prefix}:1:django.contrib.sessions.cached_db${sessionKey}`;
      await redis!.set(staleKey, Buffer.from(encodeCacheValue(new PyDict([['_auth_user_id', '666']]), { client: 'django', pickleProtocol: 4 }).bytes), 'EX', 600);

      const [again] = await api.sessionsTree.getChildren();
      const drift = (await api.sessionsTree.getChildren(again)).find((n) => n.kind === 'drift');
      assert.ok(drift);
      const stale = (await sessionRows(drift)).find((s) => s.session.displayKey === sessionKey);
      assert.ok(stale?.session.cacheWarning, 'the stale entry is listed as out of sync');
      assert.match(String(api.sessionsTree.getTreeItem(stale).contextValue), /^session\..*\.drift$/, 'the drop action is offered on it');
      assert.equal(stale.session.userId, '666', 'the out-of-sync row shows what Django serves');
      const served = (await api.sessionsTree.getChildren(stale)).find((n) => n.kind === 'value' && n.value.key === '_auth_user_id');
      assert.ok(served?.kind === 'value' && served.value.preview.includes('666'), 'its values are those of the cache entry');
      assert.equal(api.sessionsTree.getTreeItem(served).contextValue, 'value.key', 'which are not edited (an edit would go to the row), though their keys can be found in the code');

      await vscode.commands.executeCommand('djangoSessions.invalidateCacheEntry', stale);
      assert.equal(await redis!.exists(staleKey), 0, 'the cache entry is gone');
      const [after] = await api.sessionsTree.getChildren();
      assert.ok((await sessionRows(after!)).some((s) => s.session.displayKey === sessionKey), 'the row is still there for Django to serve');
    } finally {
      await vscode.workspace.getConfiguration().update('djangoSessions.view.maskKeys', undefined, vscode.ConfigurationTarget.Workspace);
      if (staleKey) {
        await redis?.del(staleKey);
      }
    }
  });
});
