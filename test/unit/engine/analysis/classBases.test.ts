import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexDirectory, type ResolvedUsage, SessionKeyIndex } from '../../../../engine/src/analysis';
import { fixtureProject } from '../project/fixturePath';

describe('keys from base classes and unparsed key modules (fixture project "inheritance")', () => {
  const root = fixtureProject('inheritance');
  let index: SessionKeyIndex;
  let rows: string[];
  let imported: string[];

  before(async () => {
    index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    const row = (u: ResolvedUsage) => `${u.range.start.line + 1}:${u.range.start.character}-${u.range.end.character} ${u.op} ${u.key} ${u.definition ? `${path.relative(root, u.definition.file)}:${u.definition.name}` : ''}`;
    rows = index.usages().filter((u) => u.file.endsWith('checkout.py')).map(row);
    imported = index.usages().filter((u) => u.file.endsWith('imported.py')).map(row);
  });

  const unresolvedIn = (file: string) => index.unresolved().filter((u) => u.file.endsWith(file)).map((u) => `${u.range.start.line + 1} ${u.reason}`);

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
    assert.deepEqual(unresolvedIn('checkout.py'), ["34 'TWICE' is not a str constant the scanner can find"]);
    const keys = [...index.analyses()].find((analysis) => analysis.file.endsWith('keys.py'));
    assert.equal(keys?.session, undefined, 'keys.py is read without parsing');
    assert.deepEqual(keys?.module.constants.get('CART_KEY')?.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 8 } });
  });

  it('resolves class attributes of classes imported from a module read without parsing, and through bases imported from it', () => {
    assert.deepEqual(imported, [
      '7:24-32 set base_key shop/keyclasses.py:Base.KEY',
      '8:31-40 read last_seen shop/keyclasses.py:Keys.LAST',
      '8:59-79 read last_seen shop/keyclasses.py:Keys.LAST',
      '13:31-39 read base_key shop/keyclasses.py:Base.KEY',
      '13:58-66 read middle_own shop/keyclasses.py:Middle.OWN',
      '13:85-104 read base_key shop/keyclasses.py:Base.KEY',
    ]);
    assert.deepEqual(unresolvedIn('imported.py'), [
      "17 'Keys.MISSING' is not a str class attribute the scanner can find",
      "17 'keyclasses.Nothing' is neither a module nor a class the scanner can find",
    ]);
    const keyClasses = [...index.analyses()].find((analysis) => analysis.file.endsWith('keyclasses.py'));
    assert.equal(keyClasses?.session, undefined, 'keyclasses.py is read without parsing');
  });
});
