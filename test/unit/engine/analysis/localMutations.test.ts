import * as assert from 'node:assert/strict';
import { lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';

const VIEWS = [
  'def add(request):',
  '    items = request.session.get("items", [])',
  '    items.append(3)',
  '    filters = request.session["filters"]',
  '    filters["page"] = 2',
  '    del filters["sort"]',
  '',
  'async def tags(request):',
  '    tags = await request.session.asetdefault("tags", {})',
  '    tags.update(a=1)',
  '',
  'def saved_again(request):',
  '    cart = request.session.get("cart", {})',
  '    cart["n"] = 1',
  '    request.session["cart"] = cart',
  '',
  'def marked(request):',
  '    seen = request.session.get("seen", [])',
  '    seen.append(1)',
  '    request.session.modified = True',
  '',
  'def rebound(request, other):',
  '    ids = request.session.get("ids", [])',
  '    ids = list(other)',
  '    ids.append(1)',
  '',
  'def copied(request):',
  '    names = list(request.session.get("names", []))',
  '    names.append("x")',
  '    request.session.get("theme", "dark").upper()',
  '',
].join('\n');

describe('DS104 for a local bound straight from a session read', () => {
  it('reports in-place changes through the local, unless the key is stored again or modified is set', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/views.py', VIEWS);
    const rows = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
      .filter((d) => d.code === 'DS104')
      .map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.message, d.fix?.edits.map((e) => [e.range.start.line, e.range.start.character, e.newText])]);
    const message = (key: string) => `Session key '${key}' is changed in place, which Django does not notice, so the change is not saved; set request.session.modified = True after it (or assign the key again).`;
    assert.deepEqual(rows, [
      [2, 4, 9, message('items'), [[2, 19, '\n    request.session.modified = True']]],
      [4, 4, 11, message('filters'), [[4, 23, '\n    request.session.modified = True']]],
      [5, 8, 15, message('filters'), [[5, 23, '\n    request.session.modified = True']]],
      [9, 4, 8, message('tags'), [[9, 20, '\n    request.session.modified = True']]],
    ]);
  });

  it('leaves them to SESSION_SAVE_EVERY_REQUEST', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/views.py', VIEWS);
    assert.deepEqual(lintSessionKeys(index, { serializer: 'json', saveEveryRequest: true }).filter((d) => d.code === 'DS104'), []);
  });
});

const SAVED_ELSEWHERE = [
  'CART_KEY = "cart"',
  '',
  'class Cart:',
  '    def __init__(self, request):',
  '        self.session = request.session',
  '',
  '    def add(self, pid, qty=1):',
  '        self.session[CART_KEY][str(pid)] = qty',
  '        self.save()',
  '',
  '    def save(self):',
  '        self.session.modified = True',
  '',
  'def history(request):',
  '    request.session["history"] = []',
  '    request.session["history"].append("x")',
  '',
  'def wizard(request):',
  '    data = request.session.get("wizard", {})',
  '    data.update(step=2)',
  '    del request.session["wizard"]',
  '',
  'def test_cart(client):',
  '    session = client.session',
  '    session["basket"].append(2)',
  '    session.save()',
  '',
  'def forgotten(request):',
  '    request.session["basket"].append(3)',
  '',
].join('\n');

describe('DS104 where Django saves the change after all', () => {
  it("counts modified set in another method of the same class, a write of the key in the scope, and an explicit save(); still reports a change nothing saves", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/cart.py', SAVED_ELSEWHERE);
    const lines = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
      .filter((d) => d.code === 'DS104')
      .map((d) => d.range.start.line);
    assert.deepEqual(lines, [28]);
  });
});

describe('the DS104 quick fix', () => {
  it('keeps the indentation of the changed line, tabs included, and offers no fix after a header on the same line', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/views.py', ['def a(request, flag):', '\tif flag:', '\t\trequest.session["c"].append(1)', '', 'def b(request, flag):', '    if flag: request.session["d"].append(1)', ''].join('\n'));
    const fixes = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
      .filter((d) => d.code === 'DS104')
      .map((d) => [d.range.start.line, d.fix?.edits[0]?.newText]);
    assert.deepEqual(fixes, [
      [2, '\n\t\trequest.session.modified = True'],
      [5, undefined],
    ]);
  });

  it('gives working code at the end of a file without a final newline, and keeps CRLF line breaks', async () => {
    const index = await SessionKeyIndex.create();
    const fixed = (text: string): string => {
      index.updateFile('/p/shop/views.py', text);
      const [edit] = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).find((d) => d.code === 'DS104')!.fix!.edits;
      const lines = text.split('\n');
      const offset = lines.slice(0, edit!.range.start.line).reduce((n, line) => n + line.length + 1, 0) + edit!.range.start.character;
      return text.slice(0, offset) + edit!.newText + text.slice(offset);
    };
    assert.equal(fixed('def a(request):\n    request.session["c"].append(1)'), 'def a(request):\n    request.session["c"].append(1)\n    request.session.modified = True');
    assert.equal(fixed('def a(request):\r\n    request.session["c"].append(1)  # more\r\n    return 1\r\n'), 'def a(request):\r\n    request.session["c"].append(1)  # more\r\n    request.session.modified = True\r\n    return 1\r\n');
  });
});
