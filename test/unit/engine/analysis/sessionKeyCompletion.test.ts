import * as assert from 'node:assert/strict';
import { keyCompletionText, SessionKeyIndex, sessionKeyCompletionContext } from '../../../../engine/src/analysis';

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

  it('offers a whole literal right after request.session[ or .get( before any quote, in the quote most of the file uses', () => {
    const bare = (line: number, character: number, quote: string) => ({ range: span(line, character, character), prefix: '', quote, bare: true });
    assert.deepEqual(at('def f(request):\n    x = request.session[]\n', 1, 24), bare(1, 24, '"'));
    assert.deepEqual(at("def f(request):\n    x = request.session[\n    y = 'a'\n", 1, 24), bare(1, 24, "'"));
    assert.deepEqual(at('def f(request):\n    x = request.session.get( )\n', 1, 29), bare(1, 29, '"'));
    assert.deepEqual(at("async def f(request):\n    x = await request.session.aget()\n    y = 'a'\n", 1, 35), bare(1, 35, "'"));
    assert.deepEqual(at('def f(request):\r\n    s = request.session\r\n    del s[]\r\n', 2, 10), bare(2, 10, '"'));
    assert.deepEqual(at('def f(request):\n    if request.session.get() and x:\n        pass\n', 1, 27), bare(1, 27, '"'));
    assert.deepEqual(at('def f(request):\n    request.session[] = 1\n', 1, 20), bare(1, 20, '"'));
    assert.deepEqual(at('def f(request):\n    """Docstrings do not count."""\n    x = \'a\'\n    return request.session[]\n', 3, 27), bare(3, 27, "'"));
  });

  it("offers the whole literal inside an f-string's braces in the quote that does not end the f-string", () => {
    const bare = (line: number, character: number, quote: string) => ({ range: span(line, character, character), prefix: '', quote, bare: true });
    assert.deepEqual(at('def f(request):\n    return f"Hi {request.session[]}"\n', 1, 33), bare(1, 33, "'"));
    assert.deepEqual(at('def f(request):\n    return f"Hi {request.session.get()}"\n', 1, 37), bare(1, 37, "'"));
    assert.deepEqual(at("def f(request):\n    x = 'a'\n    return f'Hi {request.session[]}'\n", 2, 33), bare(2, 33, '"'));
    assert.deepEqual(at("def f(request):\n    x = 'a', 'b'\n    return f\"Hi {request.session[]}\"\n", 2, 33), bare(2, 33, "'"), 'the quote the file uses most is free');
    assert.deepEqual(at('def f(request):\n    return f"""Hi {request.session[]}"""\n', 1, 35), bare(1, 35, '"'), 'a triple-quoted f-string holds either');
  });

  it('offers no whole literal where a key or another argument is being typed, or for another object', () => {
    assert.equal(at('def f(request):\n    x = request.session[k]\n', 1, 25), undefined);
    assert.equal(at('def f(request):\n    x = request.session[k]\n', 1, 24), undefined, 'before a name');
    assert.equal(at('def f(request):\n    x = request.session.get("a", )\n', 1, 33), undefined);
    assert.equal(at('def f(request):\n    x = request.session.items()\n', 1, 31), undefined);
    assert.equal(at('def f(request):\n    x = other[]\n', 1, 14), undefined);
    assert.equal(at('def f(request):\n    x = "request.session["\n', 1, 25), undefined, 'a bracket inside a string');
    assert.equal(at('def f(request):\n    x = 1  # request.session[\n', 1, 29), undefined, 'a bracket inside a comment');
  });

  it("tells a literal's prefix, and offers nothing in a bytes literal, which is no str key", () => {
    assert.deepEqual(at("def f(request):\n    x = request.session[rf'ca']\n", 1, 29), { range: span(1, 27, 29), prefix: 'ca', quote: "'", literalPrefix: 'rf' });
    assert.equal(at("def f(request):\n    x = request.session[b'ca']\n", 1, 28), undefined);
    assert.equal(at("def f(request):\n    x = request.session.get(B'\n", 1, 31), undefined);
  });

  it("works for 'k' in request.session.keys()", () => {
    assert.deepEqual(at("def f(request):\n    if 'ca' not in request.session.keys():\n        pass\n", 1, 10), { range: span(1, 8, 10), prefix: 'ca', quote: "'" });
    assert.equal(at("def f(request):\n    if 'ca' in request.session.keys(1):\n        pass\n", 1, 10), undefined);
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

describe('keyCompletionText', () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

  it('writes a key as the literal being typed reads it', () => {
    assert.equal(keyCompletionText({ range, prefix: '', quote: "'" }, "it's"), "it\\'s");
    assert.equal(keyCompletionText({ range, prefix: '', quote: '"' }, "it's"), "it's");
    assert.equal(keyCompletionText({ range, prefix: '', quote: '"' }, 'a\\b\tc\u0001'), 'a\\\\b\\tc\\x01');
    assert.equal(keyCompletionText({ range, prefix: '', quote: "'", literalPrefix: 'f' }, '{id}'), '{{id}}');
    assert.equal(keyCompletionText({ range, prefix: '', quote: "'", literalPrefix: 'r' }, 'a\\b'), 'a\\b');
  });

  it('writes no key a raw literal cannot hold', () => {
    assert.equal(keyCompletionText({ range, prefix: '', quote: "'", literalPrefix: 'r' }, "it's"), undefined);
    assert.equal(keyCompletionText({ range, prefix: '', quote: "'", literalPrefix: 'r' }, 'dir\\'), undefined);
  });

  it('writes a whole literal where no quote is typed yet', () => {
    assert.equal(keyCompletionText({ range, prefix: '', quote: '"', bare: true }, 'cart'), '"cart"');
    assert.equal(keyCompletionText({ range, prefix: '', quote: "'", bare: true }, "it's"), "'it\\'s'");
  });
});
