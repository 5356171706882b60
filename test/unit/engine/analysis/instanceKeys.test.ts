import * as assert from 'node:assert/strict';
import { SessionKeyIndex } from '../../../../engine/src/analysis';

describe("a key read from an instance the function makes", () => {
  it("is the class attribute, for an instance of the class around (cls()) or of a named class (kitsune's TwitterSession.from_request)", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/twitter/session.py',
      [
        'class TwitterSession(object):',
        "    key_key = 'twitter_oauth_key'",
        '',
        '    @classmethod',
        '    def from_request(cls, request):',
        '        s = cls()',
        '        s.key = request.session.get(s.key_key)',
        '        return s',
        '',
        '    def save(self, request):',
        '        request.session[self.key_key] = self.key',
        '',
        'def peek(request):',
        '    t = TwitterSession()',
        '    other = make()',
        '    return request.session.get(t.key_key), request.session.get(other.key_key)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(index.usages().map((u) => `${u.range.start.line + 1} ${u.op} ${u.key}`), ['7 get twitter_oauth_key', '11 set twitter_oauth_key', '16 get twitter_oauth_key']);
    assert.deepEqual(index.unresolved().map((u) => u.reason), ["'other.key_key' is not a constant the scanner can find"]);
  });
});
