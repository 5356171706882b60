import * as vscode from 'vscode';
import { BulkDeleteRequest, EditSessionRequest, type ExpiryChoice, type SessionEdit } from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { confirmChanges, maskKeys } from './config';
import type { SessionsNode } from './sessionsTree';

type SessionNode = Extract<SessionsNode, { kind: 'session' }>;
type ValueNodeRow = Extract<SessionsNode, { kind: 'value' }>;
type StoreNode = Extract<SessionsNode, { kind: 'store' }>;

/**
 * What the Sessions view's actions do. Each change goes to the server, which re-reads the session
 * and refuses if Django wrote to it in between; destructive ones ask first.
 */
export class SessionActions {
  constructor(private readonly ctx: Ctx) {}

  async flush(node: SessionNode): Promise<void> {
    if (await this.confirm(`Delete session ${node.session.displayKey}?`, 'Its user is logged out and its data is gone.', 'Delete Session', node.storeId)) {
      await this.edit(node, { kind: 'flush' }, 'Session deleted.');
    }
  }

  async clear(node: SessionNode): Promise<void> {
    if (await this.confirm(`Clear session ${node.session.displayKey}?`, 'Every value is removed (a logged-in user is logged out); the session itself stays.', 'Clear Session', node.storeId)) {
      await this.edit(node, { kind: 'clear' }, 'Session cleared.');
    }
  }

  async expireNow(node: SessionNode): Promise<void> {
    if (await this.confirm(`Expire session ${node.session.displayKey} now?`, 'Django will treat it as gone on the next request.', 'Expire Now', node.storeId)) {
      await this.edit(node, { kind: 'setExpiry', expiry: { kind: 'now' } }, 'Session expired.');
    }
  }

  /** `given` lets scripts and other extensions skip the pickers. */
  async setExpiry(node: SessionNode, given?: ExpiryChoice): Promise<void> {
    const expiry = given ?? (await pickExpiry());
    if (expiry) {
      await this.edit(node, { kind: 'setExpiry', expiry }, 'Expiry changed.');
    }
  }

  async cycleKey(node: SessionNode): Promise<void> {
    if (await this.confirm(`Give session ${node.session.displayKey} a new key?`, 'The browser holding the old key loses the session, as after cycle_key().', 'Cycle Key', node.storeId)) {
      await this.edit(node, { kind: 'cycleKey' }, 'Session key cycled.');
    }
  }

  /** cached_db: makes Django serve the row instead of a cache entry that differs from it. */
  async invalidateCache(node: SessionNode): Promise<void> {
    if (await this.confirm(`Drop the cache entry of session ${node.session.displayKey}?`, 'Django then loads the session from its row; a session that has no row is gone.', 'Drop Cache Entry', node.storeId)) {
      await this.edit(node, { kind: 'invalidateCache' }, 'Cache entry dropped.');
    }
  }

  /** `given` (JSON text) lets scripts and other extensions skip the input box. */
  async editValue(node: ValueNodeRow, given?: string): Promise<void> {
    const owner = node.owner;
    if (!owner) {
      return;
    }
    const json = given ?? await vscode.window.showInputBox({
      title: `Edit "${owner.key}"`,
      prompt: 'The new value as JSON, e.g. "text", 42, true, [1, 2] or {"a": 1}.',
      value: node.value.json ?? '',
      validateInput: (text) => (validJson(text) ? undefined : 'Not valid JSON.'),
    });
    if (json !== undefined) {
      await this.editOwner(owner, { kind: 'setValue', key: owner.key, json }, `"${owner.key}" saved.`);
    }
  }

  async deleteValue(node: ValueNodeRow): Promise<void> {
    const owner = node.owner;
    if (owner && (await this.confirm(`Remove "${owner.key}" from the session?`, 'Like del request.session[key].', 'Remove', owner.storeId))) {
      await this.editOwner(owner, { kind: 'deleteValue', key: owner.key }, `"${owner.key}" removed.`);
    }
  }

  async clearExpired(node?: StoreNode): Promise<void> {
    const store = node?.store ?? (await this.pickStore());
    if (store && (await this.confirm(`Delete every expired session in ${store.label}?`, 'What manage.py clearsessions would delete.', 'Clear Expired', store.id))) {
      await this.bulk(store.id, undefined);
    }
  }

