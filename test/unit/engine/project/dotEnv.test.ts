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

  it("reads a quoted value over several lines as one, whose lines are no variables, and expands a double-quoted value's escapes, as python-dotenv does", () => {
    const text = ['JWT_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----', 'DBNAME=inside_pem', '-----END PRIVATE KEY-----"', "RAW='a\\tb'", 'TAB="a\\tb" # comment', "WIN='C:\\\\dir it\\'s'", 'AFTER=1'].join('\n');
    assert.deepEqual(
      [...parseDotEnv(text)],
      [
        ['JWT_PRIVATE_KEY', '-----BEGIN PRIVATE KEY-----\nDBNAME=inside_pem\n-----END PRIVATE KEY-----'],
        ['RAW', 'a\\tb'],
        ['TAB', 'a\tb'],
        ['WIN', "C:\\dir it's"],
        ['AFTER', '1'],
      ],
    );
  });

  it('reads a leading BOM and `KEY=  # note` as python-dotenv 1.2.3 and 1.2.4 on do, where 0.21 differs', () => {
    // 0.21 kept the BOM in the first name (\ufeffDATABASE_URL, so DATABASE_URL was unset) and read NOTE as '# note'.
    assert.deepEqual([...parseDotEnv('\ufeffDATABASE_URL=postgres://db/app\nNOTE=  # note\nHASH=#kept\n')], [
      ['DATABASE_URL', 'postgres://db/app'],
      ['NOTE', ''],
      ['HASH', '#kept'],
    ]);
  });
});
