import './vscodeStub';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SessionsTree } from '../../../client/src/sessionsTree';

interface MenuItem {
  command: string;
  when: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };

/** The commands a Sessions view row with this contextValue offers, by the manifest's `viewItem =~ /…/` and `==` clauses. */
function offered(contextValue: string): string[] {
  return manifest.contributes.menus['view/item/context']!
    .filter((item) => {
      const regex = /viewItem =~ \/(.+)\/$/.exec(item.when)?.[1];
      const equals = /viewItem == (\S+)/.exec(item.when)?.[1];
      return regex ? new RegExp(regex).test(contextValue) : equals === contextValue;
    })
    .map((item) => item.command.replace('djangoSessions.', ''))
    .filter((command, i, all) => all.indexOf(command) === i)
    .sort();
}

describe('Sessions view menus', () => {
  it('offer changes only on live sessions whose signature holds, or that the store does not sign; any session can be opened, flushed, or its user logged out', () => {
    const changes = ['clearSession', 'cycleSessionKey', 'setSessionExpiry'];
    assert.deepEqual(offered('session.live.user.valid'), ['expireSession', 'flushSession', 'logoutUser', 'openSession', ...changes].sort());
    // Django never loads an expired session: its data stays as it is, and only a new expiry brings it back.
    assert.deepEqual(offered('session.expired.anonymous.valid'), ['flushSession', 'openSession', 'setSessionExpiry']);
    // The cache engine signs nothing: its sessions change as valid ones do (Redis, memcached).
    assert.deepEqual(offered('session.live.user.unsigned'), ['expireSession', 'flushSession', 'logoutUser', 'openSession', ...changes].sort());
    for (const signature of ['invalid', 'undecodable', 'unverified']) {
      assert.deepEqual(offered(`session.live.anonymous.${signature}`), ['flushSession', 'openSession'], signature);
    }
    assert.deepEqual(offered('session.live.user.valid.drift'), ['expireSession', 'flushSession', 'invalidateCacheEntry', 'logoutUser', 'openSession', ...changes].sort());
    // A cache entry whose row is gone can be dropped or flushed, never changed (the store refuses it).
    assert.deepEqual(offered('session.cacheonly.anonymous.unsigned.drift'), ['flushSession', 'invalidateCacheEntry', 'openSession']);
  });

  it('offer clearing expired sessions on a store that keeps sessions, and reading a cookie and opening the settings on any store', () => {
    const tree = new SessionsTree({} as LanguageClient, () => undefined);
    const contextOf = (engine: string, source?: { uri: string; line: number }) =>
      String(tree.getTreeItem({ kind: 'store', store: { id: engine, label: engine, engine, location: '', notes: [], passwordVariables: [], local: true, cacheDrift: false, watched: false, ...(source ? { source } : {}) } }).contextValue);
    const source = { uri: 'file:///p/settings.py', line: 3 };
    assert.deepEqual(offered(contextOf('db', source)), ['clearExpiredSessions', 'decodeSessionCookie', 'openStoreSource']);
    assert.deepEqual(offered(contextOf('cache')), ['clearExpiredSessions', 'decodeSessionCookie']);
    // Its sessions are in the visitors' browsers: there is nothing to clear, and the server refuses.
    assert.deepEqual(offered(contextOf('signed_cookies', source)), ['decodeSessionCookie', 'openStoreSource']);
  });

  it("offer Find Key in Code on every value under a session's str key, whether or not it can be changed, and nowhere inside a value", () => {
    const tree = new SessionsTree({} as LanguageClient, () => undefined);
    const value = { label: 'cart', type: 'dict', preview: '{}' };
    const owner = { storeId: 's', ref: 'r', displayKey: 'abcd••••', key: 'cart' };
    const contextOf = (node: Parameters<SessionsTree['getTreeItem']>[0]) => String(tree.getTreeItem(node).contextValue);
    assert.deepEqual(offered(contextOf({ kind: 'value', value: { ...value, key: 'cart', editable: true }, owner })), ['deleteSessionValue', 'editSessionValue', 'findKeyInCode']);
    assert.deepEqual(offered(contextOf({ kind: 'value', value: { ...value, key: 'cart' }, owner })), ['deleteSessionValue', 'findKeyInCode']);
    assert.deepEqual(offered(contextOf({ kind: 'value', value: { ...value, key: 'cart' } })), ['findKeyInCode'], 'an expired session, or one whose signature fails');
    assert.deepEqual(offered(contextOf({ kind: 'value', value: { ...value, label: "'1'" } })), [], 'a value inside another, or under a key that is no str');
  });
});
