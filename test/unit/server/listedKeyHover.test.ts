import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { SessionKeyIndex } from '../../../engine/src';
import { hoverSessionKey } from '../../../server/src/hover';
import { ListSessionsRequest, ListStoresRequest } from '../../../server/src/protocol';
import { startLanguageServer, type LanguageServer } from './languageServer';
import { listedSessionsProject } from './listedSessionsProject';
import { positionOf } from './positionOf';

describe('hover on a session key no code writes that listed sessions hold', () => {
  const views = '/proj/shop/views.py';
  const source = ['def step(request):', '    request.session.get("wizard_step")', '    request.session["legacy"]', '    return request.session.get("coupon")', ''].join('\n');
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    index.updateFile(views, source);
  });

  const note = (needle: string, listed: { store: string; sessions: Map<string, number> }[]) => {
    const p = positionOf(source, needle, 1);
    return (hoverSessionKey(index, views, p.line, p.character, '/proj', [], false, listed)?.contents as MarkupContent).value.split('\n').at(-1);
  };
  const db = 'db · SQLite · db.sqlite3';

  it('says how many listed sessions of which store hold it, not that reading it always gives the default', () => {
    const listed = [{ store: db, sessions: new Map([['wizard_step', 3], ['legacy', 1]]) }];
    assert.equal(
      note('"wizard_step"', listed),
      'No code of the project writes this key, but 3 listed sessions of `db · SQLite · db.sqlite3` hold it (an installed app, code outside the workspace or code since removed wrote it).',
    );
    assert.equal(
      note('"legacy"', listed),
      'No code of the project writes this key, but 1 listed session of `db · SQLite · db.sqlite3` holds it (an installed app, code outside the workspace or code since removed wrote it); in a session without it, indexing it (`shop/views.py:3`) raises KeyError unless an `in` check guards it.',
    );
    assert.equal(note('"coupon"', listed), 'Nothing in this project writes this key, so reading it always gives the default.');
  });

  it('names each store whose listed sessions hold it', () => {
    const listed = [
      { store: db, sessions: new Map([['wizard_step', 2]]) },
      { store: 'cache · Redis · localhost:6379/0', sessions: new Map([['wizard_step', 1]]) },
    ];
    assert.match(note('"wizard_step"', listed)!, /^No code of the project writes this key, but 2 listed sessions of `db · SQLite · db\.sqlite3` and 1 listed session of `cache · Redis · localhost:6379\/0` hold it /);
  });
});

describe('the keys hover takes from the Sessions view', () => {
  const VIEWS = ['def step(request):', "    return request.session.get('wizard_step')", ''].join('\n');
  let root: string;
  let server: LanguageServer | undefined;

  before(async () => {
    root = await listedSessionsProject(VIEWS);
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** The hover's sentence on what reading the key gives: its last paragraph before the link that shows the sessions holding it. */
  const lastLine = async (s: LanguageServer) => {
    const hover = await s.at<Hover>('textDocument/hover', path.join(root, 'site', 'views.py'), 1, 35);
    return (hover.contents as MarkupContent).value.split('\n').filter((line) => line !== '' && !line.startsWith('[Show sessions')).at(-1);
  };

  it('says a key no code writes always gives the default until the view lists a store whose sessions hold it', async () => {
    server = await startLanguageServer([root], true);
    server.open(path.join(root, 'site', 'views.py'), VIEWS);
    assert.equal(await lastLine(server), 'Nothing in this project writes this key, so reading it always gives the default.');
    const [store] = (await server.client.sendRequest(ListStoresRequest, { refresh: false })).stores;
    await server.client.sendRequest(ListSessionsRequest, { storeId: store!.id, limit: 10, maskKeys: true, forView: true });
    assert.equal(await lastLine(server), `No code of the project writes this key, but 2 listed sessions of \`${store!.label}\` hold it (an installed app, code outside the workspace or code since removed wrote it).`);
  });
});
