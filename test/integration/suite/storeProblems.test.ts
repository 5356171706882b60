import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DjangoSessionsApi } from '../../../client/src/api';
import type { SessionsNode } from '../../../client/src/sessionsTree';
import { updateSetting } from './demoSettings';
import { readyApi } from './readyApi';

/** The store row and what it shows, once a row under it is an error (or after 30 s). */
async function storeOnceFailing(api: DjangoSessionsApi): Promise<{ label: string; rows: SessionsNode[] }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [store] = await api.sessionsTree.getChildren();
    const rows = store ? await api.sessionsTree.getChildren(store) : [];
    if (rows.some((n) => n.kind === 'message' && n.icon === 'error') || Date.now() > deadline) {
      return { label: store ? String(api.sessionsTree.getTreeItem(store).label) : '', rows };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a store that cannot be listed', () => {
  let api: DjangoSessionsApi;
  const missing = path.join(os.tmpdir(), `djs-no-such-dir-${process.pid}`, 'db.sqlite3');

  before(async () => {
    api = await readyApi();
    await updateSetting('djangoSessions.store.url', `sqlite://${missing}`);
  });

  // Later suites need the demo's own store back.
  after(async () => {
    await updateSetting('djangoSessions.store.url', undefined);
    const deadline = Date.now() + 30_000;
    while (api.sessionsTree.message !== undefined && Date.now() < deadline) {
      await api.sessionsTree.getChildren();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(api.sessionsTree.message, undefined, 'the message goes once the store lists again');
  });

  it('says in full, above the rows, why and what to do, which its row cuts off', async () => {
    const { label, rows } = await storeOnceFailing(api);
    const error = rows.find((n): n is Extract<SessionsNode, { kind: 'message' }> => n.kind === 'message' && n.icon === 'error');
    assert.ok(error, `the store shows its error: ${JSON.stringify(rows)}`);
    assert.match(error.text, /does not exist\. Run "python manage\.py migrate", or name the right file with the djangoSessions\.store\.url setting/);
    // A row is one line, cut at the side bar's width; the view's message wraps.
    assert.equal(api.sessionsTree.message, `${label}: ${error.text}`);
  });
});
