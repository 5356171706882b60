import * as vscode from 'vscode';
import { GetSessionRequest, ListSessionsRequest, type StoreInfo } from '../../server/src/protocol';
import { maskKeys, pageSize } from './config';
import type { Ctx } from './ctx';
import type { SessionsNode } from './sessionsTree';
import { describeSession } from './sessionText';
import { usernameHint } from './usernameHint';

export type SessionRow = Extract<SessionsNode, { kind: 'session' }>;
export type ValueRow = Extract<SessionsNode, { kind: 'value' }>;

const MORE = { label: '$(ellipsis) Load more sessions…', alwaysShow: true } as const;

/**
 * Quick picks that stand in for a row of the Sessions view when an action runs from the command
 * palette or a keybinding: store, then session, then one of its keys. Each returns undefined when the
 * user backs out or there is nothing to pick (saying so), and shows a failure instead of throwing it.
 */
export class SessionPicker {
  constructor(private readonly ctx: Ctx) {}

  /** A store, without asking when there is one; `only` narrows them to those the action applies to. */
  async store(title: string, only: (store: StoreInfo) => boolean = () => true, none = 'Django Sessions found no session store in this workspace.'): Promise<StoreInfo | undefined> {
    const stores = await this.guard(async () => (await this.ctx.tree.fetchStores()).filter(only));
    if (!stores) {
      return undefined;
    }
    if (stores.length <= 1) {
      if (stores.length === 0) {
        void vscode.window.showInformationMessage(none);
      }
      return stores[0];
    }
    return (await vscode.window.showQuickPick(stores.map((store) => ({ label: store.label, detail: store.location, store })), { title }))?.store;
  }

  /**
   * A session of a store, a page at a time, keys shown as the view shows them. `drift` lists a
   * cached_db store's cache entries that differ from its table instead; `changeable`, only the
   * sessions whose signature holds, the only ones a change is made to (Django ignores the rest);
   * `live`, only those that have not expired, whose data a change other than a new expiry may touch
   * (the store refuses to bring an expired one back that way), as the view's menus offer them.
   */
  async session(title: string, options: { only?: (store: StoreInfo) => boolean; none?: string; drift?: boolean; changeable?: boolean; live?: boolean } = {}): Promise<SessionRow | undefined> {
    const store = await this.store(title, options.only, options.none);
    if (!store) {
      return undefined;
    }
    const drift = options.drift === true;
    const items: Array<vscode.QuickPickItem & { row: SessionRow }> = [];
    let page: string | undefined;
    for (;;) {
      const next = await this.guard(() => this.ctx.client.sendRequest(ListSessionsRequest, { storeId: store.id, limit: pageSize(), maskKeys: maskKeys(), page, cacheDrift: drift }));
      if (!next) {
        return undefined;
      }
      const shown = next.sessions.filter((session) => (!options.changeable || session.signature === 'valid' || session.signature === 'unsigned') && (!options.live || !session.expired));
      items.push(...shown.map((session) => ({ label: session.displayKey, description: describeSession(session), row: { kind: 'session' as const, storeId: store.id, session, drift } })));
      page = next.nextPage;
      // A SCAN page can be empty and still have more after it, so only the last page proves there are none.
      if (items.length === 0 && !page) {
        const none = options.changeable ? `No session in ${store.label} can be changed: none ${options.live ? 'is live with' : 'has'} a signature that holds.` : `No sessions in ${store.label}.`;
        void vscode.window.showInformationMessage(drift ? `Every cache entry of ${store.label} matches its row.` : none);
        return undefined;
      }
      const picked = await vscode.window.showQuickPick<vscode.QuickPickItem>(page ? [...items, MORE] : items, { title, placeHolder: store.label, matchOnDescription: true });
      if (picked !== MORE) {
        return (picked as (typeof items)[number] | undefined)?.row;
      }
    }
  }

  /** A top-level key of a session, with its value; `editable` offers only values JSON holds exactly. */
  async value(title: string, editable: boolean): Promise<ValueRow | undefined> {
    const row = await this.session(title, { changeable: true, live: true });
    if (!row) {
      return undefined;
    }
    const found = await this.guard(() => this.ctx.client.sendRequest(GetSessionRequest, { storeId: row.storeId, ref: row.session.ref, maskKeys: maskKeys() }));
    if (!found) {
      return undefined;
    }
    const values = found.session?.data.filter((value) => value.key !== undefined && (!editable || value.editable)) ?? [];
    if (values.length === 0) {
      const why = found.unlisted ? 'is no longer listed; pick it again' : !found.session ? 'no longer exists' : editable ? 'has no value that JSON holds exactly' : 'has no values';
      void vscode.window.showInformationMessage(`Session ${row.session.displayKey} ${why}.`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(values.map((value) => ({ label: value.label, description: value.preview, value })), {
      title: `${editable ? 'Edit' : 'Remove'} which value of session ${row.session.displayKey}?`,
      placeHolder: 'the session\'s keys',
    });
    return picked && { kind: 'value', value: picked.value, owner: { storeId: row.storeId, ref: row.session.ref, displayKey: row.session.displayKey, key: picked.value.key! } };
  }

  /** A user id, as Django stores it in `_auth_user_id`; one that looks like a username is warned about, not refused (a primary key may be text). */
  userId(storeLabel: string): Thenable<string | undefined> {
    return vscode.window
      .showInputBox({
        title: `Log which user out of ${storeLabel}?`,
        prompt: 'The user id, as in the session\'s _auth_user_id.',
        validateInput: (text) => {
          const hint = usernameHint(text.trim());
          return !text.trim() ? 'A user id.' : hint ? { message: hint, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
        },
      })
      .then((text) => text?.trim());
  }

  private async guard<T>(ask: () => Promise<T>): Promise<T | undefined> {
    try {
      return await ask();
    } catch (err) {
      void vscode.window.showErrorMessage(`Django Sessions: ${(err as Error).message}`);
      return undefined;
    }
  }
}
