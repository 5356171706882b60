import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexDirectory, SessionKeyIndex } from '../../../../engine/src/analysis';
import { fixtureProject } from '../project/fixturePath';

describe('keys from base classes and unparsed key modules (fixture project "inheritance")', () => {
  const root = fixtureProject('inheritance');
  let index: SessionKeyIndex;
  let rows: string[];

  before(async () => {
    index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    rows = index.usages().map((u) => `${u.range.start.line + 1}:${u.range.start.character}-${u.range.end.character} ${u.op} ${u.key} ${u.definition ? `${path.relative(root, u.definition.file)}:${u.definition.name}` : ''}`);
  });

  it('resolves self.KEY through bases imported, re-exported, star-imported, dotted and of the same module', () => {
    assert.deepEqual(rows.slice(0, 5), [
      '13:36-53 read mixin_cart shop/mixins.py:CartMixin.SESSION_CART',
      '18:29-46 set mixin_step shop/mixins.py:StepMixin.SESSION_STEP',
      '19:29-46 set mixin_cart shop/mixins.py:CartMixin.SESSION_CART',
      '20:29-47 set local_base shop/views/checkout.py:Local.SESSION_LOCAL',
      '25:36-53 read mixin_cart shop/mixins.py:CartMixin.SESSION_CART',
    ]);
  });

  it('reads annotated, f-string and prefixed constants of a module that never mentions sessions as parsing would', () => {
    assert.deepEqual(rows.slice(5), [
      '29:20-28 set cart shop/keys.py:CART_KEY',
      '30:20-28 set step shop/keys.py:STEP_KEY',
      '31:20-24 set fkey shop/keys.py:FKEY',
      '32:20-24 set raw shop/keys.py:RKEY',
      '33:20-24 set unicode shop/keys.py:UKEY',
    ]);
    assert.deepEqual(
      index.unresolved().map((u) => `${u.range.start.line + 1} ${u.reason}`),
      ["34 'TWICE' is not a str constant the scanner can find"],
    );
    const keys = [...index.analyses()].find((analysis) => analysis.file.endsWith('keys.py'));
    assert.equal(keys?.session, undefined, 'keys.py is read without parsing');
    assert.deepEqual(keys?.module.constants.get('CART_KEY')?.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 8 } });
  });
});
