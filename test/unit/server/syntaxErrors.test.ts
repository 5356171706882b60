import * as assert from 'node:assert/strict';
import { ResponseError } from 'vscode-languageserver/node';
import { lintSessionKeys, SessionKeyIndex } from '../../../engine/src';
import { renameSessionKey } from '../../../server/src/rename';

const VIEWS = '/proj/shop/views.py';
const OTHER = '/proj/shop/other.py';
const views = 'def add(request):\n    request.session["cart"] = 1\n    return request.session["cart"]\n';
const other = 'def show(request):\n    return request.session.get("cart")\n';
const ds101 = (index: SessionKeyIndex) => lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS101');

describe('an editor whose text has a syntax error while it is typed', () => {
  let index: SessionKeyIndex;
  beforeEach(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    index.updateFile(VIEWS, views);
    index.updateFile(OTHER, other);
  });

  it("keeps the file's last analysis that parsed, so its writes stay writes across the project", async () => {
    const broken = `x = foo(\n${views}`;
    index.updateEditedFile(VIEWS, broken);
    assert.equal(index.isHeldBack(VIEWS), true);
    assert.deepEqual(index.usages().filter((u) => u.file === VIEWS).map((u) => u.op), ['set', 'read']);
    assert.deepEqual(ds101(index), []);
    // The same text from disk (a scan, a file changed outside the editor) is taken as it is.
    const fromDisk = await SessionKeyIndex.create();
    fromDisk.updateFile(VIEWS, broken);
    fromDisk.updateFile(OTHER, other);
    assert.equal(fromDisk.isHeldBack(VIEWS), false);
    assert.deepEqual(fromDisk.usages().filter((u) => u.file === VIEWS).map((u) => u.op), ['read', 'read'], "the parser's recovery reads the write as a read");
    assert.equal(ds101(fromDisk).length, 3);
  });

  it('takes the text once it parses again, and refuses to rename by stale places meanwhile', () => {
    index.updateEditedFile(VIEWS, `x = foo(\n${views}`);
    const refused = renameSessionKey(index, (file) => (file === VIEWS ? `x = foo(\n${views}` : other), OTHER, 1, 33, 'basket');
    assert.ok(refused instanceof ResponseError && /views\.py:2 is in a file with a syntax error; fix it first/.test(refused.message), String(refused));
    index.updateEditedFile(VIEWS, `x = foo(1)\n${views}`);
    assert.equal(index.isHeldBack(VIEWS), false);
    assert.deepEqual(index.usages().filter((u) => u.file === VIEWS).map((u) => [u.op, u.range.start.line]), [['set', 2], ['read', 3]]);
  });

  it('takes text with an error when the file had one already: there is nothing better to keep', () => {
    index.updateFile(VIEWS, `def broken(:\n${views}`);
    index.updateEditedFile(VIEWS, `def broken(:\n${views}\n`);
    assert.equal(index.isHeldBack(VIEWS), false);
  });
});
