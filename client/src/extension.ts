import type * as vscode from 'vscode';
import type { DjangoSessionsApi } from './api';
import { Ctx } from './ctx';

let ctx: Ctx | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<DjangoSessionsApi> {
  ctx = await Ctx.start(extension);
  return { ready: ctx.ready, sessionsTree: ctx.tree, sessionsView: ctx.view };
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
