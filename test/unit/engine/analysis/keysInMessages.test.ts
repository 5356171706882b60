import * as assert from 'node:assert/strict';
import { lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';

describe('session keys in lint messages', () => {
  it("are printed as Python's repr prints them, so a newline, tab, quote or control character cannot break a message", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/keys.py', 'TABBED = "it\'s\\tcart"\n');
    index.updateFile(
      '/p/shop/views.py',
      [
        'import datetime',
        'from shop.keys import TABBED',
        '',
        'def view(request):',
        '    request.session["line\\nbreak"] = datetime.datetime.now()',
        '    request.session["it\'s\\tcart"] = request.session.get(TABBED)',
        '    request.session["cart\\x1b"] = 2',
        '    return request.session["cart\\x1c"], request.session["plain"]',
        '',
      ].join('\n'),
    );
    const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).map((d) => `${d.code} ${d.message.split(/ (?:is|duplicates) /)[0]}${d.fix ? ` | ${d.fix.title}` : ''}`);
    assert.deepEqual(found.sort(), [
      'DS101 Session key \'cart\\x1c\' | Change to \'cart\\x1b\'',
      "DS101 Session key 'plain'",
      "DS102 Session key 'cart\\x1b'",
      "DS102 Session key 'line\\nbreak'",
      "DS103 Session key 'line\\nbreak' | Store the ISO string",
      'DS106 "it\'s\\tcart" | Use TABBED',
    ]);
  });
});
