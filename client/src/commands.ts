import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { decodeSessionCookie } from './decodeCookie';
import { Commands, ViewContainers } from './ids';
import { findKeyInCode } from './keyInCode';
import { SessionActions } from './sessionActions';
import { askSessionFilter } from './sessionFilterBox';
import { readFilterBox } from './sessionFilterText';
import { showSessionsWithKey } from './sessionsWithKey';


/** Registers every command against the running extension context. */
export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  const actions = new SessionActions(ctx);
  return [
    vscode.commands.registerCommand(Commands.flushSession, (node) => actions.flush(node)),
    vscode.commands.registerCommand(Commands.clearSession, (node) => actions.clear(node)),
    vscode.commands.registerCommand(Commands.expireSession, (node) => actions.expireNow(node)),
    vscode.commands.registerCommand(Commands.setSessionExpiry, (node, expiry) => actions.setExpiry(node, expiry)),
    vscode.commands.registerCommand(Commands.cycleSessionKey, (node) => actions.cycleKey(node)),
    vscode.commands.registerCommand(Commands.editSessionValue, (node, json) => actions.editValue(node, json)),
    vscode.commands.registerCommand(Commands.deleteSessionValue, (node) => actions.deleteValue(node)),
    vscode.commands.registerCommand(Commands.clearExpiredSessions, (node) => actions.clearExpired(node)),
    vscode.commands.registerCommand(Commands.logoutUser, (node) => actions.logoutUser(node)),
    vscode.commands.registerCommand(Commands.invalidateCacheEntry, (node) => actions.invalidateCache(node)),
    vscode.commands.registerCommand(Commands.openStoreSource, (node) => actions.openStoreSource(node)),
    vscode.commands.registerCommand(Commands.openSession, (node) => actions.open(node)),
    vscode.commands.registerCommand(Commands.refreshSessions, () => ctx.tree.refresh()),
    // A text argument (from a keybinding or a test) is used as typed in the box.
    vscode.commands.registerCommand(Commands.filterSessions, async (text?: unknown) => {
      const parsed = typeof text === 'string' ? readFilterBox(text) : await askSessionFilter(ctx.tree.filterText);
      if (parsed && 'error' in parsed) {
        void vscode.window.showErrorMessage(`Django Sessions: ${parsed.error}`);
      } else if (parsed) {
        ctx.tree.setFilter(parsed.filter, parsed.text);
      }
    }),
    vscode.commands.registerCommand(Commands.clearSessionFilter, () => ctx.tree.setFilter(undefined)),
    vscode.commands.registerCommand(Commands.showLog, () => ctx.log.show()),
    vscode.commands.registerCommand(Commands.restartServer, () => ctx.restartServer()),
    vscode.commands.registerCommand(Commands.openSettings, () => vscode.commands.executeCommand('workbench.action.openSettings', ViewContainers.sessions)),
    vscode.commands.registerCommand(Commands.setStorePassword, async () => {
      let stores;
      try {
        stores = await ctx.tree.fetchStores();
      } catch (err) {
        void vscode.window.showErrorMessage(`Django Sessions: ${(err as Error).message}`);
        return;
      }
      if (await ctx.passwords.prompt(stores)) {
        ctx.tree.refresh();
      }
    }),
    vscode.commands.registerCommand(Commands.forgetStorePasswords, async () => {
      const saved = ctx.passwords.count();
      if (saved === 0) {
        void vscode.window.showInformationMessage('Django Sessions has no saved store password.');
        return;
      }
      const forget = `Forget ${saved === 1 ? 'It' : `All ${saved}`}`;
      if ((await vscode.window.showWarningMessage(`Forget the ${saved === 1 ? 'saved store password' : `${saved} saved store passwords`}? Stores that need one ask again.`, { modal: true }, forget)) !== forget) {
        return;
      }
      await ctx.passwords.forget();
      ctx.tree.refresh();
      void vscode.window.showInformationMessage('Django Sessions forgot every stored password.');
    }),
    vscode.commands.registerCommand(Commands.decodeSessionCookie, (target?: unknown, value?: unknown) => decodeSessionCookie(ctx, target, value)),
    vscode.commands.registerCommand(Commands.findKeyInCode, (node) => findKeyInCode(ctx, node)),
    vscode.commands.registerCommand(Commands.showSessionsWithKey, (key?: unknown) => showSessionsWithKey(ctx, key)),
  ];
}
