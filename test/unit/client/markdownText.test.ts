import * as assert from 'node:assert/strict';
import { markdownCode, markdownText } from '../../../client/src/markdownText';

describe('markdownText', () => {
  it('escapes what Markdown reads as images, links, emphasis, HTML and headings, and joins lines', () => {
    assert.equal(markdownText('![t](https://e.x/t.png)'), '\\!\\[t\\]\\(https\\://e\\.x/t\\.png\\)');
    assert.equal(markdownText('[a](command:x) **b** <img>'), '\\[a\\]\\(command\\:x\\) \\*\\*b\\*\\* \\<img\\>');
    assert.equal(markdownText('1\n# big\r\nend'), '1 \\# big end');
    assert.equal(markdownText('user 42'), 'user 42');
  });

  it('fences a code span with more backticks than the text holds in a row', () => {
    assert.equal(markdownCode('abcd••••'), '`abcd••••`');
    assert.equal(markdownCode('ab`c'), '`` ab`c ``');
    assert.equal(markdownCode('a``b'), '``` a``b ```');
  });
});
