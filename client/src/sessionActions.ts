import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { bulkOutcome } from './bulkOutcome';
import { WorkDoneProgress } from 'vscode-languageclient/node';
import { BulkDeleteRequest, CheckValueRequest, CountUserSessionsRequest, EditSessionRequest, ListSessionsRequest, type CountUserSessionsResult, type EditSessionResult, type ExpiryChoice, type SessionEdit, type StoreInfo } from '../../server/src/protocol';
import { asksFirst, confirmChange, ELSEWHERE } from './confirmChange';
import { logoutQuestion } from './logoutQuestion';
import type { ChangeKind } from './confirmPolicy';
import type { Ctx } from './ctx';
import { SessionPicker, type SessionRow, type ValueRow } from './sessionPicker';
import { expiryInPast } from './expiryInPast';
import { keepsSessions } from './keepsSessions';
import { readableJson } from './readableJson';
import type { SessionsNode } from './sessionsTree';

type StoreNode = Extract<SessionsNode, { kind: 'store' }>;

/** What the status bar says once a change is made, from what the server answered where that names something. */
type Done = string | ((result: EditSessionResult) => string);

/**
 * What the Sessions view's actions do, on the row they were invoked on, or on one picked when they
 * run from the command palette or a keybinding. Each change goes to the server, which re-reads the
 * session and refuses if Django wrote to it in between; destructive ones ask first, and so does any
 * change to a store on another machine.
 */
export class SessionActions {
  private readonly pick: SessionPicker;

  constructor(private readonly ctx: Ctx) {
    this.pick = new SessionPicker(ctx);
  }

  async flush(node?: SessionRow): Promise<void> {
    const row = node ?? (await this.pick.session('Delete which session?'));
    if (row && (await this.confirm('destructive', `Delete session ${row.session.displayKey}?`, row.session.userId !== undefined ? 'Its user is logged out and its data is gone.' : 'Its data is gone, and the browser holding its key starts a new session.', 'Delete Session', row.storeId))) {
      await this.edit(row, { kind: 'flush' }, 'Session deleted.');
    }
  }

  async clear(node?: SessionRow): Promise<void> {
    const row = node ?? (await this.pick.session('Clear which session?', { changeable: true, live: true }));
    if (row && (await this.confirm('destructive', `Clear session ${row.session.displayKey}?`, 'Every value is removed (a logged-in user is logged out); the session itself stays.', 'Clear Session', row.storeId))) {
      await this.edit(row, { kind: 'clear' }, 'Session cleared.');
    }
  }

  async expireNow(node?: SessionRow): Promise<void> {
    const row = node ?? (await this.pick.session('Expire which session now?', { changeable: true, live: true }));
    if (row && (await this.confirm('destructive', `Expire session ${row.session.displayKey} now?`, 'Django will treat it as gone on the next request.', 'Expire Now', row.storeId))) {
      await this.edit(row, { kind: 'setExpiry', expiry: { kind: 'now' } }, 'Session expired.');
    }
  }

  /** `given` lets scripts and other extensions skip the pickers. */
  async setExpiry(node?: SessionRow, given?: ExpiryChoice): Promise<void> {
    const row = node ?? (await this.pick.session('Set the expiry of which session?', { changeable: true }));
    const expiry = row && (given ?? (await pickExpiry(row.session.displayKey)));
    if (!row || !expiry) {
      return;
    }
    // A date that has passed expires the session at once: asked as Expire Now asks.
    const confirmed =
      expiry.kind === 'at' && expiryInPast(expiry.iso)
        ? await this.confirm('destructive', `Expire session ${row.session.displayKey} now?`, `${expiry.iso} has passed, so Django will treat the session as gone on the next request.`, 'Expire Now', row.storeId)
        : await this.confirm('edit', `Change the expiry of session ${row.session.displayKey}?`, ELSEWHERE, 'Set Expiry', row.storeId);
    if (confirmed) {
      await this.edit(row, { kind: 'setExpiry', expiry }, 'Expiry changed.');
    }
  }

