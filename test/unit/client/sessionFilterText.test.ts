import * as assert from 'node:assert/strict';
import { formatSessionFilter, parseSessionFilter } from '../../../client/src/sessionFilterText';

describe('the Sessions view filter box', () => {
  it('reads user:, key:, active or expired, and takes every other word as text to find', () => {
    assert.deepEqual(parseSessionFilter('  user:42 key:cart Active blue  shoes '), { filter: { userId: '42', hasKey: 'cart', state: 'active', text: 'blue shoes' } });
    assert.deepEqual(parseSessionFilter('expired'), { filter: { state: 'expired' } });
    assert.deepEqual(parseSessionFilter('https://example.com/x'), { filter: { text: 'https://example.com/x' } }, 'an unknown prefix is text');
    assert.deepEqual(parseSessionFilter('USER:7'), { filter: { userId: '7' } });
    assert.deepEqual(parseSessionFilter('   '), { filter: undefined }, 'an empty box shows every session');
  });

  it('takes quoted text as it is, so a filter word or a run of spaces can be searched for', () => {
    assert.deepEqual(parseSessionFilter('"status active" expired'), { filter: { state: 'expired', text: 'status active' } });
    assert.deepEqual(parseSessionFilter(`"'cart':  2"`), { filter: { text: "'cart':  2" } });
    assert.deepEqual(parseSessionFilter('"user:1'), { filter: { text: 'user:1' } }, 'an unclosed quote runs to the end');
    assert.deepEqual(parseSessionFilter('""'), { filter: undefined });
  });

  it('names what is wrong with text that is not a filter', () => {
    assert.deepEqual(parseSessionFilter('active expired'), { error: 'Choose active or expired, not both.' });
    assert.deepEqual(parseSessionFilter('user:'), { error: 'user: needs a value, e.g. user:42.' });
    assert.deepEqual(parseSessionFilter('key: cart'), { error: 'key: needs a value, e.g. key:cart.' });
    assert.deepEqual(parseSessionFilter('user:1 user:2'), { error: 'Give user: once.' });
  });

  it('writes a filter back as the box reads it', () => {
    for (const text of ['user:42 key:cart active blue shoes', 'expired', 'key:_messages', 'user:1 "status active"', `"'cart':  2"`]) {
      const parsed = parseSessionFilter(text);
      assert.ok('filter' in parsed && parsed.filter);
      assert.equal(formatSessionFilter(parsed.filter), text);
    }
  });

  it('reads a quoted key or user id, so any str key can be filtered on, and writes it back so', () => {
    assert.deepEqual(parseSessionFilter('key:"my cart" active'), { filter: { hasKey: 'my cart', state: 'active' } });
    assert.deepEqual(parseSessionFilter('KEY:"say \\"hi\\"\\\\now"'), { filter: { hasKey: 'say "hi"\\now' } });
    assert.deepEqual(parseSessionFilter('key:"two\\nlines"'), { filter: { hasKey: 'two\nlines' } });
    assert.deepEqual(parseSessionFilter('key:"open ended'), { filter: { hasKey: 'open ended' } }, 'an unclosed quote runs to the end');
    assert.deepEqual(parseSessionFilter('key:""'), { error: 'key: needs a value, e.g. key:cart.' });
    assert.deepEqual(parseSessionFilter('user:"4 2"'), { filter: { userId: '4 2' } });
    for (const hasKey of ['my cart', 'say "hi"', 'back\\slash', 'two\nlines\r\n', '\ttab', '"quoted"', "it's"]) {
      const text = formatSessionFilter({ hasKey });
      assert.deepEqual(parseSessionFilter(text), { filter: { hasKey } }, text);
      assert.ok(!/[\n\r\t]/.test(text), `one line in the box: ${text}`);
    }
  });

  it('refuses a misspelt field, with the one meant, instead of searching for it as text', () => {
    assert.deepEqual(parseSessionFilter('usr:1'), { error: 'There is no usr: filter, did you mean user:; use user:ID or key:NAME, or quote it ("usr:1") to find it as text.' });
    assert.deepEqual(parseSessionFilter('keys:cart active'), { error: 'There is no keys: filter, did you mean key:; use user:ID or key:NAME, or quote it ("keys:cart") to find it as text.' });
    assert.deepEqual(parseSessionFilter('color:red'), { error: 'There is no color: filter; use user:ID or key:NAME, or quote it ("color:red") to find it as text.' });
    assert.deepEqual(parseSessionFilter('"usr:1"'), { filter: { text: 'usr:1' } });
    assert.deepEqual(parseSessionFilter("'cart': 2"), { filter: { text: "'cart': 2" } });
    assert.deepEqual(parseSessionFilter('https://example.com'), { filter: { text: 'https://example.com' } }, 'a URL is text');
  });
});
