import * as assert from 'node:assert/strict';
import { lintSessionKeys, SessionKeyIndex, type LintDiagnostic, type SessionKeyLintOptions } from '../../../../engine/src/analysis';
import { appliedEdits } from './appliedEdits';

const VIEWS = [
  'from django.contrib.auth.decorators import login_required',
  '',
  'async def cart(request):',
  '    items = request.session.get("cart", [])',
  '    request.session["seen"] = True',
  '    if "coupon" in request.session:',
  '        del request.session["coupon"]',
  '    return items',
  '',
  'async def modern(request):',
  '    items = await request.session.aget("cart", [])',
  '    await request.session.aset("seen", True)',
  '    await request.session.aupdate({"step": 2})',
  '    return "cart" in await request.session.akeys() or await request.session.ahas_key("coupon")',
  '',
  'def plain(request):',
  '    return request.session["cart"]',
  '',
  '@login_required',
  'async def decorated(request):',
  '    def inner():',
  '        return request.session["step"]',
  '    return request.session.pop("step", None)',
  '',
  'class Checkout:',
  '    async def get(self, request):',
  '        return self.request.session.setdefault("cart", [])',
  '',
];

/** DS113's findings on a views file of `lines`, with `options` over the defaults. */
async function ds113(lines: string[], options: Partial<SessionKeyLintOptions>): Promise<LintDiagnostic[]> {
  const index = await SessionKeyIndex.create();
  index.updateFile('/p/shop/views.py', lines.join('\n'));
  return lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false, ...options }).filter((d) => d.code === 'DS113');
}

/** DS113's findings on `lines` under the db engine, each as `line rewrite` (or `line no fix`), sorted. */
async function rewrites(lines: string[]): Promise<string[]> {
  const found = await ds113(lines, { engine: 'db' });
  return found.map((d) => `${d.range.start.line + 1} ${d.fix ? d.fix.edits.map((e) => e.newText).join(' ') : 'no fix'}`).sort();
}

/** DS113's findings on `lines` in a project on Django 5.0, which has no async session methods: `count` of them, none with a fix. */
async function unfixedOn50(lines: string[], count: number): Promise<LintDiagnostic[]> {
  const found = await ds113(lines, { engine: 'db', djangoVersion: '5.0' });
  assert.equal(found.length, count);
  assert.ok(found.every((d) => d.fix === undefined));
  return found;
}

/** DS113's findings on the views above, as `line severity`, and their messages. */
async function blocking(options: Partial<SessionKeyLintOptions>): Promise<{ at: string[]; messages: string[] }> {
  const found = await ds113(VIEWS, options);
  return { at: found.map((d) => `${d.range.start.line + 1} ${d.severity}`).sort((a, b) => parseInt(a) - parseInt(b)), messages: found.map((d) => d.message) };
}

