import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexDirectory, SessionKeyIndex } from '../../../../engine/src/analysis';
import { fixtureProject } from '../project/fixturePath';

describe('session key resolution (fixture project "resolution")', () => {
  const root = fixtureProject('resolution');
  let rows: string[];
  let unresolved: string[];

  before(async () => {
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    rows = index.usages().map((u) => `${path.relative(root, u.file)}:${u.range.start.line + 1}:${u.range.start.character}-${u.range.end.character} ${u.op} ${u.key}`);
    unresolved = index.unresolved().map((u) => `${path.relative(root, u.file)}:${u.range.start.line + 1} ${u.op} ${u.reason}`);
  });

  const of = (file: string) => rows.filter((row) => row.startsWith(`${file}:`));

  it('covers every operation, sync and async, through an alias', () => {
    assert.deepEqual(of('ops.py'), [
      'ops.py:3:10-13 delete a',
      'ops.py:3:18-21 delete b',
      'ops.py:4:7-10 contains c',
      'ops.py:4:34-37 contains d',
      'ops.py:5:25-28 contains e',
      'ops.py:6:17-20 pop f',
      'ops.py:7:24-27 setdefault g',
      'ops.py:8:21-24 update h',
      'ops.py:9:13-14 update i',
      'ops.py:9:18-19 update j',
      'ops.py:10:6-9 read k',
      'ops.py:10:6-9 set k',
      'ops.py:11:11-15 contains l',
      'ops.py:11:22-29 contains mn',
    ]);
  });

  it('keeps an alias to the function that assigned it, and ignores lookalikes', () => {
    assert.deepEqual(of('alias.py'), ['alias.py:3:12-17 set one', 'alias.py:9:32-39 read three']);
  });

  it('resolves constants through relative, absolute, aliased, star, re-exported and function-local imports', () => {
    assert.deepEqual(of('shop/views.py'), [
      'shop/views.py:10:36-44 read base_key',
      'shop/views.py:14:20-26 set cart',
      'shop/views.py:15:20-31 set coupon',
      'shop/views.py:16:20-26 set cart',
      'shop/views.py:17:20-26 set coupon',
      'shop/views.py:18:20-25 set local',
      'shop/views.py:19:20-21 set cart',
      'shop/views.py:20:20-23 set from_local',
      'shop/views.py:21:20-29 set base_key',
      // A loop over literal keys sets each, at its literal (see loopKeys.test.ts).
      'shop/views.py:23:17-20 set x',
    ]);
    assert.deepEqual(unresolved.filter((row) => row.startsWith('shop/')), ["shop/views.py:22 set 'UNKNOWN' is not a str constant the scanner can find"]);
  });

  it('says where a constant whose value is computed at run time is bound, through imports and compositions too', () => {
    assert.deepEqual(of('computed_views.py'), ['computed_views.py:8:20-22 set shop_x']);
    assert.deepEqual(
      unresolved.filter((row) => row.startsWith('computed')),
      [
        'computed_views.py:7 set the key is the constant FIELD (computed.py:2), bound to something other than a str literal',
        'computed_views.py:9 set the key is the constant FIELD (computed.py:2), bound to something other than a str literal',
      ],
    );
  });

  it('says which method of a base class in another module sets an instance attribute, and to what', () => {
    assert.deepEqual(of('wizard/storage.py'), ['wizard/storage.py:7:69-82 read step']);
    assert.deepEqual(
      unresolved.filter((row) => row.startsWith('wizard/')),
      [
        "wizard/storage.py:6 set 'self.prefix' is an instance attribute BaseStorage.__init__ sets at run time (wizard/base.py:5) to a computed value, not a str class attribute",
        "wizard/storage.py:7 read 'self.name' is an instance attribute BaseStorage.__init__ sets at run time (wizard/base.py:7) from its parameter 'prefix', not a str class attribute",
      ],
    );
  });

  it("resolves Django's own constants", () => {
    assert.deepEqual(
      of('auth.py').map((row) => row.split(' ').pop()),
      ['_auth_user_id', '_auth_user_hash', '_auth_user_backend', '_language'],
    );
  });

  it('counts columns in UTF-16 code units', () => {
    assert.deepEqual(of('unicode.py'), ['unicode.py:2:31-37 set ключ']);
  });

  it('says why a key is unresolved: a comprehension or loop variable, or an instance attribute', () => {
    assert.deepEqual(of('reasons.py'), ['reasons.py:10:107-115 read cart']);
    assert.deepEqual(
      unresolved.filter((row) => row.startsWith('reasons.py')),
      [
        "reasons.py:10 read 'self.key' is an instance attribute Cart.__init__ sets at run time (reasons.py:6) from its parameter 'key', not a str class attribute",
        "reasons.py:10 read 'self.second' is an instance attribute set at runtime (Cart's methods assign it), not a str class attribute",
        "reasons.py:10 read 'Cart.missing' is not a str class attribute the scanner can find",
        "reasons.py:14 read 'Cart.key' is not a str class attribute the scanner can find",
        "reasons.py:18 get the key is the loop variable 'k' of a comprehension",
        "reasons.py:20 set the key is the loop variable 'name'",
      ],
    );
  });
});
