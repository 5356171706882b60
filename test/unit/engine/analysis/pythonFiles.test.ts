import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findIndexedFilesBelow, findPythonFiles } from '../../../../engine/src/analysis/pythonFiles';
import { isIndexedPythonPath } from '../../../../engine/src/analysis/pythonPaths';
import { skippedPythonFiles } from '../../../../engine/src/analysis/skippedPythonFiles';
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

  it('finds a symlinked module, as Python imports it, and enters no symlinked directory, so a loop or a link to / costs nothing', () => {
    const linked = tempProject({ 'shop/views.py': '', 'shared/coupons_impl.py': '' });
    try {
      fs.symlinkSync(path.join(linked, 'shared/coupons_impl.py'), path.join(linked, 'shop/coupons.py'));
      fs.symlinkSync(path.join(linked, 'missing.py'), path.join(linked, 'shop/dangling.py'));
      fs.symlinkSync(linked, path.join(linked, 'shop/loop'));
      fs.symlinkSync('/', path.join(linked, 'shop/rootfs'));
      assert.deepEqual(findPythonFiles(linked), ['shared/coupons_impl.py', 'shop/coupons.py', 'shop/views.py'].map((f) => path.join(linked, f)));
    } finally {
      fs.rmSync(linked, { recursive: true, force: true });
    }
  });

  it('finds in a folder that appeared what a scan of its root would find there', () => {
    assert.deepEqual(findIndexedFilesBelow(root, path.join(root, 'shop')), [path.join(root, 'shop/views.py')]);
    for (const dir of ['py311', 'py311/lib', 'vendor/lib/python3/dist-packages/pkg', 'shop/views.py', 'missing']) {
      assert.deepEqual(findIndexedFilesBelow(root, path.join(root, dir)), [], dir);
    }
  });
});

describe('skippedPythonFiles', () => {
  it('tells the skipped directories that hold every Python file of a tree, most files first, and why each is skipped', () => {
    const root = tempProject({
      'vendor/lib/python3/dist-packages/pkg/views.py': '',
      'vendor/lib/python3/dist-packages/pkg/models.py': '',
      'vendor/lib/python3/dist-packages/pkg/sub/urls.py': '',
      'py311/pyvenv.cfg': 'home = /usr/bin\n',
      'py311/lib/site-packages/a.py': '',
      '.venv/b.py': '',
      'shop/migrations/0001_initial.py': '',
      'node_modules/gyp/setup.py': '',
      'node_modules/empty/index.js': '',
      'README.md': '',
    });
    try {
      const skipped = skippedPythonFiles(root)?.map((s) => [path.relative(root, s.dir), s.reason, s.files]);
      assert.deepEqual(skipped, [
        ['vendor/lib/python3/dist-packages', 'installed packages', 3],
        ['.venv', 'a virtualenv', 1],
        ['node_modules', 'tool files', 1],
        ['py311', 'a virtualenv', 1],
        ['shop/migrations', 'migrations', 1],
      ]);
      fs.writeFileSync(path.join(root, 'shop/views.py'), '');
      assert.equal(skippedPythonFiles(root), undefined, 'none when a file is read');
      fs.rmSync(path.join(root, 'shop/views.py'));
      assert.deepEqual(skippedPythonFiles(path.join(root, 'vendor/lib/python3/dist-packages')), undefined, 'a skipped directory given as the root is read');
      assert.deepEqual(skippedPythonFiles(path.join(root, 'node_modules/empty')), [], 'nothing skipped in a tree without Python');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