  async cycleKey(node?: SessionRow): Promise<void> {
    const row = node ?? (await this.pick.session('Give which session a new key?', { changeable: true, live: true }));
    if (row && (await this.confirm('destructive', `Give session ${row.session.displayKey} a new key?`, 'Its data moves to a new key, as cycle_key() does, but no response takes the new key to the browser holding the old one: that browser loses the session (a logged-in user is logged out).', 'Cycle Key', row.storeId))) {
      // The row moves to where the new key sorts: name it, and select it once the store is listed again.
      let moved: string | undefined;
      await this.edit(row, { kind: 'cycleKey' }, (result) => {
        moved = result.cycled?.ref;
        return result.cycled ? `Session key cycled: the session is now ${result.cycled.maskedKey}.` : 'Session key cycled.';
      });
      if (moved !== undefined) {
        await this.ctx.revealSession(row.storeId, moved);
      }
    }
  }

  /** cached_db: makes Django serve the row instead of a cache entry that differs from it. */
  async invalidateCache(node?: SessionRow): Promise<void> {
    const row =
      node ??
      (await this.pick.session('Drop the cache entry of which session?', { only: (store) => store.cacheDrift, none: 'No store in this workspace uses the cached_db engine with a cache this extension reads.', drift: true }));
    if (row && (await this.confirm('destructive', `Drop the cache entry of session ${row.session.displayKey}?`, 'Django then loads the session from its row; a session that has no row is gone.', 'Drop Cache Entry', row.storeId))) {
      await this.edit(row, { kind: 'invalidateCache' }, 'Cache entry dropped.');
    }
  }

  /** `given` (JSON text) lets scripts and other extensions skip the input box. */
  async editValue(node?: ValueRow, given?: string): Promise<void> {
    const row = node ?? (await this.pick.value('Edit a value of which session?', true));
    const owner = row?.owner;
    if (!row || !owner) {
      return;
    }
    const json = given ?? await vscode.window.showInputBox({
      title: `Edit "${owner.key}" of session ${owner.displayKey}`,
      prompt: 'The new value as JSON, e.g. "text", 42, true, [1, 2] or {"a": 1}.',
      value: readableJson(row.value.json ?? ''),
      validateInput: (text) => this.checkValue(text),
    });
    if (json !== undefined && (await this.confirm('edit', `Save "${owner.key}" in session ${owner.displayKey}?`, ELSEWHERE, 'Save', owner.storeId))) {
      await this.editOwner(owner, { kind: 'setValue', key: owner.key, json, ...(row.value.json !== undefined ? { expected: row.value.json } : {}) }, `"${owner.key}" saved.`, json);
    }
  }

  async deleteValue(node?: ValueRow): Promise<void> {
    const row = node ?? (await this.pick.value('Remove a value from which session?', false));
    const owner = row?.owner;
    if (owner && (await this.confirm('destructive', `Remove "${owner.key}" from session ${owner.displayKey}?`, `Like del request.session[${JSON.stringify(owner.key)}].`, 'Remove', owner.storeId))) {
      await this.editOwner(owner, { kind: 'deleteValue', key: owner.key, ...(row.value.json !== undefined ? { expected: row.value.json } : {}) }, `"${owner.key}" removed.`);
    }
  }

  async clearExpired(node?: StoreNode): Promise<void> {
    const store = node?.store ?? (await this.pick.store('Clear the expired sessions of which store?', keepsSessions, NO_SESSIONS_KEPT));
    if (!store) {
      return;
    }
    // A database counts them at once (a cache or a file store would read every session, so they are not counted first).
    let expired: number | undefined;
    try {
      expired = (await this.ctx.client.sendRequest(ListSessionsRequest, { storeId: store.id, limit: 1, maskKeys: true, withTotal: true, filter: { state: 'expired' } })).total;
    } catch (err) {
      void vscode.window.showErrorMessage(`Django Sessions: ${(err as Error).message}`);
      return;
    }
    if (expired === 0) {
      void vscode.window.showInformationMessage(`No expired sessions in ${store.label}: nothing to delete.`);
      return;
    }
    const which = expired === undefined ? 'every expired session' : `the ${expired} expired session${expired === 1 ? '' : 's'}`;
    if (await this.confirm('destructive', `Delete ${which} in ${store.label}?`, 'What manage.py clearsessions would delete.', 'Clear Expired', store.id)) {
      await this.bulk(store.id, store.label, undefined);
    }
  }

