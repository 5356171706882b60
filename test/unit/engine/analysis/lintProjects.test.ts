import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

describe('lint over a folder holding several Django projects', () => {
  it("takes each project on its own: one project's writes do not answer another's reads", async () => {
    const manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n';
    const settings = "SECRET_KEY = 'x'\n";
    const root = tempProject({
      'shop/manage.py': manage,
      'shop/conf/__init__.py': '',
      'shop/conf/settings.py': settings,
      'shop/cart/views.py': 'def add(request):\n    request.session["coupon"] = "X"\n    return request.session["coupon"]\n',
      'blog/manage.py': manage,
      'blog/conf/__init__.py': '',
      'blog/conf/settings.py': settings,
      'blog/posts/views.py': 'def show(request):\n    return request.session.get("coupon")\n',
    });
    try {
      const found = (await lintProject(root, { env: {} })).filter((d) => d.code.startsWith('DS1')).map((d) => `${path.relative(root, d.file)} ${d.code}`);
      assert.deepEqual(found, ['blog/posts/views.py DS101']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
