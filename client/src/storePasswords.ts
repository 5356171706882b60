import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StorePasswordsNotification, type StoreInfo, type StorePassword } from '../../server/src/protocol';
import { StorageKeys } from './ids';
import type { PasswordSealer } from './passwordSealer';

const SECRET_PREFIX = StorageKeys.passwordSecretPrefix;
/** Which (variable, store) pairs have a saved password; the passwords themselves live in SecretStorage only. */
const INDEX_KEY = StorageKeys.passwordVariables;

type Saved = Omit<StorePassword, 'sealed'>;

/**
 * Store passwords kept in VS Code's SecretStorage, each for one store and in place of one
 * environment variable (PGPASSWORD, the variable settings name, …), and handed to the server in
 * memory, sealed so that a protocol trace never shows them, only in a trusted workspace.
 */
export class StorePasswords {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly sealer: PasswordSealer,
  ) {}

  /** Sends the saved passwords to the server; an untrusted workspace gets none. Resolves to how many were sent. */
  async sync(): Promise<number> {
    const passwords: StorePassword[] = [];
    if (vscode.workspace.isTrusted) {
      for (const saved of this.saved()) {
        const value = await this.context.secrets.get(secretName(saved));
        if (value !== undefined) {
          passwords.push(this.sealer.seal(saved.variable, saved.location, value));
        }
      }
    }
    await this.client.sendNotification(StorePasswordsNotification, { passwords });
    return passwords.length;
  }

  /** Asks for the password of a store (picking the store first when several need one); true when one was saved. */
  async prompt(stores: StoreInfo[]): Promise<boolean> {
    const candidates = stores.flatMap((store) => store.passwordVariables.map((variable) => ({ store, variable })));
    if (candidates.length === 0) {
      // A store the settings do not place (its database from a variable not set) may well need one: that is not known.
      const unplaced = stores.some((store) => store.location.split(' + ').includes('unknown'));
      void vscode.window.showInformationMessage(
        unplaced
          ? 'No session store asks for a password yet: where a store lives cannot be read from the settings, so whether it needs one is not known; the Sessions view says what is missing.'
          : 'None of the session stores in this workspace uses a password.',
      );
      return false;
    }
    const picked =
      candidates.length === 1
        ? candidates[0]
        : (await vscode.window.showQuickPick(
            candidates.map((c) => ({ label: `${passwordOf(c.variable)} of ${c.store.label}`, description: `in place of $${c.variable}`, detail: c.store.location, candidate: c })),
            { title: 'Set the password of which store?' },
          ))?.candidate;
    if (!picked) {
      return false;
    }
    const value = await vscode.window.showInputBox({
      title: `Password for ${picked.store.label}`,
      prompt: `Kept in VS Code's secret storage and used in place of $${picked.variable} for this store only.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) {
      return false;
    }
    const saved: Saved = { variable: picked.variable, location: picked.store.location };
    await this.context.secrets.store(secretName(saved), value);
    const others = this.saved().filter((s) => secretName(s) !== secretName(saved));
    await this.context.globalState.update(INDEX_KEY, [...others, saved]);
    await this.sync();
    return true;
  }

  /** How many passwords are saved. */
  count(): number {
    return this.saved().length;
  }

  /** Deletes every stored password. */
  async forget(): Promise<void> {
    for (const saved of this.saved()) {
      await this.context.secrets.delete(secretName(saved));
    }
    await this.context.globalState.update(INDEX_KEY, []);
    await this.sync();
  }

  private saved(): Saved[] {
    return this.context.globalState.get<Saved[]>(INDEX_KEY, []).filter((s) => typeof s === 'object' && s !== null);
  }
}

function secretName(saved: Saved): string {
  return `${SECRET_PREFIX}${saved.variable}@${saved.location}`;
}

/** Which server a password variable is for, as the picker names it: the usual variables of each client, else the variable itself. */
function passwordOf(variable: string): string {
  return variable === 'PGPASSWORD' ? 'PostgreSQL password' : variable === 'MYSQL_PWD' ? 'MySQL password' : variable === 'REDISCLI_AUTH' ? 'Redis password' : `Password ($${variable})`;
}
