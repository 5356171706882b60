import * as assert from 'node:assert/strict';
import { parseEnvironEnvFile } from '../../../../engine/src/project/environEnvFile';

/**
 * django-environ's `Env.read_env()` line rules, pinned to its current release (0.12, with
 * `parse_comments=False`, its default). Debian's 0.4.4 agrees except that it takes no `export `,
 * unescapes `\n` inside double quotes to `n`, and keeps a name's first line rather than its last.
 */
describe('parseEnvironEnvFile', () => {
  it('takes only exact KEY=value lines, keeping a # and spaces in the value', () => {
    const text = [
      'DJANGO_SECRET_KEY=k3y-with #hash-inside',
      'DJANGO_SESSION_COOKIE_NAME = spaced',
      '  INDENTED=x',
      'export EXPORTED=yes',
      'export  TWO_SPACES=x',
      'TRAILING=value   ',
      'DOTTED.NAME=x',
      '1NUMERIC=ok',
      '# COMMENTED=x',
      'DUP=first',
      'DUP=second',
    ].join('\n');
    assert.deepEqual([...parseEnvironEnvFile(text)], [
      ['DJANGO_SECRET_KEY', 'k3y-with #hash-inside'],
      ['EXPORTED', 'yes'],
      ['TRAILING', 'value   '],
      ['1NUMERIC', 'ok'],
      ['DUP', 'second'],
    ]);
  });

  it('strips quotes only around the whole value, unescapes double-quoted text but \\n, \\r and \\t, and reads each line alone', () => {
    const text = [
      "SINGLE='a # b'",
      "SINGLE_COMMENT='a' # c",
      'DOUBLE="line\\nbreak \\"q\\" \\$x"',
      'NESTED=\'"inner"\'',
      'PEM="-----BEGIN',
      'DBNAME=inside_pem',
      '-----END"',
      'CRLF=x\r',
      'LAST=1',
    ].join('\n');
    assert.deepEqual([...parseEnvironEnvFile(text)], [
      ['SINGLE', 'a # b'],
      ['SINGLE_COMMENT', "'a' # c"],
      ['DOUBLE', 'line\\nbreak "q" $x'],
      ['NESTED', 'inner'],
      ['PEM', '"-----BEGIN'],
      ['DBNAME', 'inside_pem'],
      ['CRLF', 'x'],
      ['LAST', '1'],
    ]);
  });
});
