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
  'def nested(request):',
  '    cart = request.session.setdefault("basket", {"items": []})',
  '    cart["items"].append(1)',
  '    cart["totals"]["n"] = 2',
  '    print(cart["items"][0])',
  '',
  'def inline(request):',
  '    request.session.setdefault("favs", []).append(1); return None',
  '',
  'def lines(request, pid, line):',
  '    cart = request.session.setdefault("lines", {})',
  '    cart.setdefault(pid, []).append(line)',
  '    cart.get("seen", {}).update(a=1)',
  '    print(cart.get(pid, []).count(line))',
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
      // A statement after it on the line (a return) is where the fix must not go: before it instead.
      [38, 4, 42, message('favs'), [[38, 52, '; request.session.modified = True']]],
      [2, 4, 9, message('items'), [[2, 19, '\n    request.session.modified = True']]],
      [4, 4, 11, message('filters'), [[4, 23, '\n    request.session.modified = True']]],
      [5, 8, 15, message('filters'), [[5, 23, '\n    request.session.modified = True']]],
      [9, 4, 8, message('tags'), [[9, 20, '\n    request.session.modified = True']]],
      [33, 4, 8, message('basket'), [[33, 27, '\n    request.session.modified = True']]],
      [34, 4, 8, message('basket'), [[34, 27, '\n    request.session.modified = True']]],
      [42, 4, 8, message('lines'), [[42, 41, '\n    request.session.modified = True']]],
      [43, 4, 8, message('lines'), [[43, 36, '\n    request.session.modified = True']]],
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

describe('DS104 after a write of another key', () => {
  it("counts any later write or del on the session, whose key need not be known: Django then saves the whole session (pretix's cart)", async () => {
    const lines = await ds104Lines([
      'def remove(request, current_id):',
      '    del request.session["carts"][current_id]',
      '    del request.session["current_cart_event_{}".format(request.event.pk)]',
      '',
      'def add(request, new_id, cart_data):',
      '    request.session["carts"][new_id] = cart_data',
      '    request.session["current_cart_event_{}".format(request.event.pk)] = new_id',
      '',
      'def maybe(request, flag):',
      '    request.session["carts"].append(1)',
      '    if flag:',
      '        request.session["x"] = 1',
      '',
      'def only_read(request):',
      '    request.session["carts"].append(1)',
      '    return request.session.get("x")',
    ]);
    assert.deepEqual(lines, [14]);
  });
});

