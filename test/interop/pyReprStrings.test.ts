import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pyRepr } from '../../engine/src';
import { PYTHON, requireDjango } from './realDjango';

const LAST_CODE_POINT = 0x10ffff;

/**
 * Python's own verdict on every code point: a string of '1' where repr() escapes it, '0' where
 * it prints it, '-' where this Python's Unicode database has it unassigned (a newer Unicode in
 * V8 may have assigned it since, so those are not compared).
 */
function pythonEscapes(): string {
  const script = [
    'import sys, unicodedata',
    'out = []',
    `for cp in range(${LAST_CODE_POINT + 1}):`,
    '    ch = chr(cp)',
    "    if unicodedata.category(ch) == 'Cn':",
    "        out.append('-')",
    '    else:',
    "        out.append('0' if repr(ch) in (\"'\" + ch + \"'\", '\"' + ch + '\"') else '1')",
    "sys.stdout.write(''.join(out))",
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 8 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

function pythonRepr(texts: string[]): string[] {
  const run = spawnSync(PYTHON, ['-c', 'import json, sys; print(json.dumps([repr(t) for t in json.load(sys.stdin)]))'], {
    input: JSON.stringify(texts),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as string[];
}

describe('pyRepr of str against real Python', function () {
  before(function () {
    requireDjango(this);
  });

  it('escapes exactly the code points Python escapes, so a bidi override or a zero-width space cannot hide in a value', function () {
    const verdicts = pythonEscapes();
    assert.equal(verdicts.length, LAST_CODE_POINT + 1);
    const differ: string[] = [];
    for (let cp = 0; cp <= LAST_CODE_POINT; cp++) {
      const verdict = verdicts[cp];
      if (verdict === '-' || cp === 0x27 || cp === 0x5c) continue;
      const ch = String.fromCodePoint(cp);
      const escaped = pyRepr(ch) !== `'${ch}'`;
      if (escaped !== (verdict === '1')) differ.push(cp.toString(16));
    }
    assert.deepEqual(differ.slice(0, 20), [], `${differ.length} code points differ`);
  });

  it('writes each escape as Python does', function () {
    const texts = ['a\u202eb', '\u200b', '\x1b[31m', '\x85\xad', '\ud800', '\udfff x', '\u2028\u2029', '\ufeff', '\ue000', '\u{10ffff}', '\u{e0001}', "it's", 'say "hi"', `both ' and "`, 'tab\there\n', '\u{1f600} ok', 'é ü 中'];
    assert.deepEqual(
      texts.map((t) => pyRepr(t)),
      pythonRepr(texts),
    );
  });
});
