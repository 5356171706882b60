import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexDirectory, SessionKeyIndex } from '../../../../engine/src/analysis';
import { fixtureProject } from '../project/fixturePath';

describe('session receivers (fixture project "receivers")', () => {
  const root = fixtureProject('receivers');
  let rows: string[];

  before(async () => {
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    rows = index.usages().map((u) => `${path.relative(root, u.file)}:${u.range.start.line + 1}:${u.range.start.character}-${u.range.end.character} ${u.op} ${u.key}`);
    assert.deepEqual(index.unresolved(), []);
  });

  const of = (file: string) => rows.filter((row) => row.startsWith(`${file}:`));

  it('skips a .session the code assigns from a call (requests, aiohttp, in a method or the class body), but not from a SessionStore', () => {
    assert.deepEqual(of('shop/clients.py'), ['shop/clients.py:24:24-36 set from_store', 'shop/clients.py:29:40-50 get view_key']);
  });

  it('ends an alias where its name is bound again, follows it into closures and walruses, and reads and sets on +=', () => {
    assert.deepEqual(of('shop/aliases.py'), [
      'shop/aliases.py:3:6-14 set before',
      'shop/aliases.py:12:17-26 read closure',
      'shop/aliases.py:27:34-46 get walrus_get',
      'shop/aliases.py:28:10-22 set walrus_set',
      'shop/aliases.py:38:20-28 read visits',
      'shop/aliases.py:38:20-28 set visits',
    ]);
  });
});
