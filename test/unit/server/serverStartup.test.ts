import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection, type Hover, type MarkupContent } from 'vscode-languageserver/node';
import { PasswordSealer } from '../../../client/src/passwordSealer';
import { PASSWORD_KEY_VARIABLE, ServerReadyNotification, type InitializationOptions, type ServerReadyParams } from '../../../server/src/protocol';
import { startServer } from '../../../server/src/server';

describe('language server start-up', () => {
  let root: string;
  let client: MessageConnection;
  let saved: string | undefined;

  before(() => {
    saved = process.env[PASSWORD_KEY_VARIABLE];
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-startup-'));
    fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n');
    fs.writeFileSync(path.join(root, 'settings.py'), 'import os\nSECRET_KEY = "k"\nSESSION_COOKIE_NAME = os.environ.get("DJANGO_SESSIONS_PASSWORD_KEY", "absent")\n');
  });

  after(() => {
    client?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
    if (saved === undefined) {
      delete process.env[PASSWORD_KEY_VARIABLE];
    } else {
      process.env[PASSWORD_KEY_VARIABLE] = saved;
    }
  });

  it('takes the password key out of its environment first, so no setting, hover or store shows it', async () => {
    // The server as the extension starts it: the key in its environment, the protocol on a pipe.
    Object.assign(process.env, new PasswordSealer().serverEnvironment());
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
    assert.equal(process.env[PASSWORD_KEY_VARIABLE], undefined);

    client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onRequest('client/registerCapability', () => null);
    client.onRequest('window/workDoneProgress/create', () => null);
    const ready = new Promise<ServerReadyParams>((resolve) => client.onNotification(ServerReadyNotification.method, resolve));
    client.listen();
    const initializationOptions: InitializationOptions = { trusted: true, settings: { storeUrl: '', settingsModules: {} } };
    await client.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: { window: { workDoneProgress: true } },
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'site' }],
      initializationOptions,
    });
    await client.sendNotification('initialized', {});
    assert.equal((await ready).stores, 1);

    const hover = await client.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: pathToFileURL(path.join(root, 'settings.py')).toString() }, position: { line: 2, character: 3 } });
    const text = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(text, /absent/);
    const stores = await client.sendRequest<{ stores: Array<{ location: string; notes: string[] }> }>('djangoSessions/listStores', {});
    assert.doesNotMatch(JSON.stringify(stores), /[A-Za-z0-9+/]{43}=/, 'no base64 key in the store list');
  });
});
