import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { TEMPLATE_DOCUMENTS, type InitializationOptions } from '../../server/src/protocol';
import { serverSettings } from './config';
import { Commands, LANGUAGE_CLIENT_ID } from './ids';

/**
 * Creates the client for the bundled server, which runs in its own Node process over IPC. `env` is
 * added to that process's environment: the one channel to the server that a protocol trace never records.
 */
export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, env: Record<string, string>): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  // A function, so a server restarted after a crash starts with trust and settings as they are then.
  const initializationOptions = (): InitializationOptions => ({
    trusted: vscode.workspace.isTrusted,
    settings: serverSettings(),
  });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'python' }, TEMPLATE_DOCUMENTS],
    initializationOptions,
    // A hover's Show Sessions link runs this command, and no other: hovers show text from the project's files.
    markdown: { isTrusted: { enabledCommands: [Commands.showSessionsWithKey] } },
    outputChannel: log,
    traceOutputChannel: log,
  };
  return new LanguageClient(LANGUAGE_CLIENT_ID, 'Django Sessions', serverOptions, clientOptions);
}