describe('DS104 in a class whose __init__ writes the session', () => {
  it("counts a write in __init__, which runs before any other method of the instance, as modified = True there counts (Misago's Messages); not a write in another method", async () => {
    const lines = await ds104Lines([
      'class Messages:',
      '    def __init__(self, session):',
      '        self.session = session',
      '        self.session["messages_list"] = []',
      '',
      '    def set_flash(self, message):',
      '        self.session["messages_list"].append(message)',
      '',
      'class Later:',
      '    def reset(self):',
      '        self.session["items"] = []',
      '',
      '    def add(self, item):',
      '        self.session["items"].append(item)',
    ]);
    assert.deepEqual(lines, [13]);
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

/** The lines of DS104 findings in one file. */
async function ds104Lines(source: string[]): Promise<number[]> {
  const index = await SessionKeyIndex.create();
  index.updateFile('/p/shop/views.py', source.join('\n'));
  return lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
    .filter((d) => d.code === 'DS104')
    .map((d) => d.range.start.line);
}

describe('DS104 after a write of the key earlier in the function', () => {
  it('counts a write that runs on every path to the change, not one that runs only sometimes', async () => {
    const lines = await ds104Lines([
      'def first_visit(request):',
      '    if "cart" not in request.session:',
      '        request.session["cart"] = []',
      '    request.session["cart"].append(1)',
      '',
      'def looped(request, rows):',
      '    for row in rows:',
      '        request.session["rows"] = []',
      '    request.session["rows"].append(1)',
      '',
      'def tried(request):',
      '    try:',
      '        request.session["seen"] = load()',
      '    except KeyError:',
      '        pass',
      '    request.session["seen"].append(1)',
      '',
      'def through_local(request):',
      '    if request.GET:',
      '        request.session["ids"] = []',
      '    ids = request.session.get("ids", [])',
      '    ids.append(1)',
      '',
      'def always(request):',
      '    request.session["history"] = []',
      '    with lock:',
      '        request.session["flags"] = {}',
      '    if request.GET:',
      '        request.session["history"].append(1)',
      '    request.session["flags"]["n"] = 1',
      '',
    ]);
    assert.deepEqual(lines, [3, 8, 15, 21]);
  });
});

describe('DS104 with a save after the change', () => {
  it('counts a write, modified = True or save() that runs after the change on its path, and modified = True before it on every path, not save() before it', async () => {
    const lines = await ds104Lines([
      'def other_branch(request, add):',
      '    if add:',
      '        request.session["cart"].append(1)',
      '    else:',
      '        request.session["cart"] = []',
      '',
      'def saved_first(request):',
      '    request.session.save()',
      '    request.session["cart"].append(2)',
      '',
      'def marked_sometimes(request):',
      '    if request.GET:',
      '        request.session.modified = True',
      '    request.session["cart"].append(3)',
      '',
      'def other_except(request):',
      '    try:',
      '        pass',
      '    except KeyError:',
      '        request.session["cart"].append(4)',
      '    except ValueError:',
      '        request.session["cart"] = []',
      '',
      'def after_failure(request):',
      '    try:',
      '        request.session["cart"].append(5)',
      '    except KeyError:',
      '        request.session["cart"] = []',
      '',
      'def marked_first(request):',
      '    request.session.modified = True',
      '    request.session["cart"].append(6)',
      '',
      'def saved_later(request):',
      '    request.session["cart"].append(7)',
      '    if request.GET:',
      '        request.session.save()',
      '',
    ]);
    assert.deepEqual(lines, [2, 8, 13, 19]);
  });
});

describe('DS104 on a value setdefault returns', () => {
  it('reports a change to it: setdefault writes only when the key is missing', async () => {
    const lines = await ds104Lines([
      'def add(request):',
      '    request.session.setdefault("cart", []).append(1)',
      '    request.session.setdefault("seen", {})["n"] = 1',
      '    request.session.setdefault("tags", []).count(1)',
      '',
      'def add_and_store(request):',
      '    request.session.setdefault("ids", []).append(1)',
      '    request.session["ids"] = request.session["ids"]',
      '',
    ]);
    assert.deepEqual(lines, [1, 2]);
  });
});

describe('DS104 through a local bound to `session.get(k) or {}`', () => {
  it('reports a change to it, the stored value where that is truthy, unless the key is written back; not one to a copy, `list(session.get(k) or [])`', async () => {
    const lines = await ds104Lines([
      'def add(request, x):',
      '    cart = request.session.get("cart") or {}',
      '    cart[x] = 1',
      '',
      'async def add_async(request, x):',
      '    tags = await request.session.aget("tags") or []',
      '    tags.append(x)',
      '',
      'def add_saved(request, x):',
      '    wish = request.session.get("wish") or []',
      '    wish.append(x)',
      '    request.session["wish"] = wish',
      '',
      'def copied(request, x):',
      '    seen = list(request.session.get("seen") or [])',
      '    seen.append(x)',
      '',
    ]);
    assert.deepEqual(lines, [2, 6]);
  });
});

describe('DS104 and changes the next request redoes alike', () => {
  it('reports no sort() and no setdefault() with a literal default whose value goes unused, but one with a computed default, and a change through what setdefault gives', async () => {
    const lines = await ds104Lines([
      'def get_cart(request):',
      '    cart = request.session.setdefault("cart", {})',
      '    cart.setdefault("items", [])',
      '    cart.setdefault("coupon")',
      '    request.session["history"].sort()',
      '    cart.setdefault("first_seen", now())',
      '    cart.setdefault("lines", {}).update(a=1)',
      '    request.session["seen"].setdefault("n", 0)',
      '    request.session["seen"].setdefault("at", f"{x}")',
      '    return cart',
      '',
    ]);
    assert.deepEqual([...lines].sort((a, b) => a - b), [5, 6, 8]);
  });
});

describe('DS104 on a value get returns, changed on the spot', () => {
  it('reports a change to it, which is to the stored value where the key is there, and not a read of it or a change a later modified = True saves', async () => {
    const lines = await ds104Lines([
      'def add(request, x):',
      '    request.session.get("cart", []).append(x)',
      '    request.session.get("seen", {})["n"] = 1',
      '    request.session.get("basket")["items"].append(x)',
      '    request.session.get("tags", []).count(1)',
      '    request.session.get("prefs", {}).get("theme")',
      '',
      'def add_and_mark(request, x):',
      '    request.session.get("ids", []).append(x)',
      '    request.session.modified = True',
      '',
    ]);
    assert.deepEqual(lines, [1, 2, 3]);
  });
});

describe('DS104 through a local holding a value inside the session value', () => {
  it('reports a change to what setdefault(), a subscript or a loop over values() takes out of it, unless the local is bound again', async () => {
    const lines = await ds104Lines([
      'def b(request, pid):',
      '    cart = request.session.setdefault("cart", {})',
      '    item = cart.setdefault(pid, {"q": 0})',
      '    item["q"] += 1',
      '',
      'def c(request, pid):',
      '    cart = request.session.setdefault("cart", {})',
      '    item = cart[pid]',
      '    item["q"] += 1',
      '',
      'def f(request):',
      '    for item in request.session["cart"].values():',
      '        item["q"] = 0',
      '',
      'def g(request, pid):',
      '    cart = request.session.get("cart", {})',
      '    item = cart[pid]',
      '    item = dict(item)',
      '    item["q"] = 1',
      '',
      'def h(request, pid):',
      '    cart = request.session.get("cart", {})',
      '    item = cart[pid]',
      '    item["q"] = 1',
      '    request.session.modified = True',
      '',
    ]);
    assert.deepEqual(lines, [3, 8, 12]);
  });
});

describe('DS104 with a helper that marks the session', () => {
  it('counts a later call passing request to a project function that sets modified on its session, here, imported or re-exported', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/utils.py', ['def save_cart(request):', '    request.session.modified = True', '', 'def log(message, request):', '    request.session.save()', '', 'def show(request):', '    return request.session.get("cart")', ''].join('\n'));
    index.updateFile('/p/shop/__init__.py', 'from .utils import save_cart as store_cart\n');
    index.updateFile(
      '/p/shop/views.py',
      [
        'from shop import utils, store_cart',
        'from shop.utils import log, show',
        '',
        'def mark(request):',
        '    request.session.modified = True',
        '',
        'def here(request):',
        '    request.session["cart"].append(1)',
        '    mark(request)',
        '',
        'def module_attribute(request):',
        '    request.session["cart"].append(2)',
        '    utils.save_cart(request)',
        '',
        'def re_exported(request):',
        '    request.session["cart"].append(3)',
        '    store_cart(request)',
        '',
        'def second_parameter(request):',
        '    request.session["cart"].append(4)',
        '    log("added", request)',
        '',
        'def not_saving(request):',
        '    request.session["cart"].append(5)',
        '    show(request)',
        '    log(request, "added")',
        '',
        'def before(request):',
        '    mark(request)',
        '    request.session["cart"].append(6)',
        '',
      ].join('\n'),
    );
    const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
      .filter((d) => d.code === 'DS104')
      .map((d) => `${d.file}:${d.range.start.line}`);
    assert.deepEqual(found, ['/p/shop/views.py:23', '/p/shop/views.py:29']);
  });
});
