import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPythonFiles } from '../../../../engine/src/analysis/pythonFiles';
import { isIndexedPythonPath } from '../../../../engine/src/analysis/pythonPaths';
import { tempProject } from '../project/tempProject';

describe('findPythonFiles', () => {
  let root: string;

  before(() => {
    root = tempProject({
      'shop/views.py': '',
      'vendor/lib/python3/dist-packages/pkg/views.py': '',
      'vendor/lib/python3.11/site-packages/pkg/views.py': '',
    });
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("skips Debian's dist-packages as it skips site-packages, in a scan and for one file", () => {
    assert.deepEqual(findPythonFiles(root), [path.join(root, 'shop/views.py')]);
    assert.equal(isIndexedPythonPath(path.join(root, 'vendor/lib/python3/dist-packages/pkg/views.py'), root), false);
  });
});
