import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DjangoSessionsApi } from '../../../client/src/api';
import { updateSetting } from './demoSettings';
import { readyApi } from './readyApi';

/** What the view's top rows say, once it says something `expected` matches (or after 30 s). */
async function rootsOnceMatching(api: DjangoSessionsApi, expected: RegExp): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const roots = (await api.sessionsTree.getChildren()).map((n) => String(api.sessionsTree.getTreeItem(n).label));
    if (roots.some((text) => expected.test(text)) || Date.now() > deadline) {
      return roots;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const NOT_A_URL = '"nonsense" is not a store URL. Use e.g. sqlite:db.sqlite3 or postgres://user@host/db.';

describe('commands run from the palette while the stores cannot be listed', () => {
  let api: DjangoSessionsApi;

  before(async () => {
    api = await readyApi();
    await updateSetting('djangoSessions.store.url', 'nonsense');
    assert.ok((await rootsOnceMatching(api, /is not a store URL/)).includes(NOT_A_URL));
  });

  // Later suites need the demo's own store back.
  after(async () => {
    await updateSetting('djangoSessions.store.url', undefined);
    assert.deepEqual(await rootsOnceMatching(api, /^db · SQLite/), ['db · SQLite · db.sqlite3']);
  });

  it('say why in a message, as the session commands do, instead of failing as a command', async () => {
    const showErrorMessage = vscode.window.showErrorMessage;
    const said: string[] = [];
    vscode.window.showErrorMessage = ((message: string) => {
      said.push(message);
      return Promise.resolve(undefined);
    }) as typeof showErrorMessage;
    try {
      for (const command of ['djangoSessions.decodeSessionCookie', 'djangoSessions.setStorePassword', 'djangoSessions.flushSession']) {
        await vscode.commands.executeCommand(command);
      }
    } finally {
      vscode.window.showErrorMessage = showErrorMessage;
    }
    assert.deepEqual(said, Array(3).fill(`Django Sessions: ${NOT_A_URL}`));
  });
});
