import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { ResponseError, type WorkspaceEdit } from 'vscode-languageserver/node';
import { SessionKeyIndex } from '../../../engine/src';
import { hoverSessionKey } from '../../../server/src/hover';
import { sessionKeyDefinition, sessionKeyReferences } from '../../../server/src/navigation';
import { prepareSessionKeyRename, renameSessionKey } from '../../../server/src/rename';
import { positionOf } from './positionOf';

const root = '/proj';
const files: Record<string, string> = {
  '/proj/shop/keys.py': 'CART = "cart"\n',
  '/proj/shop/views.py': [
    'from shop.keys import CART',
    '',
    'def add(request):',
    "    request.session['cart'] = {}",
    '    request.session[CART]["n"] = 1',
    '',
    'def show(request):',
    '    return request.session.get("cart"), request.session.get(\'promo\')',
    '',
    'def who(request):',
    "    return request.session['_auth_user_id']",
    '',
  ].join('\n'),
};
const text = (file: string) => files[file];

/** The position of the n-th occurrence of `needle` in a file, plus `offset` characters. */
function at(file: string, needle: string, offset = 1, nth = 0): { line: number; character: number } {
  return positionOf(files[file]!, needle, offset, nth);
}

describe('session-key hover, navigation and rename', () => {
  let index: SessionKeyIndex;
  const views = '/proj/shop/views.py';

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot(root);
    for (const [file, source] of Object.entries(files)) index.updateFile(file, source);
  });

  it('hovers with where the key is written and read', () => {
    const p = at(views, "'cart'");
    const hover = hoverSessionKey(index, views, p.line, p.character, root);
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /session key\*\* `cart`/);
    assert.match(value, /Written in 1 place, read in 2 places/);
    assert.match(value, /set at `shop\/views.py:4`/);
  });

  it('hovers with where the key is read, each place with its access', () => {
    const p = at(views, "'cart'");
    const value = (hoverSessionKey(index, views, p.line, p.character, root)?.contents as { value: string }).value;
    assert.match(value, /Written in 1 place, read in 2 places\.\n- set at `shop\/views\.py:4`\n\nRead:\n- read at `shop\/views\.py:5`\n- get at `shop\/views\.py:8`$/);
  });

  it('names the first three places of each kind on hover, and how many more there are', async () => {
    const busy = await SessionKeyIndex.create();
    busy.addRoot(root);
    const lines = ['def busy(request):'];
    for (let i = 0; i < 5; i++) lines.push(`    request.session["step"] = ${i}`);
    for (let i = 0; i < 4; i++) lines.push('    request.session.get("step")');
    busy.updateFile('/proj/flow.py', `${lines.join('\n')}\n`);
    const value = (hoverSessionKey(busy, '/proj/flow.py', 1, 22, root)?.contents as { value: string }).value;
    assert.equal(
      value,
      [
        '**session key** `step`',
        '',
        'Written in 5 places, read in 4 places.',
        '- set at `flow.py:2`',
        '- set at `flow.py:3`',
        '- set at `flow.py:4`',
        '- and 2 more',
        '',
        'Read:',
        '- get at `flow.py:7`',
        '- get at `flow.py:8`',
        '- get at `flow.py:9`',
        '- and 1 more',
      ].join('\n'),
    );
  });

  it('warns on hover when nothing writes the key', () => {
    const p = at(views, "'promo'");
    const value = (hoverSessionKey(index, views, p.line, p.character, root)?.contents as { value: string }).value;
    assert.match(value, /Nothing in this project writes this key/);
  });

  it("describes Django's own keys", () => {
    const p = at(views, "'_auth_user_id'");
    const value = (hoverSessionKey(index, views, p.line, p.character, root)?.contents as { value: string }).value;
    assert.match(value, /primary key/);
  });

  it('goes to the constant, or to the writes when the key is a literal', () => {
    const viaConstant = at(views, 'CART]', 1);
    const def = sessionKeyDefinition(index, views, viaConstant.line, viaConstant.character);
    assert.deepEqual(def?.map((l) => [l.uri, l.range.start.line]), [[pathToFileURL('/proj/shop/keys.py').toString(), 0]]);
    const literal = at(views, '"cart"');
    const writes = sessionKeyDefinition(index, views, literal.line, literal.character);
    assert.deepEqual(writes?.map((l) => l.range.start.line), [3]);
  });

  it('finds every reference of the key, and with the declarations the literal of the constant naming it', () => {
    const p = at(views, "'cart'");
    const keysUri = pathToFileURL('/proj/shop/keys.py').toString();
    const found = (includeDeclaration: boolean) =>
      sessionKeyReferences(index, views, p.line, p.character, includeDeclaration)?.map((l) => `${l.uri === keysUri ? 'keys' : 'views'}:${l.range.start.line}:${l.range.start.character}`).sort();
    assert.deepEqual(found(false), ['views:3:20', 'views:4:20', 'views:7:31']);
    assert.deepEqual(found(true), ['keys:0:7', 'views:3:20', 'views:4:20', 'views:7:31']);
  });

  it("works from the constant's own literal as from any use of the key: hover, references and rename", () => {
    const keys = '/proj/shop/keys.py';
    const p = at(keys, '"cart"');
    assert.match((hoverSessionKey(index, keys, p.line, p.character, root)?.contents as { value: string }).value, /session key\*\* `cart`[\s\S]*Written in 1 place, read in 2 places/);
    assert.equal(sessionKeyReferences(index, keys, p.line, p.character, false)?.length, 3);
    const prepared = prepareSessionKeyRename(index, text, keys, p.line, p.character);
    assert.deepEqual(prepared, { range: { start: { line: 0, character: 8 }, end: { line: 0, character: 12 } }, placeholder: 'cart' });
    const edit = renameSessionKey(index, text, keys, p.line, p.character, 'basket') as WorkspaceEdit;
    assert.equal(Object.values(edit.changes!).flat().length, 3, 'the two literals in views.py and the constant');
    const name = at(keys, 'CART', 0);
    assert.equal(prepareSessionKeyRename(index, text, keys, name.line, name.character), undefined, "the constant's name is Python's to rename");
  });

  it('renames inside literals and in the constant, keeping the constant name', () => {
    const p = at(views, "'cart'");
    const prepared = prepareSessionKeyRename(index, text, views, p.line, p.character);
    assert.ok(prepared && !(prepared instanceof ResponseError));
    assert.equal(prepared.placeholder, 'cart');
    const edit = renameSessionKey(index, text, views, p.line, p.character, 'basket') as WorkspaceEdit;
    const viewsEdits = edit.changes![pathToFileURL(views).toString()]!.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character, e.newText]);
    assert.deepEqual(viewsEdits.sort(), [
      [3, 21, 25, 'basket'],
      [7, 32, 36, 'basket'],
    ]);
    assert.deepEqual(edit.changes![pathToFileURL('/proj/shop/keys.py').toString()]!.map((e) => [e.range.start.line, e.range.start.character, e.newText]), [[0, 8, 'basket']]);
  });

  it("refuses to rename Django's keys or to a name that breaks the literal", () => {
    const django = at(views, "'_auth_user_id'");
    assert.ok(renameSessionKey(index, text, views, django.line, django.character, 'uid') instanceof ResponseError);
    const p = at(views, "'cart'");
    assert.ok(renameSessionKey(index, text, views, p.line, p.character, "it's") instanceof ResponseError);
  });
});
