import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';

/** The text of a file whose one line reads a misspelt key, once DS101's did-you-mean fix is applied, with `written` written elsewhere. */
async function fixed(read: string, written: string): Promise<string> {
  const index = await SessionKeyIndex.create();
  const view = `def view(request):\n    return request.session.get(${read})\n`;
  index.updateFile('/p/shop/writes.py', `def write(request):\n    request.session[${written}] = 1\n`);
  index.updateFile('/p/shop/views.py', view);
  const fix = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).find((d) => d.code === 'DS101' && d.file === '/p/shop/views.py')?.fix;
  assert.ok(fix, `a fix for ${read}`);
  return TextDocument.applyEdits(TextDocument.create('file:///p/shop/views.py', 'python', 0, view), fix.edits).split('\n')[1]!;
}

describe("DS101's did-you-mean fix", () => {
  it('keeps the literal its prefix and quote', async () => {
    assert.equal(await fixed("f'carrt'", '"cart"'), "    return request.session.get(f'cart')");
    assert.equal(await fixed('R"carrt"', '"cart"'), '    return request.session.get(R"cart")');
  });

  it('writes the meant key as the literal reads it: escaped, braces doubled in an f-string', async () => {
    assert.equal(await fixed("'user_cartt'", '"user\'s_cart"'), "    return request.session.get('user\\'s_cart')");
    assert.equal(await fixed("'dir\\\\cartt'", "'dir\\\\cart'"), "    return request.session.get('dir\\\\cart')");
    assert.equal(await fixed("f'{{id}}_cartt'", "'{id}_cart'"), "    return request.session.get(f'{{id}}_cart')");
  });

  it('writes a plain literal where the raw one cannot read as the meant key', async () => {
    assert.equal(await fixed("r'user_cartt'", '"user\'s_cart"'), "    return request.session.get('user\\'s_cart')");
  });
});
