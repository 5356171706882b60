import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexDirectory, lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

describe('keys held in an Enum', () => {
  async function indexOf(keys: string, views: string) {
    const root = tempProject({ 'shop/__init__.py': '', 'shop/keys.py': keys, 'shop/views.py': views });
    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    const file = path.join(root, 'shop', 'views.py');
    return {
      usages: index.usages().filter((u) => u.file === file).map((u) => `${u.range.start.line + 1} ${u.op} ${u.key} ${u.definition?.name}`),
      unresolved: index.unresolved().filter((u) => u.file === file).map((u) => `${u.range.start.line + 1} ${u.reason}`),
      keysParsed: [...index.analyses()].find((analysis) => analysis.file.endsWith('keys.py'))?.session !== undefined,
      lint: lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).map((d) => `${path.relative(root, d.file)}:${d.range.start.line + 1} ${d.code} ${d.message}`),
    };
  }

  const views = [
    'from shop.keys import Keys',
    'from shop import keys',
    '',
    'def add(request, cart):',
    '    request.session[Keys.CART.value] = cart',
    '    request.session[keys.Keys.COUPON.value] = None',
    '',
    'def show(request):',
    '    return request.session.get(Keys.CART.value), request.session[Keys.COUPON], request.session.get(Keys.CART)',
    '',
    'def legacy(request):',
    '    return request.session.get("shop_cart")',
    '',
  ].join('\n');

  it("resolves MEMBER.value to the member's str, and a str Enum's member itself, in a module read without parsing", async () => {
    const { usages, unresolved, lint, keysParsed } = await indexOf('import enum\n\nclass Keys(str, enum.Enum):\n    CART = "shop_cart"\n    COUPON = "shop_coupon"\n', views);
    assert.deepEqual(usages, [
      '5 set shop_cart Keys.CART',
      '6 set shop_coupon Keys.COUPON',
      '9 get shop_cart Keys.CART',
      '9 read shop_coupon Keys.COUPON',
      '9 get shop_cart Keys.CART',
      '12 get shop_cart undefined',
    ]);
    assert.deepEqual([unresolved, keysParsed], [[], false]);
    assert.deepEqual(lint, ["shop/views.py:12 DS106 'shop_cart' duplicates the constant Keys.CART (shop/keys.py); use Keys.CART so the key is named in one place."]);
  });

  it("takes a plain Enum's member for no str key, saying which str it holds, and a StrEnum's or TextChoices' for its str", async () => {
    const plain = await indexOf('from enum import Enum\n\nclass Base(Enum):\n    pass\n\nclass Keys(Base):\n    CART = "shop_cart"\n    COUPON = "shop_coupon"\n', views);
    assert.deepEqual(plain.lint, [
      "shop/views.py:6 DS102 Session key 'shop_coupon' is written but never read in this project (2 reads with a dynamic key could also read it); read it where it is needed or stop storing it.",
      "shop/views.py:12 DS106 'shop_cart' duplicates the constant Keys.CART.value (shop/keys.py); use Keys.CART.value so the key is named in one place.",
    ]);
    assert.deepEqual(plain.usages, ['5 set shop_cart Keys.CART.value', '6 set shop_coupon Keys.COUPON.value', '9 get shop_cart Keys.CART.value', '12 get shop_cart undefined']);
    assert.deepEqual(plain.unresolved, [
      "9 'Keys.COUPON' is a member of the Enum Keys, not a str (no str key equals it, and JSON cannot store it as a key): its str is Keys.COUPON.value",
      "9 'Keys.CART' is a member of the Enum Keys, not a str (no str key equals it, and JSON cannot store it as a key): its str is Keys.CART.value",
    ]);
    for (const base of ['enum.StrEnum', 'models.TextChoices']) {
      const str = await indexOf(`class Keys(${base}):\n    CART = "shop_cart"\n    COUPON = "shop_coupon"\n`, views);
      assert.deepEqual([str.usages.length, str.unresolved], [6, []], base);
    }
  });
});
