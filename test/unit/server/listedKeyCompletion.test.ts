import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionList } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SessionKeyIndex } from '../../../engine/src';
import { completeSessionKeys } from '../../../server/src/completion';
import { ListSessionsRequest, ListStoresRequest } from '../../../server/src/protocol';
import { startLanguageServer, type LanguageServer } from './languageServer';
import { listedSessionsProject } from './listedSessionsProject';

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

  before(async () => {
    root = await listedSessionsProject(VIEWS);
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const completed = async (s: LanguageServer) => {
    const list = await s.at<CompletionList>('textDocument/completion', path.join(root, 'site', 'views.py'), 2, 28);
    return list.items.map((i) => `${i.label} · ${i.detail}`);
  };

  it("offers none before the view lists the store, then those its listing held, which a filtered listing or a picker's leaves as they were", async () => {
    server = await startLanguageServer([root], true);
    server.open(path.join(root, 'site', 'views.py'), VIEWS);
    assert.deepEqual(await completed(server), ['cart · session key · written in 1 place'], 'no store is read for completion');
    const [store] = (await server.client.sendRequest(ListStoresRequest, { refresh: false })).stores;
    const listing = await server.client.sendRequest(ListSessionsRequest, { storeId: store!.id, limit: 3, maskKeys: true, forView: true });
    await server.client.sendRequest(ListSessionsRequest, { storeId: store!.id, limit: 3, maskKeys: true, page: listing.nextPage, forView: true });
    const expected = ['cart · session key · written in 1 place', `wizard_step · session key · held by 2 listed sessions of ${store!.label}, written by no code of the project`];
    assert.deepEqual(await completed(server), expected);
    await server.client.sendRequest(ListSessionsRequest, { storeId: store!.id, limit: 10, maskKeys: true, filter: { hasKey: 'cart' } });
    assert.deepEqual(await completed(server), expected);
    // A session picker lists its own first page, here smaller than the view's listing.
    await server.client.sendRequest(ListSessionsRequest, { storeId: store!.id, limit: 1, maskKeys: true });
    assert.deepEqual(await completed(server), expected);
  });
});
