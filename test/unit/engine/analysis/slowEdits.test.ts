import * as assert from 'node:assert/strict';
import { SessionKeyIndex } from '../../../../engine/src/analysis';

/** A long view module, as a big views.py is, with `first` as its first line. */
function longModule(first: string, functions = 4000): string {
  const lines = [first];
  for (let i = 0; i < functions; i++) lines.push(`def f${i}(request): return request.session.get('x${i % 10}')`);
  return `${lines.join('\n')}\n`;
}

describe('an unfinished line in a long file being typed', () => {
  it("holds the file back while its text does not parse, keeping the last analysis, and takes the text again once it parses", async () => {
    const index = await SessionKeyIndex.create();
    const file = '/p/shop/views.py';
    index.updateFile(file, longModule('x = 1'));
    assert.equal(index.usages().length, 4000);
    index.updateEditedFile(file, longModule("x = foo['"));
    assert.equal(index.isHeldBack(file), true);
    assert.equal(index.usages().length, 4000, 'the last analysis stands meanwhile');
    index.updateEditedFile(file, longModule("x = foo['a']\nrequest.session['typed'] = 1"));
    assert.equal(index.isHeldBack(file), false);
    assert.ok(index.usages().some((u) => u.key === 'typed'));
  });
});
