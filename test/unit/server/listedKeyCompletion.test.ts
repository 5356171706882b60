import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompletionList } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { discoverProjects, openStore, PyDict, SessionKeyIndex } from '../../../engine/src';
import { TRUST_UNSEEN_VARIABLE } from '../../../engine/src/stores/sqlite/openByOthers';
import { completeSessionKeys } from '../../../server/src/completion';
import { ListSessionsRequest, ListStoresRequest } from '../../../server/src/protocol';
import { writeEmptySessionTable } from '../engine/stores/sqliteFixture';
import { startLanguageServer, type LanguageServer } from './languageServer';

describe('completion of the keys that listed sessions hold and no code writes', () => {
  const views = '/proj/shop/views.py';
  const source = ['def add(request):', '    request.session["cart"] = 1', '    request.session["legacy"] = 2', '    return request.session["'].join('\n');
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    index.updateFile(views, source);
  });

  const complete = (line: number, character: number, listed: Map<string, number>) => {
    const document = TextDocument.create(`file://${views}`, 'python', 1, source);
    return completeSessionKeys(index, document, views, line, character, '/', ['hijack'], [{ store: 'db · SQLite · db.sqlite3', sessions: listed }])?.items;
  };

  it("offers them last, saying how many listed sessions hold them and that no code writes them, and no key the code or an installed app writes twice", () => {
    const listed = new Map([['cart', 3], ['wizard_step', 2], ['hijack_history', 1], ['legacy', 1], ['old_flag', 1]]);
    const items = complete(3, 28, listed);
    assert.deepEqual(
      items?.map((i) => `${i.sortText} ${i.label} · ${i.detail}`),
      [
        '0cart cart · session key · written in 1 place',
        '0legacy legacy · session key · written in 1 place',
        '2hijack_history hijack_history · session key · written by django-hijack',
        '3wizard_step wizard_step · session key · held by 2 listed sessions of db · SQLite · db.sqlite3, written by no code of the project',
        '3old_flag old_flag · session key · held by 1 listed session of db · SQLite · db.sqlite3, written by no code of the project',
      ],
    );
    assert.deepEqual(items?.find((i) => i.label === 'wizard_step')?.documentation, {
      kind: 'markdown',
      value: 'Held by 2 listed sessions of `db · SQLite · db.sqlite3` in the Sessions view, though no code of the project writes it: a third-party app, Django or code outside the workspace may.',
    });
  });

  it('does not take a key the code writes only where the cursor is for one no code writes', () => {
    const labels = complete(2, 22, new Map([['legacy', 1], ['wizard_step', 2]]))?.map((i) => i.label);
    assert.deepEqual(labels, ['cart', 'hijack_history', 'wizard_step']);
  });
});

describe('the keys completion takes from the Sessions view', () => {
  const VIEWS = ['def add(request):', "    request.session['cart'] = request.session.get('wizard_step')", '    return request.session["', ''].join('\n');
  let root: string;
  let server: LanguageServer | undefined;

  /** An SQLite store with two sessions a wizard app wrote, one with a cart, an expired one, and one signed with another SECRET_KEY, which Django reads as empty. */
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-listed-keys-'));
    fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
    fs.mkdirSync(path.join(root, 'site'));
    fs.writeFileSync(path.join(root, 'site', 'settings.py'), 'SECRET_KEY = "k"\nUSE_TZ = True\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n');
    fs.writeFileSync(path.join(root, 'site', 'views.py'), VIEWS);
    await writeEmptySessionTable(path.join(root, 'db.sqlite3'));
    const [found] = await discoverProjects(root);
    const env = { ...process.env, [TRUST_UNSEEN_VARIABLE]: '1' };
    const store = await openStore(found!.stores[0]!, { sqliteDriver: 'sqljs', env });
    await store.save('wizard1aaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['wizard_step', 2n]]), { create: true });
    await store.save('wizard2aaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['wizard_step', 1n], ['cart', 1n]]), { create: true });
    await store.save('expiredaaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['stale', 1n]]), { create: true });
    await store.setExpiry('expiredaaaaaaaaaaaaaaaaaaaaaaaaa', { kind: 'now' });
    await store.close();
    const stranger = await openStore({ ...found!.stores[0]!, secretKeys: { values: ['another-key'] } }, { sqliteDriver: 'sqljs', env });
    await stranger.save('otherkeyaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['forged', 1n]]), { create: true });
    await stranger.close();
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const completed = async (s: LanguageServer) => {
    const list = await s.at<CompletionList>('textDocument/completion', path.join(root, 'site', 'views.py'), 2, 28);
    return list.items.map((i) => `${i.label} · ${i.detail}`);
  };

  it('offers none before the view lists the store, then those its listing held, which a filtered listing leaves as they were', async () => {
    server = await startLanguageServer([root], true);
    server.open(path.join(root, 'site', 'views.py'), VIEWS);
    assert.deepEqual(await completed(server), ['cart · session key · written in 1 place'], 'no store is read for completion');
    const [store] = (await server.client.sendRequest(ListStoresRequest, { refresh: false })).stores;
    const listing = await server.client.sendRequest(ListSessionsRequest, { storeId: store!.id, limit: 3, maskKeys: true });
    await server.client.sendRequest(ListSessionsRequest, { storeId: store!.id, limit: 3, maskKeys: true, page: listing.nextPage });
    const expected = ['cart · session key · written in 1 place', `wizard_step · session key · held by 2 listed sessions of ${store!.label}, written by no code of the project`];
    assert.deepEqual(await completed(server), expected);
    await server.client.sendRequest(ListSessionsRequest, { storeId: store!.id, limit: 10, maskKeys: true, filter: { hasKey: 'cart' } });
    assert.deepEqual(await completed(server), expected);
  });
});
