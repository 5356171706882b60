import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StorePasswordsNotification, type StoreInfo } from '../../server/src/protocol';
import { StorageKeys } from './ids';

const SECRET_PREFIX = StorageKeys.passwordSecretPrefix;
/** Names of the variables that have a stored password; the passwords themselves live in SecretStorage only. */
const INDEX_KEY = StorageKeys.passwordVariables;

/**
 * Store passwords kept in VS Code's SecretStorage, by the environment variable they stand for
 * (PGPASSWORD, the variable settings name, …), and handed to the server in memory.
 */
export class StorePasswords {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {}

  /** Sends every stored password to the server. */
  async sync(): Promise<void> {
    const passwords: Record<string, string> = {};
    for (const name of this.names()) {
      const value = await this.context.secrets.get(SECRET_PREFIX + name);
      if (value !== undefined) {
        passwords[name] = value;
      }
    }
    await this.client.sendNotification(StorePasswordsNotification, { passwords });
  }

  /** Asks for the password of a store (picking the store first when several need one); true when one was saved. */
  async prompt(stores: StoreInfo[]): Promise<boolean> {
    const candidates = stores.flatMap((store) => store.passwordVariables.map((variable) => ({ store, variable })));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('None of the session stores in this workspace uses a password.');
      return false;
    }
    const picked =
      candidates.length === 1
        ? candidates[0]
        : (await vscode.window.showQuickPick(
            candidates.map((c) => ({ label: c.store.label, description: c.variable, detail: c.store.location, candidate: c })),
            { title: 'Set the password of which store?' },
          ))?.candidate;
    if (!picked) {
      return false;
    }
    const value = await vscode.window.showInputBox({
      title: `Password for ${picked.store.label}`,
      prompt: `Kept in VS Code's secret storage and used in place of $${picked.variable}.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) {
      return false;
    }
    await this.context.secrets.store(SECRET_PREFIX + picked.variable, value);
    await this.context.globalState.update(INDEX_KEY, [...new Set([...this.names(), picked.variable])]);
    await this.sync();
    return true;
  }

  /** Deletes every stored password. */
  async forget(): Promise<void> {
    for (const name of this.names()) {
      await this.context.secrets.delete(SECRET_PREFIX + name);
    }
    await this.context.globalState.update(INDEX_KEY, []);
    await this.sync();
  }

  private names(): string[] {
    return this.context.globalState.get<string[]>(INDEX_KEY, []);
  }
}
