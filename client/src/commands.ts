import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { Commands, ViewContainers, Views } from './ids';


/** Registers every command against the running extension context. */
export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.refreshSessions, () => ctx.tree.refresh()),
    vscode.commands.registerCommand(Commands.showLog, () => ctx.log.show()),
    vscode.commands.registerCommand(Commands.openSettings, () => vscode.commands.executeCommand('workbench.action.openSettings', ViewContainers.sessions)),
    vscode.commands.registerCommand(Commands.setStorePassword, async () => {
      if (await ctx.passwords.prompt(ctx.tree.knownStores())) {
        ctx.tree.refresh();
      }
    }),
    vscode.commands.registerCommand(Commands.forgetStorePasswords, async () => {
      await ctx.passwords.forget();
      ctx.tree.refresh();
      void vscode.window.showInformationMessage('Django Sessions forgot every stored password.');
    }),
    vscode.commands.registerCommand(Commands.focusSessions, () => vscode.commands.executeCommand(`${Views.sessions}.focus`)),
    vscode.commands.registerCommand(Commands.loadMoreSessions, (storeId: string, page: string) =>
      vscode.window.withProgress({ location: { viewId: Views.sessions } }, () => ctx.tree.loadMore(storeId, page)),
    ),
  ];
}
