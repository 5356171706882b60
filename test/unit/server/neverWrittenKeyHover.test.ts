import * as assert from 'node:assert/strict';
import { SessionKeyIndex } from '../../../engine/src';
import { hoverSessionKey } from '../../../server/src/hover';
import { positionOf } from './positionOf';

const views = '/proj/shop/views.py';
const source = [
  'async def checkout(request):',
  '    coupon = request.session.pop("coupon", None)',
  '    voucher = request.session.pop("voucher", default=None)',
  '    token = request.session.pop("token")',
  '    step = await request.session.apop("step")',
  '    return coupon, voucher, token, step',
  '',
].join('\n');

describe("hover on a session key nothing writes: where reading it raises KeyError", () => {
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    index.updateFile(views, source);
  });

  const note = (needle: string) => {
    const p = positionOf(source, needle, 1);
    return (hoverSessionKey(index, views, p.line, p.character, '/proj')?.contents as { value: string }).value.split('\n').at(-1);
  };

  it('names a pop() without a default, which raises KeyError as indexing does, the async apop() too', () => {
    assert.equal(note('"token"'), 'Nothing in this project writes this key, so reading it always gives the default, and `pop()` without a default (`shop/views.py:4`) raises KeyError unless an `in` check guards it.');
    assert.equal(note('"step"'), 'Nothing in this project writes this key, so reading it always gives the default, and `pop()` without a default (`shop/views.py:5`) raises KeyError unless an `in` check guards it.');
  });

  it('names no pop() given a default, by position or by keyword', () => {
    assert.equal(note('"coupon"'), 'Nothing in this project writes this key, so reading it always gives the default.');
    assert.equal(note('"voucher"'), 'Nothing in this project writes this key, so reading it always gives the default.');
  });
});
