import './vscodeStub';
import * as assert from 'node:assert/strict';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SessionsTree, type SessionsNode } from '../../../client/src/sessionsTree';

const STORE = { id: 's', label: 'S', location: 'db.sqlite3', notes: [], passwordVariables: [], engine: 'cached_db' };

/** A language client that answers from `answer`, recording what it was asked. */
function fakeClient(answer: (method: string, params: Record<string, unknown>) => Promise<unknown>) {
  const sent: { method: string; params: Record<string, unknown> }[] = [];
  const client = {
    sendRequest: (type: { method: string }, params: Record<string, unknown>) => {
      sent.push({ method: type.method, params });
      return answer(type.method, params);
    },
  } as unknown as LanguageClient;
  return { client, sent };
}

const later = <T>(value: T, ms = 30) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

/** The tree items of a session's top-level values, the session's data being `data`. */
async function valueItems(data: unknown[]): Promise<Array<{ contextValue?: string; iconPath?: { id: string }; tooltip?: string }>> {
  const summary = { ref: 'r1', displayKey: 'abcd••••', maskedKey: 'abcd••••', expired: false, signature: 'valid', size: data.length };
  const { client } = fakeClient(async (method) => {
    if (method === 'djangoSessions/listStores') return { stores: [STORE] };
    if (method === 'djangoSessions/getSession') return { session: { ref: 'r1', data } };
    return { sessions: [summary] };
  });
  const tree = new SessionsTree(client, () => undefined);
  await tree.getChildren();
  const values = await tree.getChildren({ kind: 'session', storeId: 's', session: summary as never });
  return values.map((node) => tree.getTreeItem(node) as { contextValue?: string; iconPath?: { id: string }; tooltip?: string });
}

