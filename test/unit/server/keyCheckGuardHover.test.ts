import * as assert from 'node:assert/strict';
import { SessionKeyIndex } from '../../../engine/src';
import { hoverSessionKey } from '../../../server/src/hover';
import { positionOf } from './positionOf';

const views = '/proj/shop/views.py';
const source = [
  'def show_cart(request):',
  "    if 'coupon' in request.session:",
  '        discount = request.session["coupon"]',
  '    else:',
  '        discount = None',
  '    return discount',
  '',
  'def early_exit(request):',
  "    if 'step' not in request.session:",
  '        return None',
  '    for _ in range(2):',
  "        request.session.pop('step')",
  '',
  'def expression(request):',
  "    s = request.session",
  "    return s['token'] if 'token' in s else None",
  '',
  'def conjunction(request):',
  "    if 'flag' in request.session and request.session['flag']:",
  "        del request.session['flag']",
  '',
  'def other_key(request):',
  "    if 'other' in request.session:",
  "        return request.session['voucher']",
  '',
  'def other_receiver(request, cache):',
  "    if 'level' in cache:",
  "        return request.session['level']",
  '',
  'def branches(request):',
  "    if request.user.is_staff:",
  '        return None',
  "    elif 'plan' in request.session:",
  "        return request.session['plan']",
  '',
  'def raises(request):',
  "    if ('mode' not in request.session) or request.user.is_anonymous:",
  '        raise KeyError("mode")',
  "    del request.session['mode']",
  '',
  'def guard_too_late(request):',
  "    value = request.session['late']",
  "    if 'late' not in request.session:",
  '        return None',
  '    return value',
  '',
].join('\n');

describe('hover on a session key nothing writes: reads an `in` check guards', () => {
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    index.updateFile(views, source);
  });

  const note = (needle: string, nth = 0) => {
    const p = positionOf(source, needle, 1, nth);
    return (hoverSessionKey(index, views, p.line, p.character, '/proj')?.contents as { value: string }).value.split('\n').at(-1);
  };
  const safe = 'Nothing in this project writes this key, so reading it always gives the default.';
  const raises = (how: string, line: number) =>
    `Nothing in this project writes this key, so reading it always gives the default, and ${how} (\`shop/views.py:${line}\`) raises KeyError unless an \`in\` check guards it.`;

  it('names no subscript read in the body of `if KEY in request.session:`', () => {
    assert.equal(note('"coupon"'), safe);
  });

  it('names no pop() after `if KEY not in request.session: return` in a block around it', () => {
    assert.equal(note("'step'", 1), safe);
  });

  it('names no read in `s[KEY] if KEY in s else d`, nor a del after `KEY in s and`', () => {
    assert.equal(note("'token'"), safe);
    assert.equal(note("'flag'", 2), safe);
  });

  it('names no read in the body of an `elif KEY in request.session:`, nor a del after `if (KEY not in request.session) or …: raise`', () => {
    assert.equal(note("'plan'", 1), safe);
    assert.equal(note("'mode'", 1), safe);
  });

  it('names a read that a check of another key or of another object does not guard', () => {
    assert.equal(note("'voucher'"), raises('indexing it', 24));
    assert.equal(note("'level'", 1), raises('indexing it', 28));
  });

  it('names a read before the check that would guard it', () => {
    assert.equal(note("'late'"), raises('indexing it', 42));
  });
});
