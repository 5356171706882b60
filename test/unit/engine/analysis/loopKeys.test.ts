import * as assert from 'node:assert/strict';
import { lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';

/** The usages and unresolved accesses of one file, as `line:start-end op key`. */
async function accesses(text: string): Promise<{ usages: string[]; unresolved: string[] }> {
  const index = await SessionKeyIndex.create();
  index.updateFile('/p/shop/views.py', text);
  const at = (u: { range: { start: { line: number; character: number }; end: { character: number } } }) => `${u.range.start.line + 1}:${u.range.start.character}-${u.range.end.character}`;
  return { usages: index.usages().map((u) => `${at(u)} ${u.op} ${u.key}`), unresolved: index.unresolved().map((u) => `${at(u)} ${u.op}`) };
}

describe('a loop variable over literal keys', () => {
  it("is an access of each key, placed at the literal (Sentry's login cleanup, a logout's pop loop)", async () => {
    const found = await accesses(
      [
        'def login(request):',
        '    for key in ("_next", "_after_2fa"):',
        '        del request.session[key]',
        '    for name in ["cart_id", "coupon"]:',
        '        request.session.pop(name, None)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(found, { usages: ['2:16-23 delete _next', '2:25-37 delete _after_2fa', '4:17-26 pop cart_id', '4:28-36 pop coupon'], unresolved: [] });
  });

  it('is an access of each key of a module constant the loop is over, at the constant\'s literal (kitsune\'s CART_KEYS)', async () => {
    const found = await accesses(['CART_KEYS = ("cart_id", "coupon")', 'OTHER = ("a",)', 'OTHER = ("b",)', '', 'def checkout(request):', '    for key in CART_KEYS:', '        request.session.pop(key, None)', '    for name in OTHER:', '        request.session.pop(name, None)', ''].join('\n'));
    assert.deepEqual(found, { usages: ['1:13-22 pop cart_id', '1:24-32 pop coupon'], unresolved: ['9:28-32 pop'] });
  });

  it("is an access of each key of a class attribute the loop is over, through self, cls or the class (Cartridge's Order.session_fields)", async () => {
    const found = await accesses(
      [
        'class Order:',
        '    session_fields = ("shipping_total", "tax_total")',
        '    twice = ("a",)',
        '    twice = ("b",)',
        '',
        '    def setup(self, request):',
        '        for field in self.session_fields:',
        '            request.session.get(field)',
        '',
        '    @classmethod',
        '    def clear(cls, request):',
        '        for field in cls.session_fields:',
        '            request.session.pop(field, None)',
        '        for name in cls.twice:',
        '            request.session.pop(name, None)',
        '',
        'def view(request):',
        '    for f in Order.session_fields:',
        '        del request.session[f]',
        '    for g in Other.session_fields:',
        '        del request.session[g]',
        '',
      ].join('\n'),
    );
    assert.deepEqual(found, {
      usages: ['2:22-38 get shipping_total', '2:22-38 pop shipping_total', '2:22-38 delete shipping_total', '2:40-51 get tax_total', '2:40-51 pop tax_total', '2:40-51 delete tax_total'],
      unresolved: ['15:32-36 pop', '21:28-29 delete'],
    });
  });

  it('is an access of each key of a dict the loop takes keys from: the dict, its keys(), or the first name of `for k, v in D.items()`', async () => {
    const found = await accesses(
      [
        'DEFAULTS = {"page_size": 20, "layout": "grid"}',
        '',
        'def ensure_defaults(request):',
        '    for key, value in DEFAULTS.items():',
        '        request.session.setdefault(key, value)',
        '    for name in {"theme": 1}:',
        '        request.session.pop(name, None)',
        '    for k in DEFAULTS.keys():',
        '        del request.session[k]',
        '',
      ].join('\n'),
    );
    assert.deepEqual(found, {
      usages: ['1:12-23 setdefault page_size', '1:12-23 delete page_size', '1:29-37 setdefault layout', '1:29-37 delete layout', '6:17-24 pop theme'],
      unresolved: [],
    });
  });

  it('is an access of each key of a local bound once to literal keys and named nowhere else, in a loop or a comprehension', async () => {
    const found = await accesses(
      [
        'def clear_checkout(request):',
        '    keys = ("shipping", "billing")',
        '    for key in keys:',
        '        request.session.pop(key, None)',
        '    shown = ["coupon"]',
        '    return [request.session.get(k) for k in shown]',
        '',
        'def grown(request):',
        '    keys = ["a"]',
        '    keys.append("b")',
        '    for key in keys:',
        '        request.session.pop(key, None)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(found, { usages: ['2:12-22 pop shipping', '2:24-33 pop billing', '5:13-21 get coupon'], unresolved: ['12:28-31 pop'] });
  });

  it("is an access of each key of a function's loop whose name a comprehension in the function also binds for itself", async () => {
    const found = await accesses(
      [
        'def seed(request):',
        '    for k in ("m1", "m2"):',
        '        request.session[k] = {}',
        '    return [request.session.get(k) for k in ("j1",)]',
        '',
      ].join('\n'),
    );
    assert.deepEqual(found, { usages: ['2:14-18 set m1', '2:20-24 set m2', '4:45-49 get j1'], unresolved: [] });
  });

  it("stays unresolved over a dict's values, the second name of items(), a pair over the dict itself, or a dict with a ** splat", async () => {
    const found = await accesses(
      [
        'DEFAULTS = {"page_size": 20}',
        'MORE = {**DEFAULTS, "layout": "grid"}',
        '',
        'def view(request):',
        '    for a in DEFAULTS.values():',
        '        request.session.pop(a, None)',
        '    for b, c in DEFAULTS.items():',
        '        request.session.pop(c, None)',
        '    for d, e in DEFAULTS:',
        '        request.session.pop(d, None)',
        '    for f in MORE:',
        '        request.session.pop(f, None)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(found, { usages: [], unresolved: ['6:28-29 pop', '8:28-29 pop', '10:28-29 pop', '12:28-29 pop'] });
  });

  it("stays unresolved over a parameter, saying that each call fills it (Cartridge's clear_session(request, *names))", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/utils.py', 'def clear_session(request, *names):\n    for name in names:\n        del request.session[name]\n\ndef other(request, found):\n    keys = found()\n    for key in keys:\n        del request.session[key]\n');
    assert.deepEqual(
      index.unresolved().map((u) => u.reason),
      ["the key is the loop variable 'name' over the parameter 'names', which each call fills", "the key is the loop variable 'key' over 'keys'"],
    );
  });

  it("is an access of each key a comprehension's own loop takes from literal or constant keys", async () => {
    const found = await accesses(['KEYS = ("cart_id", "coupon")', '', 'def show(request):', '    a = {k: request.session.get(k) for k in KEYS}', '    b = [request.session.pop(n, None) for n in ["x"]]', '    return a, b, [request.session[m] for m in names]', ''].join('\n'));
    assert.deepEqual(found, { usages: ['1:8-17 get cart_id', '1:19-27 get coupon', '5:48-51 pop x'], unresolved: ['6:34-35 read'] });
  });

  it('stays unresolved where the loop is over something else, unpacks, or the name is bound again', async () => {
    const found = await accesses(
      [
        'def view(request, names):',
        '    for key in names:',
        '        request.session.pop(key, None)',
        '    for key2, value in (("a", 1),):',
        '        request.session[key2] = value',
        '    for key3 in ("x", computed()):',
        '        request.session.pop(key3)',
        '    for key4 in ("y",):',
        '        key4 = key4.upper()',
        '        request.session.pop(key4)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(found, { usages: [], unresolved: ['3:28-31 pop', '5:24-28 set', '7:28-32 pop', '10:28-32 pop'] });
  });

  it('judges each key of the loop alike: a cleanup pop or in+del is no read of any, and setdefault().append changes each in place', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/shop/views.py',
      [
        'def login(request):',
        '    request.session["_next"] = "/"',
        '    request.session["_after"] = "/x"',
        '    request.session["_one"] = 1',
        '    request.session["_two"] = 2',
        '',
        'def cleanup(request):',
        '    for key in ("_next", "_after"):',
        '        request.session.pop(key, None)',
        '    for name in ("_one", "_two"):',
        '        if name in request.session:',
        '            del request.session[name]',
        '',
        'def grow(request):',
        '    for k in ("list_a", "list_b"):',
        '        request.session.setdefault(k, []).append(1)',
        '    return request.session["list_a"], request.session["list_b"]',
        '',
      ].join('\n'),
    );
    const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).map((d) => `${d.code} ${d.message.match(/'([^']+)'/)?.[1]}`);
    assert.deepEqual(found.sort(), ['DS102 _after', 'DS102 _next', 'DS102 _one', 'DS102 _two', 'DS104 list_a', 'DS104 list_b']);
  });
});
