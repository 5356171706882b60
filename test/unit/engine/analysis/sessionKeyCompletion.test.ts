import * as assert from 'node:assert/strict';
import { SessionKeyIndex, sessionKeyCompletionContext } from '../../../../engine/src/analysis';

describe('sessionKeyCompletionContext', () => {
  let index: SessionKeyIndex;
  before(async () => {
    index = await SessionKeyIndex.create();
  });

  function at(text: string, line: number, character: number) {
    return sessionKeyCompletionContext(index, text, line, character);
  }
  const span = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

  it("works on the half-typed line request.session[' (no closing quote, tree-sitter error recovery)", () => {
    assert.deepEqual(at("def f(request):\n    x = request.session['\n    return 1\n", 1, 25), { range: span(1, 25, 25), prefix: '', quote: "'" });
    assert.deepEqual(at("def f(request):\n    x = request.session['ca\n", 1, 27), { range: span(1, 25, 27), prefix: 'ca', quote: "'" });
    assert.deepEqual(at('def f(request):\n    x = self.request.session["ca\n', 1, 32), { range: span(1, 30, 32), prefix: 'ca', quote: '"' });
  });

  it('works in .get(…) and other key methods, complete or not', () => {
    assert.deepEqual(at("def f(request):\n    x = request.session.get('ca\n    y = 2\n", 1, 31), { range: span(1, 29, 31), prefix: 'ca', quote: "'" });
    assert.deepEqual(at("async def f(request):\n    await request.session.apop('k')\n", 1, 32), { range: span(1, 32, 33), prefix: '', quote: "'" });
  });

  it('replaces the whole key inside a closed string', () => {
    assert.deepEqual(at("def f(request):\n    x = request.session['cart']\n", 1, 27), { range: span(1, 25, 29), prefix: 'ca', quote: "'" });
    assert.deepEqual(at('def f(request):\n    x = request.session[""]\n', 1, 25), { range: span(1, 25, 25), prefix: '', quote: '"' });
  });

  it('works for the keys of the dict given to update(), complete or half-typed', () => {
    assert.deepEqual(at("def f(request):\n    request.session.update({'ca': 1})\n", 1, 31), { range: span(1, 29, 31), prefix: 'ca', quote: "'" });
    assert.deepEqual(at("def f(request):\n    request.session.update({'a': 1, 'ca': 2})\n", 1, 39), { range: span(1, 37, 39), prefix: 'ca', quote: "'" });
    assert.deepEqual(at("def f(request):\n    request.session.update({'ca\n", 1, 31), { range: span(1, 29, 31), prefix: 'ca', quote: "'" });
    assert.deepEqual(at("def f(request):\n    request.session.update({'a': 1, 'ca\n", 1, 39), { range: span(1, 37, 39), prefix: 'ca', quote: "'" });
    assert.deepEqual(at("def f(request):\n    request.session.update({'ca'})\n", 1, 31), { range: span(1, 29, 31), prefix: 'ca', quote: "'" });
    assert.deepEqual(at("async def f(request):\n    s = request.session\n    await s.aupdate({\"\"})\n", 2, 22), { range: span(2, 22, 22), prefix: '', quote: '"' });
  });

  it("offers nothing for update()'s values or for other dicts", () => {
    assert.equal(at("def f(request):\n    request.session.update({'a': 'b'})\n", 1, 34), undefined);
    assert.equal(at("def f(request):\n    request.session.update({'a': 'b\n", 1, 34), undefined);
    assert.equal(at("def f(request):\n    other.update({'ca': 1})\n", 1, 20), undefined);
    assert.equal(at("def f(request):\n    x = {'ca': 1}\n", 1, 11), undefined);
    assert.equal(at("def f(request):\n    request.session.get({'ca': 1})\n", 1, 27), undefined);
  });

  it("works for 'k' in request.session and for local aliases", () => {
    assert.deepEqual(at("def f(request):\n    if 'ca' in request.session:\n        pass\n", 1, 10), { range: span(1, 8, 10), prefix: 'ca', quote: "'" });
    assert.deepEqual(at("def f(request):\n    s = request.session\n    s['\n", 2, 7), { range: span(2, 7, 7), prefix: '', quote: "'" });
  });

  it('counts columns in UTF-16 code units', () => {
    assert.deepEqual(at("x = 'é😀'; request.session['ab']\n", 0, 30), { range: span(0, 28, 30), prefix: 'ab', quote: "'" });
  });

  it('offers nothing outside session keys', () => {
    assert.equal(at("def f(request):\n    x = other['\n", 1, 15), undefined);
    assert.equal(at("def f(request):\n    x = request.session.get('a', 'b\n", 1, 34), undefined, 'the default, not the key');
    assert.equal(at("def f(request):\n    x = requests.session['a']\n", 1, 27), undefined);
    assert.equal(at("def f(request):\n    x = request.session['cart'] + 'x'\n", 1, 35), undefined);
    assert.equal(at('x = 1\n', 5, 0), undefined);
  });
});

describe('sessionKeyCompletionContext at the calls of a helper whose key is a parameter', () => {
  let index: SessionKeyIndex;
  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    index.updateFile('/proj/helpers.py', 'def remember(request, key, value):\n    request.session[key] = value\n\n\ndef log_value(logger, key):\n    logger.info(key)\n');
    index.updateFile('/proj/views.py', 'class Wizard:\n    def seen(self, key):\n        return key in self.request.session\n');
  });
  const span = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });

  it('offers keys at the key argument, by position or keyword, and at a method called through self', () => {
    assert.deepEqual(sessionKeyCompletionContext(index, "remember(request, 'ca', 1)\n", 0, 21), { range: span(0, 19, 21), prefix: 'ca', quote: "'" });
    assert.deepEqual(sessionKeyCompletionContext(index, 'helpers.remember(request, value=1, key="")\n', 0, 40), { range: span(0, 40, 40), prefix: '', quote: '"' });
    assert.deepEqual(sessionKeyCompletionContext(index, "def get(self):\n    return self.seen('')\n", 1, 22), { range: span(1, 22, 22), prefix: '', quote: "'" });
  });

  it('offers nothing at another argument, after *args, or for a parameter that keys no session', () => {
    assert.equal(sessionKeyCompletionContext(index, "remember('ca', key, 1)\n", 0, 12), undefined);
    assert.equal(sessionKeyCompletionContext(index, "remember(*args, 'ca')\n", 0, 19), undefined);
    assert.equal(sessionKeyCompletionContext(index, "log_value(logger, 'ca')\n", 0, 21), undefined);
    assert.equal(sessionKeyCompletionContext(index, "seen(self, 'ca')\n", 0, 14), undefined, 'a method called by its bare name is not the method');
  });
});
