import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkspaceEdit } from 'vscode-languageserver/node';
import { discoverProjects, openStore, PyDict } from '../../../engine/src';
import { TRUST_UNSEEN_VARIABLE } from '../../../engine/src/stores/sqlite/openByOthers';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';
import { positionOf } from './positionOf';
import { writeEmptySessionTable } from '../engine/stores/sqliteFixture';

const VIEWS = ['def add(request):', "    cart = request.session.get('cart', {})", "    request.session['cart'] = cart", ''].join('\n');
/** VS Code's: it asks before applying edits marked as needing confirmation. */
const CONFIRMING_EDITOR = { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true } };

/** A project on an SQLite store holding two live sessions with a cart, one without, and an expired one with a cart. */
async function project(): Promise<string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-rename-stored-'));
  fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
  fs.mkdirSync(path.join(root, 'site'));
  fs.writeFileSync(path.join(root, 'site', 'settings.py'), 'SECRET_KEY = "k"\nUSE_TZ = True\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n');
  fs.writeFileSync(path.join(root, 'site', 'views.py'), VIEWS);
  await writeEmptySessionTable(path.join(root, 'db.sqlite3'));
  const [found] = await discoverProjects(root);
  const store = await openStore(found!.stores[0]!, { sqliteDriver: 'sqljs', env: { ...process.env, [TRUST_UNSEEN_VARIABLE]: '1' } });
  const sessions: Array<[string, PyDict]> = [
    ['alive1aaaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['cart', new PyDict([['1', 2n]])]])],
    ['alive2aaaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['cart', new PyDict()]])],
    ['nocartaaaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['theme', 'dark']])],
    ['expiredaaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['cart', new PyDict()]])],
  ];
  for (const [key, data] of sessions) {
    await store.save(key, data, { create: true });
  }
  await store.setExpiry('expiredaaaaaaaaaaaaaaaaaaaaaaaaa', { kind: 'now' });
  await store.close();
  // Signed with another SECRET_KEY: Django reads it as empty, so its cart is no loss.
  const stranger = await openStore({ ...found!.stores[0]!, secretKeys: { values: ['another-key'] } }, { sqliteDriver: 'sqljs', env: { ...process.env, [TRUST_UNSEEN_VARIABLE]: '1' } });
  await stranger.save('otherkeyaaaaaaaaaaaaaaaaaaaaaaaa', new PyDict([['cart', new PyDict()]]), { create: true });
  await stranger.close();
  return root;
}

describe('rename of a key that stored sessions hold', () => {
  let root: string;
  let server: LanguageServer | undefined;

  beforeEach(async () => {
    root = await project();
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  const renameCart = (s: LanguageServer) => {
    const at = positionOf(VIEWS, "'cart'", 1);
    return s.at<WorkspaceEdit>('textDocument/rename', path.join(root, 'site', 'views.py'), at.line, at.character, { newName: 'basket' });
  };

  it('asks first, naming how many live sessions of the local store hold the key and what their users lose', async () => {
    server = await startLanguageServer([root], true, CONFIRMING_EDITOR);
    const shown: string[] = [];
    server.client.onRequest('window/showMessageRequest', (params: { message: string }) => void shown.push(params.message));
    const edit = await renameCart(server);
    const annotation = edit.changeAnnotations?.confirmed;
    assert.ok(annotation, JSON.stringify(edit));
    assert.equal(annotation.label, '"cart" is in 2 stored sessions');
    assert.equal(annotation.needsConfirmation, true);
    assert.match(annotation.description!, /^By store: 2 in db · SQLite · db\.sqlite3\. After the rename Django looks for "basket" in them and finds nothing/);
    const edits = edit.documentChanges!.flatMap((change) => ('edits' in change ? change.edits : []));
    assert.equal(edits.length, 2);
    assert.ok(edits.every((e) => 'newText' in e && e.newText === 'basket' && 'annotationId' in e && e.annotationId === 'confirmed'));
    // VS Code's preview says why only on hover: a message says it where it is seen.
    await eventually(() => assert.equal(shown.length, 1));
    assert.match(shown[0]!, /^"cart" is in 2 stored sessions\. By store: 2 in db · SQLite · db\.sqlite3\. .* The rename waits in the Refactor Preview: tick its changes and Apply to rename anyway, or Discard\.$/);
  });

  it('reads no store in an untrusted workspace, nor for an editor that cannot ask: the plain rename', async () => {
    server = await startLanguageServer([root], false, CONFIRMING_EDITOR);
    assert.equal((await renameCart(server)).changeAnnotations, undefined);
    await server.stop();
    server = await startLanguageServer([root], true);
    const plain = await renameCart(server);
    assert.equal(plain.changeAnnotations, undefined);
    assert.equal(Object.values(plain.changes!).flat().length, 2);
  });
});