  async logoutUser(node: SessionNode): Promise<void> {
    const userId = node.session.userId;
    if (userId !== undefined && (await this.confirm(`Log user ${userId} out everywhere?`, 'Every session of this user is deleted.', 'Log Out', node.storeId))) {
      await this.bulk(node.storeId, userId);
    }
  }

  private async bulk(storeId: string, userId: string | undefined): Promise<void> {
    await this.run(async () => {
      const result = await this.ctx.client.sendRequest(BulkDeleteRequest, { storeId, userId });
      const what = `${result.deleted} session${result.deleted === 1 ? '' : 's'} deleted`;
      void vscode.window.showInformationMessage(result.cancelled ? `Stopped: ${what} before cancelling.` : `${what}.`);
    });
  }

  private edit(node: SessionNode, edit: SessionEdit, done: string): Promise<void> {
    return this.editOwner({ storeId: node.storeId, ref: node.session.ref }, edit, done);
  }

  private editOwner(owner: { storeId: string; ref: string }, edit: SessionEdit, done: string): Promise<void> {
    return this.run(async () => {
      await this.ctx.client.sendRequest(EditSessionRequest, { storeId: owner.storeId, ref: owner.ref, edit, maskKeys: maskKeys() });
      vscode.window.setStatusBarMessage(`Django Sessions: ${done}`, 4000);
    });
  }

  /** Runs a change, shows a failure (a conflict, a refused write) as it is, and refreshes the view either way. */
  private async run(change: () => Promise<void>): Promise<void> {
    try {
      await change();
    } catch (err) {
      void vscode.window.showErrorMessage(`Django Sessions: ${(err as Error).message}`);
    } finally {
      this.ctx.tree.refresh();
    }
  }

  /** Asks first, unless the user turned confirmations off; a store off this machine is always confirmed. */
  private async confirm(message: string, detail: string, action: string, storeId: string): Promise<boolean> {
    const store = (await this.ctx.tree.fetchStores()).find((s) => s.id === storeId);
    if (!confirmChanges() && store?.local === true) {
      return true;
    }
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  }

  private async pickStore() {
    const stores = await this.ctx.tree.fetchStores();
    if (stores.length === 0) {
      void vscode.window.showInformationMessage('Django Sessions found no session store in this workspace.');
      return undefined;
    }
    if (stores.length === 1) {
      return stores[0];
    }
    return (await vscode.window.showQuickPick(stores.map((store) => ({ label: store.label, detail: store.location, store }))))?.store;
  }
}

async function pickExpiry(): Promise<ExpiryChoice | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'After a period of inactivity…', description: 'set_expiry(seconds)', choice: 'seconds' as const },
      { label: 'At a date and time…', description: 'the seconds until then, as Django 3.2 can read', choice: 'at' as const },
      { label: 'When the browser closes', description: 'set_expiry(0)', choice: 'browser-close' as const },
      { label: 'The default', description: 'set_expiry(None): SESSION_COOKIE_AGE', choice: 'default' as const },
    ],
    { title: 'Set session expiry' },
  );
  const choice = picked?.choice;
  if (!choice) {
    return undefined;
  }
  if (choice === 'seconds') {
    const text = await vscode.window.showInputBox({ title: 'Expire after how many seconds of inactivity?', value: '3600', validateInput: (t) => (/^\d+$/.test(t.trim()) && Number(t) > 0 ? undefined : 'A whole number of seconds above 0.') });
    return text === undefined ? undefined : { kind: 'seconds', seconds: Number(text.trim()) };
  }
  if (choice === 'at') {
    const text = await vscode.window.showInputBox({
      title: 'Expire at (ISO 8601 with Z or an offset)',
      value: `${new Date(Date.now() + 86_400_000).toISOString().slice(0, 19)}Z`,
      validateInput: (t) => (ISO_WITH_ZONE.test(t.trim()) && !Number.isNaN(Date.parse(t.trim())) ? undefined : 'A date and time with its zone, e.g. 2030-01-01T12:00:00Z or 2030-01-01T13:00:00+01:00.'),
    });
    return text === undefined ? undefined : { kind: 'at', iso: text.trim() };
  }
  return { kind: choice };
}

/** Local times would depend on the editor's zone, so an explicit zone is required. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function validJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
