import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTextFile } from '../../../../engine/src/analysis/textFile';
import { tempProject } from '../project/tempProject';

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
});
