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
  'def loop_exits(request):',
  '    for _ in range(2):',
  "        if 'job' not in request.session:",
  '            continue',
  "        del request.session['job']",
  '    while True:',
  "        if not request.session.has_key('pending'):",
  '            break',
  "        request.session.pop('pending')",
  '',
  'def other_checks(request):',
  "    if request.session.has_key('legacy'):",
  "        return request.session['legacy']",
  "    if 'listed' in request.session.keys():",
  "        return request.session['listed']",
  "    if request.session.get('given'):",
  "        return request.session['given']",
  "    if request.session.get('noted') is not None:",
  "        return request.session['noted']",
  '',
  'async def awaited(request):',
  "    if await request.session.ahas_key('otp'):",
  "        return await request.session.apop('otp')",
  '',
  'def aliases(request):',
  '    s = request.session',
  "    if 'alias' in s:",
  "        return request.session['alias']",
  "    if 'stored' not in request.session:",
  '        return None',
  "    return s['stored']",
  '',
  'def weak_checks(request, other):',
  "    if request.session.get('fallback', {'a': 1}):",
  "        return request.session['fallback']",
  "    if request.session.get('absent') is None:",
  "        return request.session['absent']",
  "    if 'either' in request.session or request.user.is_staff:",
  "        return request.session['either']",
  '    t = other.session',
  "    if 'foreign' in t:",
  "        return request.session['foreign']",
  '    for _ in range(2):',
  "        if 'kept' in request.session:",
  '            continue',
  "        del request.session['kept']",
  '',
  'def caught(request):',
  '    try:',
  "        wish = request.session['wish']",
  '    except KeyError:',
  '        wish = []',
  '    try:',
  "        return request.session.pop('gone')",
  '    except (TypeError, LookupError) as error:',
  '        return error',
  '',
  'def uncaught(request):',
  '    try:',
  "        return request.session['strict']",
  '    except ValueError:',
  '        return None',
  '    finally:',
  "        request.session.pop('after')",
  '',
  'def either_side(request):',
  "    if 'cart' not in request.session or not request.session['cart']:",
  '        return None',
  "    if request.user.is_staff or request.session['staff_only']:",
  '        return None',
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

  it('names no access after `if KEY not in request.session: continue` (or `if not …has_key(KEY): break`) in a loop', () => {
    assert.equal(note("'job'", 1), safe);
    assert.equal(note("'pending'", 1), safe);
  });

  it('names no read under has_key(KEY), `KEY in request.session.keys()`, a truthy get(KEY) or `get(KEY) is not None`, nor an apop() under ahas_key(KEY)', () => {
    assert.equal(note("'legacy'", 1), safe);
    assert.equal(note("'listed'", 1), safe);
    assert.equal(note("'given'", 1), safe);
    assert.equal(note("'noted'", 1), safe);
    assert.equal(note("'otp'", 1), safe);
  });

  it('takes a check through an alias of the session as one on the session, and the other way round', () => {
    assert.equal(note("'alias'", 1), safe);
    assert.equal(note("'stored'", 1), safe);
  });

  it('names a read that a get() with a default, `get(KEY) is None`, an `or`, another session or a `continue` where the key is in the session leaves unguarded', () => {
    assert.equal(note("'fallback'", 1), raises('indexing it', 75));
    assert.equal(note("'absent'", 1), raises('indexing it', 77));
    assert.equal(note("'either'", 1), raises('indexing it', 79));
    assert.equal(note("'foreign'", 1), raises('indexing it', 82));
    assert.equal(note("'kept'", 1), raises('indexing it', 86));
  });

  it('names no read or pop() in the body of a `try` whose `except` catches KeyError (or LookupError)', () => {
    assert.equal(note("'wish'"), safe);
    assert.equal(note("'gone'"), safe);
  });

  it('names a read under a `try` that catches something else, or in its `finally`', () => {
    assert.equal(note("'strict'"), raises('indexing it', 100));
    assert.equal(note("'after'"), raises('`pop()` without a default', 104));
  });

  it('names no read on the right of `KEY not in request.session or`, but one on the right of an `or` that checks nothing', () => {
    assert.equal(note("'cart'", 1), safe);
    assert.equal(note("'staff_only'"), raises('indexing it', 109));
  });

  it('names a read before the check that would guard it', () => {
    assert.equal(note("'late'"), raises('indexing it', 113));
  });
});
