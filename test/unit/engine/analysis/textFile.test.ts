import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTextFile } from '../../../../engine/src/analysis/textFile';
import { tempProject } from '../project/tempProject';
import { runPython } from './realPython';

/** A source file's text as Python reads it (tokenize.open: its declared encoding, universal newlines). */
function pythonText(file: string): string {
  return JSON.parse(runPython('import json, sys, tokenize\nprint(json.dumps(tokenize.open(sys.argv[1]).read()))', '', [file])) as string;
}

describe('readTextFile', () => {
  const big = 'X = "x"\n'.repeat(20_000);
  let dir: string;

  before(() => {
    dir = tempProject({ 'plain.py': 'A = "a"\n', 'bom.py': '\uFEFFA = "a"\n', 'big.py': `\uFEFF${big}`, 'inner.py': 'A = "\uFEFF"\n' });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('drops a leading byte-order mark, as VS Code does from a document, in small files and in those past its buffer', () => {
    assert.equal(readTextFile(path.join(dir, 'plain.py')), 'A = "a"\n');
    assert.equal(readTextFile(path.join(dir, 'bom.py')), 'A = "a"\n');
    assert.equal(readTextFile(path.join(dir, 'big.py')), big);
  });

  it('keeps a U+FEFF anywhere else', () => {
    assert.equal(readTextFile(path.join(dir, 'inner.py')), 'A = "\uFEFF"\n');
  });

  it('throws as readFileSync does for a missing file', () => {
    assert.throws(() => readTextFile(path.join(dir, 'missing.py')), { code: 'ENOENT' });
  });

  describe('reads a Python file as Python does', () => {
    const sources: Record<string, Buffer> = {
      'latin1.py': Buffer.from('# -*- coding: latin-1 -*-\nK = "caf\xe9 \x80"\n', 'latin1'),
      'cp1252.py': Buffer.from('#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nK = "\x80uro \x9c"\n', 'latin1'),
      'iso_8859_15.py': Buffer.from('# coding=iso_8859_15\nK = "\xa4"\n', 'latin1'),
      'shift_jis.py': Buffer.concat([Buffer.from('# coding: shift_jis\nK = "'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from('"\n')]),
      // Declared after a line of code, the encoding is not Python's: the file is UTF-8.
      'late.py': Buffer.from('K = 1\n# coding: latin-1\nL = "\u00e9"\n', 'utf8'),
      'utf8.py': Buffer.from('# coding: utf-8\nK = "\u00e9\u{1F600}"\n', 'utf8'),
      'cr.py': Buffer.from('def v(request):\r    request.session["a"] = 1\r\n    return request.session["b"]\r', 'utf8'),
    };

    before(() => {
      for (const [name, bytes] of Object.entries(sources)) {
        fs.writeFileSync(path.join(dir, name), bytes);
      }
    });

    for (const name of Object.keys(sources)) {
      it(name, () => {
        const file = path.join(dir, name);
        assert.equal(readTextFile(file).replace(/\r\n/g, '\n'), pythonText(file));
      });
    }

    it('keeps CRLF line ends, which VS Code keeps too', () => {
      assert.equal(readTextFile(path.join(dir, 'cr.py')), 'def v(request):\n    request.session["a"] = 1\r\n    return request.session["b"]\n');
    });

    it('reads a file other than Python source as UTF-8 whatever its first line says', () => {
      fs.writeFileSync(path.join(dir, 'page.html'), Buffer.from('# coding: latin-1\n\u00e9\n', 'utf8'));
      assert.equal(readTextFile(path.join(dir, 'page.html')), '# coding: latin-1\n\u00e9\n');
    });
  });
});