  /**
   * Where it asks first, the question says how many sessions the user has, as the server counts
   * them (in a notification that can be cancelled), or says there are none and asks nothing.
   */
  async logoutUser(node?: SessionRow): Promise<void> {
    const store = node ? { id: node.storeId, label: (await this.storeOf(node.storeId))?.label ?? node.storeId } : await this.pick.store('Log a user out of which store?', keepsSessions, NO_SESSIONS_KEPT);
    const userId = node ? node.session.userId : store && (await this.pick.userId(store.label));
    if (!store || userId === undefined) {
      return;
    }
    if (!asksFirst('destructive', (await this.storeOf(store.id))?.local === true)) {
      await this.bulk(store.id, store.label, userId);
      return;
    }
    const counted = await this.countUserSessions(store.id, store.label, userId);
    if (!counted) {
      return;
    }
    const question = logoutQuestion(counted, store.label, userId);
    if ('nothing' in question) {
      void (question.warn ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(question.nothing);
      return;
    }
    if (await this.confirm('destructive', question.ask.message, question.ask.detail, 'Log Out', store.id)) {
      await this.bulk(store.id, store.label, userId);
    }
  }

  /** The server's count of a user's sessions, in a notification that can be cancelled; undefined when cancelled or failed (the failure shown). */
  private countUserSessions(storeId: string, storeLabel: string, userId: string): Thenable<CountUserSessionsResult | undefined> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Counting the sessions of user ${userId} in ${storeLabel}`, cancellable: true }, async (progress, token) => {
      const workDoneToken = randomUUID();
      const reports = this.ctx.client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind !== 'end' && value.message) {
          progress.report({ message: value.message });
        }
      });
      try {
        return await this.ctx.client.sendRequest(CountUserSessionsRequest, { storeId, userId, workDoneToken }, token);
      } catch (err) {
        if (!token.isCancellationRequested) {
          void vscode.window.showErrorMessage(`Django Sessions: ${(err as Error).message}`);
        }
        return undefined;
      } finally {
        reports.dispose();
      }
    });
  }

  /** Shows a session whole, as a JSONC document beside what the view shows of it, to read or to edit and save. */
  async open(node?: SessionRow): Promise<void> {
    const row = node ?? (await this.pick.session('Open which session?'));
    if (row) {
      await this.ctx.documents.openInEditor(row.storeId, row.session.ref, row.session.maskedKey);
    }
  }

  /** Opens the settings file that configured a store, at the line that did. */
  async openStoreSource(node?: StoreNode): Promise<void> {
    const store = node?.store ?? (await this.pick.store('Open the settings of which store?', (s) => s.source !== undefined, 'No store in this workspace comes from a settings file.'));
    if (store?.source) {
      const line = Math.max(0, store.source.line - 1);
      await vscode.window.showTextDocument(vscode.Uri.parse(store.source.uri), { selection: new vscode.Range(line, 0, line, 0) });
    }
  }

  /**
   * Edit Value's check of what is typed, asked of the server, which reads the value on saving: a
   * server that does not answer lets the text through, and saving it then says what went wrong.
   */
  private async checkValue(json: string): Promise<string | undefined> {
    const { valid } = await this.ctx.client.sendRequest(CheckValueRequest, { json }).then(undefined, () => ({ valid: true }));
    return valid ? undefined : 'Enter the value as JSON: "text" in double quotes, 42, true, null, [1, 2] or {"a": 1}.';
  }

  /**
   * A bulk deletion in a notification with a Cancel button, which cancels the request. The server
   * reports on the token given here instead of creating progress of its own, so it shows once.
   */
  private bulk(storeId: string, storeLabel: string, userId: string | undefined): Promise<void> {
    const title = userId === undefined ? `Clearing expired sessions in ${storeLabel}` : `Logging user ${userId} out of ${storeLabel}`;
    return this.run(storeId, () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        const workDoneToken = randomUUID();
        const reports = this.ctx.client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind !== 'end' && value.message) {
            progress.report({ message: value.message });
          }
        });
        try {
          const result = await this.ctx.client.sendRequest(BulkDeleteRequest, { storeId, userId, workDoneToken }, token);
          const show = result.undecodable && userId !== undefined ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
          void show(bulkOutcome(result, storeLabel, userId));
        } finally {
          reports.dispose();
        }
      }),
    );
  }

  private edit(row: SessionRow, edit: SessionEdit, done: Done): Promise<void> {
    return this.editOwner({ storeId: row.storeId, ref: row.session.ref }, edit, done);
  }

  /** `typed`: what the user typed for the change, offered for copying when it is refused, so it is not lost. */
  private editOwner(owner: { storeId: string; ref: string }, edit: SessionEdit, done: Done, typed?: string): Promise<void> {
    return this.run(owner.storeId, async () => {
      const result = await this.ctx.client.sendRequest(EditSessionRequest, { storeId: owner.storeId, ref: owner.ref, edit });
      vscode.window.setStatusBarMessage(`Django Sessions: ${typeof done === 'string' ? done : done(result)}`, 4000);
    }, typed);
  }

  /** Runs a change to a store, shows a failure (a conflict, a refused write) as it is, and lists the store again either way. */
  private async run(storeId: string, change: () => Thenable<void>, typed?: string): Promise<void> {
    try {
      await change();
    } catch (err) {
      void this.showFailure((err as Error).message, typed);
    } finally {
      // A changed view re-reads open session documents (see Ctx); a session it does not show (picked from the palette) may still have one open.
      if (!(await this.ctx.tree.listAgain([storeId]))) {
        void this.ctx.documents.refresh();
      }
    }
  }

  private async showFailure(message: string, typed: string | undefined): Promise<void> {
    const copy = 'Copy Typed Value';
    if ((await vscode.window.showErrorMessage(`Django Sessions: ${message}`, ...(typed === undefined ? [] : [copy]))) === copy) {
      await vscode.env.clipboard.writeText(typed!);
    }
  }

  /** Asks first when the confirmation policy says so, for the store the change is in. */
  private async confirm(kind: ChangeKind, message: string, detail: string, action: string, storeId: string): Promise<boolean> {
    return confirmChange(kind, (await this.storeOf(storeId))?.local === true, message, detail, action);
  }

  private async storeOf(storeId: string): Promise<StoreInfo | undefined> {
    return (await this.ctx.tree.fetchStores().catch(() => [])).find((s) => s.id === storeId);
  }
}

const NO_SESSIONS_KEPT = "No store in this workspace keeps sessions to delete: with signed_cookies they live in the visitors' browsers.";

/** Asks how session `displayKey` should expire, naming it in each step's title. */
async function pickExpiry(displayKey: string): Promise<ExpiryChoice | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'After a period of inactivity…', description: 'set_expiry(seconds)', choice: 'seconds' as const },
      // Django before 4.1 cannot keep a date in a JSON session: there the date becomes an inactivity timeout of the seconds until then.
      { label: 'At a date and time…', description: 'a fixed date (Django 4.1+, or pickled sessions); before 4.1, the seconds until then', choice: 'at' as const },
      { label: 'When the browser closes', description: 'set_expiry(0)', choice: 'browser-close' as const },
      { label: 'The default', description: 'set_expiry(None): SESSION_COOKIE_AGE', choice: 'default' as const },
    ],
    { title: `Set the expiry of session ${displayKey}` },
  );
  const choice = picked?.choice;
  if (!choice) {
    return undefined;
  }
  if (choice === 'seconds') {
    const text = await vscode.window.showInputBox({ title: `Expire session ${displayKey} after how many seconds of inactivity?`, value: '3600', validateInput: (t) => (/^\d+$/.test(t.trim()) && Number(t) > 0 ? undefined : 'A whole number of seconds above 0.') });
    return text === undefined ? undefined : { kind: 'seconds', seconds: Number(text.trim()) };
  }
  if (choice === 'at') {
    const text = await vscode.window.showInputBox({
      title: `Expire session ${displayKey} at (ISO 8601; without Z or an offset, in the project's TIME_ZONE)`,
      value: `${new Date(Date.now() + 86_400_000).toISOString().slice(0, 19)}Z`,
      validateInput: (t) => (ISO_DATETIME.test(t.trim()) && !Number.isNaN(Date.parse(t.trim())) ? undefined : 'A date and time, e.g. 2030-01-01T12:00:00Z, 2030-01-01T13:00:00+01:00, or 2030-01-01T13:00 in TIME_ZONE.'),
    });
    return text === undefined ? undefined : { kind: 'at', iso: text.trim() };
  }
  return { kind: choice };
}

/** Local times would depend on the editor's zone, so an explicit zone is required. */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