describe('SessionsTree bookkeeping', () => {
  it('keeps the store list asked for before a filter was set, and tells the status bar once', async () => {
    let told = 0;
    const { client, sent } = fakeClient((method) => (method === 'djangoSessions/listStores' ? later({ stores: [STORE] }) : Promise.resolve({ sessions: [] })));
    const tree = new SessionsTree(client, () => told++);
    const stores = tree.fetchStores();
    tree.setFilter({ state: 'active' });
    await stores;
    await tree.getChildren();
    await tree.fetchStores();
    assert.equal(told, 1);
    assert.equal(sent.filter((s) => s.method === 'djangoSessions/listStores').length, 1);
  });

  it("loads more of a new filter's listing while a page of the listing it replaced is still loading", async () => {
    let token = 0;
    const { client, sent } = fakeClient(async (method, params) => {
      if (method === 'djangoSessions/listStores') return { stores: [STORE] };
      if (params.page === 'p1') await later(undefined, 50);
      return { sessions: [], nextPage: `p${++token}` };
    });
    const tree = new SessionsTree(client, () => undefined);
    await tree.getChildren();
    const stale = tree.loadMore('s', 'p1');
    tree.setFilter({ text: 'cart' });
    await tree.getChildren();
    await tree.loadMore('s', 'p2');
    await stale;
    assert.deepEqual(sent.filter((s) => s.params.page !== undefined).map((s) => s.params.page), ['p1', 'p2']);
  });

  it("lists a store's first page once for callers asking at the same time, so a Load more in between is kept", async () => {
    const row = (ref: string) => ({ ref, displayKey: ref, maskedKey: ref, expired: false, signature: 'valid', size: 1 });
    let firstPages = 0;
    const { client } = fakeClient(async (method, params) => {
      if (method === 'djangoSessions/listStores') return { stores: [STORE] };
      if (params.page === 'p2') return { sessions: [row('b')] };
      firstPages++;
      return later({ sessions: [row('a')], nextPage: 'p2' }, 30 * firstPages);
    });
    const tree = new SessionsTree(client, () => undefined);
    const viewAsks = tree.getChildren();
    const [store] = await tree.getChildren();
    await tree.loadMore('s', 'p2');
    await viewAsks;
    const rows = await tree.getChildren(store);
    assert.deepEqual(rows.map((n) => n.kind === 'session' && n.session.ref), ['a', 'b']);
    assert.equal(firstPages, 1);
  });

  it('shows a cache drift walk from before a refresh once, and does not keep it', async () => {
    let walk = 0;
    const { client } = fakeClient(async (method, params) => {
      if (method === 'djangoSessions/listStores') return { stores: [STORE] };
      if (!params.cacheDrift) return { sessions: [] };
      walk++;
      return walk === 1 ? later({ sessions: [{ ref: 'old', displayKey: 'old', maskedKey: 'old', expired: false, signature: 'valid', size: 0 }] }) : { sessions: [] };
    });
    const tree = new SessionsTree(client, () => undefined);
    await tree.getChildren();
    const drift: SessionsNode = { kind: 'drift', storeId: 's' };
    const before = tree.getChildren(drift);
    tree.refresh();
    await before;
    await tree.getChildren();
    const after = await tree.getChildren(drift);
    assert.deepEqual(after.map((n) => n.kind === 'message' && n.text), ['Every cache entry matches its row.']);
  });

  it('walks the cache again for Cache out of sync when Django changes the store, as the rows are listed again', async () => {
    const row = { ref: 'r1', displayKey: 'r1', maskedKey: 'r1', expired: false, signature: 'valid', size: 1, version: 'a' };
    let stored = [row];
    let served: (typeof row)[] = [];
    const { client } = fakeClient(async (method, params) => {
      if (method === 'djangoSessions/listStores') return { stores: [STORE] };
      return { sessions: params.cacheDrift ? served : stored };
    });
    const tree = new SessionsTree(client, () => undefined);
    try {
      await tree.getChildren();
      const drift: SessionsNode = { kind: 'drift', storeId: 's' };
      assert.deepEqual((await tree.getChildren(drift)).map((n) => n.kind === 'message' && n.text), ['Every cache entry matches its row.']);
      // Django changes the row alone: the cache now serves the old data.
      stored = [{ ...row, version: 'b' }];
      served = [row];
      const shown = new Promise<void>((resolve) => tree.onDidChangeTreeData(() => resolve()));
      tree.setVisible(true);
      tree.sessionsChanged(['s']);
      await shown;
      assert.deepEqual((await tree.getChildren(drift)).map((n) => n.kind === 'session' && n.session.ref), ['r1']);
    } finally {
      tree.dispose();
    }
  });

  it('lists a store again once a session it shows expires, so its row turns expired without a Refresh', async () => {
    const expiresAt = Date.now() + 100;
    const row = (expired: boolean) => ({ ref: 'r1', displayKey: 'r1', maskedKey: 'r1', expired, signature: 'valid', size: 1, version: 'a', expireDate: new Date(expiresAt).toISOString() });
    // The first listing after the expiry still says live (a lagging clock, a listing skipped): it is tried again.
    let listings = 0;
    const { client, sent } = fakeClient(async (method) => (method === 'djangoSessions/listStores' ? { stores: [{ ...STORE, local: true }] } : { sessions: [row(++listings > 2)] }));
    const tree = new SessionsTree(client, () => undefined);
    try {
      tree.setVisible(true);
      const [store] = await tree.getChildren();
      assert.deepEqual((await tree.getChildren(store)).map((n) => n.kind === 'session' && n.session.expired), [false]);
      await new Promise<void>((resolve) => tree.onDidChangeTreeData(() => resolve()));
      assert.ok(Date.now() >= expiresAt + 2000, 'a second after the expiry, and a second after the listing that missed it');
      assert.deepEqual((await tree.getChildren(store)).map((n) => n.kind === 'session' && n.session.expired), [true]);
      assert.equal(sent.filter((s) => s.method === 'djangoSessions/listSessions').length, 3);
    } finally {
      tree.dispose();
    }
  });

  it('asks for the data Django serves under Cache out of sync, and offers no edits of it', async () => {
    const summary = { ref: 'r1', displayKey: 'abcd••••', maskedKey: 'abcd••••', expired: false, signature: 'valid', size: 1 };
    const value = { key: 'a', label: 'a', text: '2', json: '2' };
    const { client, sent } = fakeClient(async (method) => {
      if (method === 'djangoSessions/listStores') return { stores: [STORE] };
      if (method === 'djangoSessions/getSession') return { session: { ref: 'r1', data: [value] } };
      return { sessions: [summary] };
    });
    const tree = new SessionsTree(client, () => undefined);
    await tree.getChildren();
    const served = await tree.getChildren({ kind: 'session', storeId: 's', session: summary as never, drift: true });
    const row = await tree.getChildren({ kind: 'session', storeId: 's', session: summary as never });
    assert.deepEqual(
      sent.filter((s) => s.method === 'djangoSessions/getSession').map((s) => s.params.cacheDrift),
      [true, undefined],
    );
    assert.deepEqual([served, row].map((nodes) => nodes.map((n) => n.kind === 'value' && n.owner !== undefined)), [[false], [true]]);
    const forged = await tree.getChildren({ kind: 'session', storeId: 's', session: { ...summary, signature: 'invalid' } as never });
    assert.deepEqual(forged.map((n) => n.kind === 'value' && n.owner !== undefined), [false], 'nor the values of a session Django ignores');
  });

  it('shows why a session cannot be decoded as the one row under it, whole in that row\'s tooltip, without asking the server', async () => {
    const error = 'Invalid base64: incorrect padding';
    const summary = { ref: 'r1', displayKey: 'abcd••••', maskedKey: 'abcd••••', expired: false, signature: 'undecodable', error, size: 0 };
    const { client, sent } = fakeClient(async (method) => (method === 'djangoSessions/listStores' ? { stores: [STORE] } : { sessions: [summary] }));
    const tree = new SessionsTree(client, () => undefined);
    await tree.getChildren();
    const rows = await tree.getChildren({ kind: 'session', storeId: 's', session: summary as never });
    assert.deepEqual(rows.map((node) => [tree.getTreeItem(node).label, tree.getTreeItem(node).tooltip]), [[error, error]]);
    assert.ok(!sent.some((s) => s.method === 'djangoSessions/getSession'));
  });

  it('gives VS Code the row each row was listed under, and a loaded session\'s row under its store\'s to reveal', async () => {
    const summary = { ref: 'r1', displayKey: 'abcd••••', maskedKey: 'abcd••••', expired: false, signature: 'valid', size: 1 };
    const { client } = fakeClient(async (method) => {
      if (method === 'djangoSessions/listStores') return { stores: [STORE] };
      if (method === 'djangoSessions/getSession') return { session: { ref: 'r1', data: [{ key: 'a', label: 'a', type: 'int', preview: '1' }] } };
      return { sessions: [summary] };
    });
    const tree = new SessionsTree(client, () => undefined);
    const [store] = await tree.getChildren();
    const [session] = await tree.getChildren(store);
    const [value] = await tree.getChildren(session);
    assert.deepEqual([tree.getParent(store!), tree.getParent(session!), tree.getParent(value!)], [undefined, store, session]);
    const row = tree.sessionRow('s', 'r1');
    assert.deepEqual(row, session);
    assert.equal(tree.getTreeItem(tree.getParent(row!)!).id, tree.getTreeItem(store!).id);
    assert.equal(tree.sessionRow('s', 'r2'), undefined, 'a session no loaded row holds');
  });

  it('offers Edit Value only on a value the server says JSON holds exactly, and Remove Value on every top-level value', async () => {
    const data = [
      { key: 'cart', label: 'cart', type: 'list', preview: '[1, 2]', json: '[1,2]', editable: true },
      // A tuple: json.dumps shows it as a list, which an edit would write back.
      { key: 'coords', label: 'coords', type: 'tuple', preview: '(1, 2)', json: '[1,2]' },
      { key: 'when', label: 'when', type: 'datetime', preview: 'datetime.datetime(2030, 1, 1, 0, 0)' },
    ];
    assert.deepEqual((await valueItems(data)).map((item) => item.contextValue), ['value.top.json', 'value.top', 'value.top']);
  });

  it('gives a list or tuple the array icon and a dict the object icon, so recently_viewed does not look like a dict', async () => {
    const item = (label: string) => ({ label, type: 'int', preview: '1' });
    const data = [
      { key: 'recently_viewed', label: 'recently_viewed', type: 'list', preview: '[1]', children: [item('0')] },
      { key: 'point', label: 'point', type: 'tuple', preview: '(1,)', children: [item('0')] },
      { key: 'cart', label: 'cart', type: 'dict', preview: "{'1': 1}", children: [item("'1'")] },
      { key: 'empty', label: 'empty', type: 'list', preview: '[]', children: [] },
      { key: 'n', label: 'n', type: 'int', preview: '1' },
    ];
    assert.deepEqual((await valueItems(data)).map((item) => item.iconPath?.id), ['symbol-array', 'symbol-array', 'symbol-object', 'symbol-field', 'symbol-field']);
  });

  it("says in the tooltip of Django's _session_expiry what set_expiry() made of the session", async () => {
    const data = [
      { key: '_session_expiry', label: '_session_expiry', type: 'int', preview: '2592000' },
      { key: 'other', label: 'other', type: 'int', preview: '2592000' },
    ];
    assert.deepEqual(
      (await valueItems(data)).map((item) => item.tooltip),
      ['int: 2592000\nset_expiry(2592000): the session ends 30 days after it was last saved', 'int: 2592000'],
    );
  });

  it('tells of a store that cannot be listed, and of it working again, and leads to the settings', async () => {
    let fail = true;
    const problems: [string, string | undefined][] = [];
    const { client } = fakeClient(async (method) => {
      if (method === 'djangoSessions/listStores') return { stores: [STORE] };
      if (fail) throw new Error('Cannot connect to PostgreSQL at db:5432/shop');
      return { sessions: [] };
    });
    const tree = new SessionsTree(client, () => undefined, (store, problem) => problems.push([store, problem]));
    const [store] = await tree.getChildren();
    const rows = await tree.getChildren(store);
    assert.deepEqual(rows.map((n) => n.kind === 'message' && [n.text, n.command]), [['Cannot connect to PostgreSQL at db:5432/shop', undefined], ['Open the Django Sessions settings…', 'djangoSessions.openSettings']]);
    fail = false;
    tree.refresh();
    await tree.getChildren();
    assert.deepEqual(problems.filter(([name]) => name === 'S'), [['S', 'Cannot connect to PostgreSQL at db:5432/shop'], ['S', undefined]]);
  });

  it('says in the view\'s message, where it wraps, why no store was found and why a store cannot be listed, with the filter', async () => {
    const why = 'No Django project found: no manage.py in a workspace folder or two levels below. Name the settings in the djangoSessions.project.settingsModule setting.';
    let answer: { stores: unknown[]; whyNone?: string[] } = { stores: [], whyNone: [why] };
    const { client } = fakeClient(async (method) => {
      if (method === 'djangoSessions/listStores') return answer;
      throw new Error('Cannot connect to PostgreSQL at db:5432/shop. Check that the server runs.');
    });
    const tree = new SessionsTree(client, () => undefined);
    const said: (string | undefined)[] = [];
    tree.onDidChangeMessage((message) => said.push(message));
    await tree.getChildren();
    assert.equal(tree.message, why);
    answer = { stores: [STORE] };
    tree.refresh();
    const [store] = await tree.getChildren();
    await tree.getChildren(store);
    tree.setFilter({ state: 'active' });
    await tree.getChildren();
    assert.equal(tree.message, 'Filtered: active\nS: Cannot connect to PostgreSQL at db:5432/shop. Check that the server runs.');
    answer = { stores: [] };
    tree.setFilter(undefined);
    tree.refresh();
    await tree.getChildren();
    assert.equal(tree.message, undefined, 'a store no longer listed has no problem left');
    assert.deepEqual(said, [why, undefined, 'S: Cannot connect to PostgreSQL at db:5432/shop. Check that the server runs.', 'Filtered: active\nS: Cannot connect to PostgreSQL at db:5432/shop. Check that the server runs.', 'S: Cannot connect to PostgreSQL at db:5432/shop. Check that the server runs.', undefined]);
  });
  it('lists no sessions of a signed_cookies store, which keeps none, so it is no problem in the status bar', async () => {
    const cookies = { ...STORE, id: 'c', label: "signed_cookies · in the browser's cookie", engine: 'signed_cookies' };
    const problems: [string, string | undefined][] = [];
    const { client, sent } = fakeClient(async (method) => {
      if (method === 'djangoSessions/listStores') return { stores: [cookies] };
      throw new Error("The signed_cookies engine keeps each session in the visitor's browser");
    });
    const tree = new SessionsTree(client, () => undefined, (store, problem) => problems.push([store, problem]));
    const [store] = await tree.getChildren();
    const rows = await tree.getChildren(store);
    assert.deepEqual(rows.map((n) => n.kind === 'message' && n.icon), ['info', 'unlock']);
    assert.deepEqual(sent.map((s) => s.method), ['djangoSessions/listStores']);
    assert.deepEqual(problems.filter(([, problem]) => problem !== undefined), []);
  });

  it("makes a settings problem beside a store a row that opens its line, and other notes plain rows", async () => {
    const source = { uri: 'file:///proj/conf/settings.py', line: 31 };
    const noted = { ...STORE, notes: [{ text: 'conf/settings.py:31: DATABASES needs environment variable DATABASE_URL', source }, { text: 'Signatures are not verified.' }] };
    const { client } = fakeClient(async (method) => (method === 'djangoSessions/listStores' ? { stores: [noted] } : { sessions: [] }));
    const tree = new SessionsTree(client, () => undefined);
    const [store] = await tree.getChildren();
    const rows = (await tree.getChildren(store)).slice(0, 2).map((node) => tree.getTreeItem(node) as { label: string; command?: { command: string; arguments?: unknown[] } });
    assert.deepEqual(rows[0]!.command?.command, 'vscode.open');
    assert.deepEqual(JSON.parse(JSON.stringify(rows[0]!.command?.arguments)), [{ value: source.uri }, { selection: { startLine: 30, startCharacter: 0, endLine: 30, endCharacter: 0 } }]);
    assert.equal(rows[1]!.command, undefined);
  });

  it("shows a store row's label and location in its tooltip as text, never as Markdown images or links", async () => {
    const store = { ...STORE, label: 'cache:![t](https://e.x/t.png)', location: '[here](command:x)\n# big' };
    const { client } = fakeClient((method) => Promise.resolve(method === 'djangoSessions/listStores' ? { stores: [store] } : { sessions: [] }));
    const tree = new SessionsTree(client, () => undefined);
    const [row] = await tree.getChildren();
    const tooltip = (tree.getTreeItem(row!) as { tooltip: { value: string } }).tooltip.value;
    assert.equal(tooltip, '**cache\\:\\!\\[t\\]\\(https\\://e\\.x/t\\.png\\)**\n\n\\[here\\]\\(command\\:x\\) \\# big');
  });
});
