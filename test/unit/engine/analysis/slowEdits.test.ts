import * as assert from 'node:assert/strict';
import { SessionKeyIndex } from '../../../../engine/src/analysis';

/** A view module of `functions` views, as a big views.py is, with `first` as its first line. */
function viewModule(first: string, functions: number): string {
  const lines = [first];
  for (let i = 0; i < functions; i++) lines.push(`def f${i}(request): return request.session.get('x${i % 10}')`);
  return `${lines.join('\n')}\n`;
}

// Each index is given the parse budget its case needs, so how fast the machine parses decides nothing.
describe('an unfinished line in a file being typed', () => {
  it('holds the file back while its text does not parse, keeping the last analysis, and takes the text again once it parses', async () => {
    const index = await SessionKeyIndex.create(60_000);
    const file = '/p/shop/views.py';
    index.updateFile(file, viewModule('x = 1', 400));
    assert.equal(index.usages().length, 400);
    index.updateEditedFile(file, viewModule("x = foo['", 400));
    assert.equal(index.isHeldBack(file), true);
    assert.equal(index.usages().length, 400, 'the last analysis stands meanwhile');
    index.updateEditedFile(file, viewModule("x = foo['a']\nrequest.session['typed'] = 1", 400));
    assert.equal(index.isHeldBack(file), false);
    assert.ok(index.usages().some((u) => u.key === 'typed'));
  });

  it('holds back an edit whose parse runs past the budget, as in a long file with an unfinished line, until it is saved', async () => {
    const index = await SessionKeyIndex.create(0);
    const file = '/p/shop/views.py';
    index.updateFile(file, viewModule('x = 1', 400));
    const typed = viewModule("request.session['typed'] = 1", 400);
    index.updateEditedFile(file, typed);
    assert.equal(index.isHeldBack(file), true);
    assert.equal(index.usages().some((u) => u.key === 'typed'), false, 'the last analysis stands meanwhile');
    // The parser the cut-off parse used is every index's: it starts the next text afresh.
    const other = await SessionKeyIndex.create();
    other.updateFile('/p/shop/other.py', "def g(request):\n    return request.session['other']\n");
    assert.deepEqual(other.usages().map((u) => u.key), ['other']);
    index.updateFile(file, typed);
    assert.equal(index.isHeldBack(file), false, 'a save takes the text');
    assert.equal(index.usages().filter((u) => u.key === 'typed').length, 1);
  });
});
