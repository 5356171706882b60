import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findIndexedFilesBelow, findPythonFiles } from '../../../../engine/src/analysis/pythonFiles';
import { isIndexedPythonPath } from '../../../../engine/src/analysis/pythonPaths';
import { tempProject } from '../project/tempProject';

describe('findPythonFiles', () => {
  let root: string;

  before(() => {
    root = tempProject({
      'shop/views.py': '',
      'vendor/lib/python3/dist-packages/pkg/views.py': '',
      'vendor/lib/python3.11/site-packages/pkg/views.py': '',
      'py311/pyvenv.cfg': 'home = /usr/bin\n',
      'py311/lib/views.py': '',
    });
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("skips Debian's dist-packages as it skips site-packages, in a scan and for one file", () => {
    assert.deepEqual(findPythonFiles(root), [path.join(root, 'shop/views.py')]);
    assert.equal(isIndexedPythonPath(path.join(root, 'vendor/lib/python3/dist-packages/pkg/views.py'), root), false);
  });

  it('finds in a folder that appeared what a scan of its root would find there', () => {
    assert.deepEqual(findIndexedFilesBelow(root, path.join(root, 'shop')), [path.join(root, 'shop/views.py')]);
    for (const dir of ['py311', 'py311/lib', 'vendor/lib/python3/dist-packages/pkg', 'shop/views.py', 'missing']) {
      assert.deepEqual(findIndexedFilesBelow(root, path.join(root, dir)), [], dir);
    }
  });
});
