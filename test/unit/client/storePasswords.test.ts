import './vscodeStub';
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PasswordSealer } from '../../../client/src/passwordSealer';
import { StorePasswords } from '../../../client/src/storePasswords';
import { PasswordCipher } from '../../../server/src/passwordCipher';
import type { StoreInfo, StorePasswordsParams } from '../../../server/src/protocol';

const PASSWORD = 'correct horse battery staple';
const LOCATION = 'postgres://app@db.example.com:5432/shop';
const store: StoreInfo = { id: 'db', label: 'db · PostgreSQL · shop', location: LOCATION, notes: [], passwordVariables: ['PGPASSWORD'], engine: 'db', watched: false, local: false, cacheDrift: false };

/** The stub `require('vscode')` returns (vscodeStub), whose trust and input box each test sets. */
const stub = createRequire(__filename)('vscode') as { workspace: { isTrusted: boolean }; window: Record<string, unknown> };

/**
 * StorePasswords over an extension context holding SecretStorage and globalState in memory
 * (VS Code's own storage is checked in the integration tests), a client that records what it is
 * sent, and the real sealer, whose seals the server's real cipher opens.
 */
function storePasswords() {
  const secrets = new Map<string, string>();
  const globalState = new Map<string, unknown>();
  const sent: StorePasswordsParams[] = [];
  const context = {
    secrets: {
      get: async (name: string) => secrets.get(name),
      store: async (name: string, value: string) => void secrets.set(name, value),
      delete: async (name: string) => void secrets.delete(name),
    },
    globalState: {
      get: <T>(name: string, fallback: T) => (globalState.has(name) ? globalState.get(name) : fallback),
      update: async (name: string, value: unknown) => void globalState.set(name, value),
    },
  } as unknown as vscode.ExtensionContext;
  const client = { sendNotification: async (_type: unknown, params: StorePasswordsParams) => void sent.push(params) } as unknown as LanguageClient;
  const sealer = new PasswordSealer();
  const cipher = PasswordCipher.fromEnvironment(sealer.serverEnvironment());
  /** What the server opens of the last notification. */
  const opened = () => sent.at(-1)!.passwords.map((p) => cipher.open(p));
  return { passwords: new StorePasswords(context, client, sealer), secrets, globalState, sent, opened };
}

describe('store passwords in the client', () => {
  beforeEach(() => {
    stub.workspace.isTrusted = true;
    stub.window.showInputBox = async () => PASSWORD;
  });
  after(() => {
    stub.workspace.isTrusted = true;
    delete stub.window.showInputBox;
  });

  it('keeps the password in secret storage only, and sends it to the server sealed', async () => {
    const { passwords, secrets, globalState, sent, opened } = storePasswords();
    assert.equal(await passwords.prompt([store]), true);
    assert.deepEqual([...secrets.values()], [PASSWORD]);
    assert.doesNotMatch(JSON.stringify([...globalState]), new RegExp(PASSWORD), 'the index of saved passwords names stores, not passwords');
    assert.equal(passwords.count(), 1);
    assert.equal(sent.length, 1);
    assert.doesNotMatch(JSON.stringify(sent), new RegExp(PASSWORD), 'a protocol trace shows no password');
    assert.deepEqual(opened(), [{ variable: 'PGPASSWORD', location: LOCATION, value: PASSWORD }]);
  });

  it('sends none to the server of an untrusted workspace', async () => {
    const { passwords, sent, opened } = storePasswords();
    await passwords.prompt([store]);
    stub.workspace.isTrusted = false;
    assert.equal(await passwords.sync(), 0);
    assert.deepEqual(sent.at(-1), { passwords: [] });
    stub.workspace.isTrusted = true;
    assert.equal(await passwords.sync(), 1);
    assert.deepEqual(opened(), [{ variable: 'PGPASSWORD', location: LOCATION, value: PASSWORD }]);
  });

  it('replaces the password of the same store, and forgets every one', async () => {
    const { passwords, secrets, sent, opened } = storePasswords();
    await passwords.prompt([store]);
    stub.window.showInputBox = async () => 'another';
    await passwords.prompt([store]);
    assert.equal(passwords.count(), 1);
    assert.deepEqual([...secrets.values()], ['another']);
    assert.deepEqual(opened().map((p) => p?.value), ['another']);
    await passwords.forget();
    assert.equal(secrets.size, 0);
    assert.equal(passwords.count(), 0);
    assert.deepEqual(sent.at(-1), { passwords: [] });
  });

  it('saves nothing when the input box is dismissed', async () => {
    const { passwords, secrets, sent } = storePasswords();
    stub.window.showInputBox = async () => undefined;
    assert.equal(await passwords.prompt([store]), false);
    assert.equal(secrets.size, 0);
    assert.equal(passwords.count(), 0);
    assert.deepEqual(sent, []);
  });
});