describe('DS113: a synchronous session access in an async function', () => {
  it('reports each synchronous access directly in an async def under the db engine, not the async methods, a sync def or one nested in an async def', async () => {
    const { at } = await blocking({ engine: 'db' });
    assert.deepEqual(at, ['4 error', '5 error', '6 error', '7 error', '23 error', '27 error']);
  });

  it('warns under cached_db, which queries only when the cache misses, and leaves the other engines and an unknown one alone', async () => {
    const cached = await blocking({ engine: 'cached_db' });
    assert.deepEqual(cached.at, ['4 warning', '5 warning', '6 warning', '7 warning', '23 warning', '27 warning']);
    assert.match(cached.messages[0]!, /whenever the cache misses/);
    for (const engine of ['cache', 'file', 'signed_cookies', 'custom', undefined] as const) {
      assert.deepEqual((await blocking(engine === undefined ? {} : { engine })).at, [], `engine ${engine}`);
    }
  });

  it('names the async methods from Django 5.1, which added them, and only sync_to_async before it', async () => {
    const unknown = await blocking({ engine: 'db' });
    assert.match(unknown.messages[0]!, /SynchronousOnlyOperation for every request that brings a session cookie; use the session's async methods, await request\.session\.aget\(key\)/);
    const old = await blocking({ engine: 'db', djangoVersion: '5.0' });
    assert.match(old.messages[0]!, /wrap the code in sync_to_async \(Django 5\.0 has no async session methods; 5\.1 adds aget\(\)/);
    const current = await blocking({ engine: 'db', djangoVersion: '5.1' });
    assert.match(current.messages[0]!, /aget\(key\)/);
  });

  it('rewrites each access with an async method where that keeps what the code does (del as apop, which raises KeyError alike), a subscript read as aget saying it gives None where the subscript raised KeyError, and offers no fix before Django 5.1', async () => {
    const lines = [
      'async def view(request, keys):',
      '    a = request.session.get("a", 0) + 1',
      '    b = request.session.get("b").upper()',
      '    request.session.update({"c": 1})',
      '    request.session.update(d=2)',
      '    if "e" in request.session and "f" not in request.session:',
      '        request.session["g"] = [a, b]',
      '    h = request.session["h"]',
      '    del request.session["i"]',
      '    x = y = request.session["j"] = 1',
      '    return any(request.session.get(k) for k in keys), (lambda: request.session.pop("l"))',
      '',
    ];
    const found = await ds113(lines, { engine: 'db' });
    // The lambda's access is not reported: it runs where it is called, as sync_to_async(lambda: …) runs it on a thread.
    assert.equal(found.length, 11);
    const fixes = found.flatMap((d) => (d.fix ? [d.fix] : []));
    assert.deepEqual(fixes.map((fix) => fix.title).sort(), [
      'Use await request.session.aget("h") (gives None where ["h"] raised KeyError)',
      'Use await …aget()',
      'Use await …aget()',
      'Use await …ahas_key()',
      'Use await …ahas_key()',
      'Use await …apop()',
      'Use await …aset()',
      'Use await …aupdate()',
      'Use await …aupdate()',
    ]);
    assert.equal(
      appliedEdits(lines.join('\n'), fixes.flatMap((fix) => fix.edits)),
      [
        'async def view(request, keys):',
        '    a = await request.session.aget("a", 0) + 1',
        '    b = (await request.session.aget("b")).upper()',
        '    await request.session.aupdate({"c": 1})',
        '    await request.session.aupdate(d=2)',
        '    if await request.session.ahas_key("e") and not await request.session.ahas_key("f"):',
        '        await request.session.aset("g", [a, b])',
        '    h = await request.session.aget("h")',
        '    await request.session.apop("i")',
        '    x = y = request.session["j"] = 1',
        '    return any(request.session.get(k) for k in keys), (lambda: request.session.pop("l"))',
        '',
      ].join('\n'),
    );
    await unfixedOn50(lines, 11);
  });

  it('rewrites a subscript only where it is read, parenthesized where more applies to its value', async () => {
    const lines = [
      'async def view(request, data):',
      '    total = request.session["cart"]["total"] + len(request.session["items"])',
      '    request.session["wizard"]["step"] = 2',
      '    name = request.session["user"].upper()',
      '    n = -request.session["n"] ** 2',
      '    request.session["visits"] += 1',
      '    first, request.session["rest"] = data',
      '    for request.session["last"] in data:',
      '        pass',
      '    with open(data) as request.session["file"]:',
      '        pass',
      '',
    ];
    assert.deepEqual(await rewrites(lines), [
      '10 no fix',
      '2 (await request.session.aget("cart"))',
      '2 await request.session.aget("items")',
      '3 (await request.session.aget("wizard"))',
      '4 (await request.session.aget("user"))',
      '5 await request.session.aget("n")',
      '6 no fix',
      '7 no fix',
      '8 no fix',
    ]);
  });

  it('judges scope edges as Python runs them, and keeps each rewrite valid Python', async () => {
    const lines = [
      'def plain(request):',
      '    async def nested(d=request.session.get("in_sync_default")):',
      '        pass',
      '',
      'async def view(request):',
      '    def inner(d=request.session.get("in_async_default")):',
      '        pass',
      '    class Form:',
      '        initial = request.session.get("in_class_body")',
      '    request.session["pair"] = 1, 2',
      '    has = "cart" in request.session.keys()',
      '    request.session.update({"a": 1, "b": 2})',
      '    del request.session["x"], request.session["y"]',
      '',
    ];
    assert.deepEqual(
      await rewrites(lines),
      [
        '10 await request.session.aset("pair", (1, 2))',
        '11 await request.session.ahas_key("cart")',
        '12 await request.session.aupdate({"a": 1, "b": 2})',
        '13 no fix',
        '13 no fix',
        '6 await request.session.aget("in_async_default")',
        '9 no fix',
      ],
    );
  });

  it('reports the calls that take no key but query the database, by when they do, each with its async twin from 5.1', async () => {
    const lines = [
      'async def view(request, s):',
      '    for k in request.session.keys():',
      '        n = len(request.session.items())',
      '    request.session.flush()',
      '    request.session.cycle_key()',
      '    request.session.set_expiry(300)',
      '    d = request.session.get_expiry_date().isoformat()',
      '    age = request.session.get_expiry_age(expiry=5)',
      '    request.session.clear()',
      '    empty = request.session.is_empty()',
      '    self.request.session.save()',
      '    db.session.flush()',
      '    s.save()',
      '    later = lambda: request.session.flush()',
      '    request.session.delete("abc")',
      '    data = request.session.load()',
      '    known = request.session.exists(s)',
      '',
      'def plain(request):',
      '    request.session.flush()',
      '',
    ];
    const at = (found: LintDiagnostic[]) => found.map((d) => `${d.range.start.line + 1} ${d.severity} ${/SynchronousOnlyOperation (.*?);/.exec(d.message)![1]}`).sort((a, b) => parseInt(a) - parseInt(b));
    const db = await ds113(lines, { engine: 'db' });
    const cookie = 'for every request that brings a session cookie';
    assert.deepEqual(at(db), [`2 error ${cookie}`, `3 error ${cookie}`, `4 error ${cookie}`, '5 error on every request', `6 error ${cookie}`, `7 error ${cookie}`, '11 error on every request', '15 error on every request', '16 error on every request', '17 error on every request']);
    assert.match(db.find((d) => d.range.start.line === 3)!.message, /^flush\(\) on the session in an async function queries the database \(db engine\).*; use await …aflush\(\) \(Django 5\.1\+\)/);
    // cached_db serves a load from its cache, but deletes and creates sessions in the database.
    const cached = await ds113(lines, { engine: 'cached_db' });
    // load() and exists() find no key of a request without a cookie in the cache, and looking one up is a query.
    const uncached = 'whenever the session is not in the cache, as for every request without a session cookie';
    assert.deepEqual(at(cached), ['2 warning whenever the cache misses', '3 warning whenever the cache misses', `4 error ${cookie}`, '5 error on every request', '6 warning whenever the cache misses', '7 warning whenever the cache misses', '11 error on every request', '15 error on every request', `16 error ${uncached}`, `17 error ${uncached}`]);
    assert.match(cached.find((d) => d.range.start.line === 15)!.message, /^load\(\) on the session in an async function loads the session with a database query \(cached_db engine\)/);
    assert.match(cached.find((d) => d.range.start.line === 16)!.message, /^exists\(\) on the session in an async function queries the database \(cached_db engine\)/);
    assert.equal(
      appliedEdits(lines.join('\n'), db.flatMap((d) => d.fix?.edits ?? [])).split('\n').slice(1, 15).join('\n'),
      [
        '    for k in await request.session.akeys():',
        '        n = len(await request.session.aitems())',
        '    await request.session.aflush()',
        '    await request.session.acycle_key()',
        '    await request.session.aset_expiry(300)',
        '    d = (await request.session.aget_expiry_date()).isoformat()',
        '    age = request.session.get_expiry_age(expiry=5)',
        '    request.session.clear()',
        '    empty = request.session.is_empty()',
        '    await self.request.session.asave()',
        '    db.session.flush()',
        '    s.save()',
        '    later = lambda: request.session.flush()',
        '    await request.session.adelete("abc")',
      ].join('\n'),
    );
    const old = await unfixedOn50(lines, 10);
    assert.match(old.find((d) => d.range.start.line === 3)!.message, /wrap the code in sync_to_async \(Django 5\.0 has no async session methods; 5\.1 adds aflush\(\)\)/);
  });

  it("reports those calls on Channels' scope[\"session\"] in an async consumer too, which Django's session fills", async () => {
    const lines = [
      'class ChatConsumer(AsyncWebsocketConsumer):',
      '    async def receive(self, text_data):',
      '        self.scope["session"].save()',
      '',
      'class SyncConsumer(WebsocketConsumer):',
      '    def receive(self, text_data):',
      '        self.scope["session"].save()',
      '',
    ];
    assert.deepEqual(await rewrites(lines), ['3 await self.scope["session"].asave()']);
  });

  it('reports those calls through a local bound to a request\'s session or scope["session"], not through any other name for a session', async () => {
    const lines = [
      'async def view(request, db):',
      '    s = request.session',
      '    s.flush()',
      '    s.save()',
      '    orm = db.session',
      '    orm.flush()',
      '',
      'async def helper(session):',
      '    session.save()',
      '    kept = session',
      '    kept.flush()',
      '',
      'class Consumer(AsyncWebsocketConsumer):',
      '    async def receive(self, text_data):',
      '        session = self.scope["session"]',
      '        session.save()',
      '        session.cycle_key()',
      '',
      'def plain(request):',
      '    s = request.session',
      '    s.flush()',
    ];
    assert.deepEqual(await rewrites(lines), ['16 await session.asave()', '17 await session.acycle_key()', '3 await s.aflush()', '4 await s.asave()']);
  });
});

