import * as assert from 'node:assert/strict';
import { lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';

const VIEWS = [
  'from django.contrib.sessions.backends.db import SessionStore',
  '',
  'def cart_id(request):',
  '    cart = request.session.session_key',
  '    if not cart:',
  '        cart = request.session.create()',
  '    return cart',
  '',
  'def recently_viewed(request):',
  '    return request.session.session_key or request.session.create()',
  '',
  'def fresh(request):',
  '    return request.session.create()',
  '',
  'async def afresh(request):',
  '    key = await request.session.acreate()',
  '    return key',
  '',
  'def script():',
  '    store = SessionStore()',
  '    key = store.create()',
  '',
  'def fine(request, api):',
  '    if not request.session.session_key:',
  '        request.session.create()',
  '    await_it = api.session.create(name="x")',
  '    return request.session.session_key',
  '',
].join('\n');

async function ds109(text = VIEWS): Promise<{ line: number; message: string; fix?: string }[]> {
  const index = await SessionKeyIndex.create();
  index.updateFile('/p/shop/views.py', text);
  return lintSessionKeys(index, { serializer: 'pickle', saveEveryRequest: true })
    .filter((d) => d.code === 'DS109')
    .map((d) => ({ line: d.range.start.line, message: d.message, ...(d.fix ? { fix: d.fix.edits[0]!.newText } : {}) }));
}

describe("DS109: a use of what a session's create() returns", () => {
  it('reports each use of the None it returns, whatever the serializer, and not a call whose value is dropped or one with arguments', async () => {
    const found = await ds109();
    assert.deepEqual(
      found.map((d) => d.line),
      [5, 9, 12, 15, 20],
    );
    assert.equal(found[0]!.message, 'request.session.create() returns None, not the key of the session it creates; call it, then read request.session.session_key.');
    assert.match(found[3]!.message, /^request\.session\.acreate\(\) returns None/);
    assert.match(found[4]!.message, /^store\.create\(\) returns None/);
  });

  it('offers to call it and then read session_key, for an assignment or a return on its own line, keeping the indent and await', async () => {
    assert.deepEqual(
      (await ds109()).map((d) => d.fix),
      [
        'request.session.create()\n        cart = request.session.session_key',
        undefined,
        'request.session.create()\n    return request.session.session_key',
        'await request.session.acreate()\n    key = request.session.session_key',
        'store.create()\n    key = store.session_key',
      ],
    );
    const crlf = await ds109('def f(request):\r\n    key = request.session.create()  \r\n    return key\r\n');
    assert.equal(crlf[0]!.fix, 'request.session.create()\r\n    key = request.session.session_key');
    assert.equal((await ds109('def f(request):\n    key = request.session.create(); log(key)\n'))[0]!.fix, undefined);
  });
});
