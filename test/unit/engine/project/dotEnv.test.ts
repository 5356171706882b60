import * as assert from 'node:assert/strict';
import { parseDotEnv } from '../../../../engine/src/project';

describe('parseDotEnv', () => {
  it('reads plain, exported, quoted and commented values', () => {
    const text = [
      '# a comment',
      'PLAIN=value',
      'export EXPORTED=yes',
      'SINGLE=\'it has spaces # not a comment\'',
      'DOUBLE="line\\nbreak \\"quoted\\""',
      'TRAILING=value # comment',
      'EMPTY=',
      'not a line',
    ].join('\n');
    assert.deepEqual(
      [...parseDotEnv(text)],
      [
        ['PLAIN', 'value'],
        ['EXPORTED', 'yes'],
        ['SINGLE', 'it has spaces # not a comment'],
        ['DOUBLE', 'line\nbreak "quoted"'],
        ['TRAILING', 'value'],
        ['EMPTY', ''],
      ],
    );
  });
});
