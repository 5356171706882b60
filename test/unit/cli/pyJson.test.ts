import * as assert from 'node:assert/strict';
import { PyDatetime, PyDecimal, PyDict, PySet, PyTuple, pythonJsonStringify } from '../../../engine/src';
import { pyDataJson } from '../../../cli/src/pyJson';

describe('session data as JSON output', () => {
  it('is exactly json.dumps where JSON can hold the data', () => {
    const data = new PyDict([['_auth_user_id', '7'], ['big', 2n ** 70n], ['f', 0.1], ['nested', [new PyTuple([1n, 'é']), new PyDict([[1n, true], [null, false]])]]]);
    assert.equal(pyDataJson(data).text, pythonJsonStringify(data));
  });

  it('keeps one shape, writing alone as its Python repr each value JSON cannot hold, so a strict parser reads it', () => {
    const data = new PyDict([
      ['_auth_user_id', '7'],
      ['seen', new PyDatetime(2026, 11, 27, 13, 0, 0, 0)],
      ['price', new PyDecimal('9.99')],
      ['tags', new PySet(['a'])],
      ['score', NaN],
      ['limits', [Infinity, -Infinity, 1.5]],
      [new PyTuple([1n, 2n]), 'pair'],
    ]);
    const parsed = JSON.parse(pyDataJson(data).text) as Record<string, unknown>;
    assert.deepEqual(parsed, {
      _auth_user_id: '7',
      seen: 'datetime.datetime(2026, 11, 27, 13, 0)',
      price: "Decimal('9.99')",
      tags: "{'a'}",
      score: 'nan',
      limits: ['inf', '-inf', 1.5],
      '(1, 2)': 'pair',
    });
  });

  it("writes a list inside itself (Django pickles l.append(l)) and nesting deeper than any real session as their repr, instead of failing", () => {
    const loop: unknown[] = [1n];
    loop.push(loop);
    const me = new PyDict();
    me.set('me', me);
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const data = new PyDict([['loop', loop as never], ['me', me], ['deep', deep as never], ['ok', 1n]]);
    const parsed = JSON.parse(pyDataJson(data).text) as { loop: unknown[]; me: { me: string }; deep: unknown; ok: number };
    assert.deepEqual(parsed.loop, [1, '[1, [...]]']);
    assert.deepEqual(parsed.me, { me: "{'me': {...}}" });
    assert.equal(parsed.ok, 1);
    let level: unknown = parsed.deep;
    let depth = 0;
    while (Array.isArray(level)) {
      level = level[0];
      depth++;
    }
    assert.equal(typeof level, 'string', 'cut into its repr past the depth limit');
    assert.ok(depth > 400 && depth <= 500, String(depth));
  });
});
