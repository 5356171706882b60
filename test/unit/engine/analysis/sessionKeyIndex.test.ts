import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import nodeFs from 'node:fs';
import * as path from 'node:path';
import { findPythonFiles, indexDirectory, SessionKeyIndex } from '../../../../engine/src/analysis';
import { discoverProjects } from '../../../../engine/src/project';
import { fixtureProject } from '../project/fixturePath';
import { tempProject } from '../project/tempProject';
import { copyFixtureWithSkippedDirs } from './fixtureCopy';

type Row = [key: string, op: string, file: string, line: number, start: number, end: number, inTest: boolean];

describe('SessionKeyIndex', () => {
  let root: string;
  let index: SessionKeyIndex;

  before(async () => {
    root = copyFixtureWithSkippedDirs(fixtureProject('keys'));
    index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function rows(): Row[] {
    return index.usages().map((u) => [u.key, u.op, path.relative(root, u.file), u.range.start.line + 1, u.range.start.character, u.range.end.character, u.inTest]);
  }

  it('finds every access with its key, op and 1-based line / UTF-16 columns, skipping venvs, node_modules and migrations', () => {
    assert.deepEqual(rows(), [
      ['_auth_user_id', 'get', 'accounts/views.py', 9, 34, 45, false],
      ['_auth_user_backend', 'read', 'accounts/views.py', 10, 30, 54, false],
      ['coupon', 'set', 'accounts/views.py', 11, 20, 26, false],
      ['cart', 'get', 'accounts/views.py', 12, 49, 67, false],
      ['checkout_step', 'get', 'shop/mixins.py', 5, 40, 61, false],
      ['checkout_step', 'set', 'shop/mixins.py', 10, 29, 50, false],
      ['checkout_step', 'set', 'shop/mixins.py', 11, 29, 55, false],
      ['cart', 'set', 'shop/tests/test_views.py', 7, 16, 22, true],
      ['cart', 'contains', 'shop/tests/test_views.py', 9, 22, 28, true],
      ['cart', 'get', 'shop/views.py', 9, 31, 39, false],
      ['cart', 'set', 'shop/views.py', 11, 20, 28, false],
      ['last_added', 'set', 'shop/views.py', 12, 20, 32, false],
      ['cart', 'contains', 'shop/views.py', 17, 7, 13, false],
      ['cart', 'read', 'shop/views.py', 20, 14, 20, false],
      ['wishlist', 'setdefault', 'shop/views.py', 21, 17, 25, false],
      ['last_added', 'delete', 'shop/views.py', 22, 10, 22, false],
      ['recently_viewed', 'set', 'shop/views.py', 27, 20, 26, false],
      ['theme', 'update', 'shop/views.py', 28, 28, 35, false],
      ['visits', 'update', 'shop/views.py', 28, 45, 54, false],
      ['flash', 'pop', 'shop/views.py', 29, 24, 31, false],
      ['greeting', 'set', 'shop/views.py', 31, 20, 23, false],
      ['flash_message', 'read', 'shop/views.py', 32, 27, 42, false],
      ['async_key', 'set', 'shop/views.py', 42, 31, 42, false],
      ['async_key', 'get', 'shop/views.py', 43, 38, 49, false],
      ['theme', 'contains', 'shop/views.py', 47, 11, 18, false],
    ]);
  });

  it('records dynamic keys as unresolved with a reason', () => {
    assert.deepEqual(
      index.unresolved().map((u) => [u.op, path.relative(root, u.file), u.range.start.line + 1, u.reason]),
      [
        ['set', 'shop/views.py', 36, "the key is the parameter 'name'"],
        ['set', 'shop/views.py', 37, 'the key is an f-string with placeholders'],
      ],
    );
  });

  it('links a key named by a constant to its definition in another module', () => {
    const usage = index.usages().find((u) => u.key === 'coupon');
    assert.equal(usage?.definition?.file, path.join(root, 'shop/constants.py'));
    assert.equal(usage?.definition?.name, 'COUPON_KEY');
    assert.deepEqual(usage?.definition?.constant.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } });
  });

  it('groups usages by key', () => {
    assert.deepEqual(
      [...index.keys()].map(([key, usages]) => [key, usages.length]).sort(),
      [
        ['_auth_user_backend', 1], ['_auth_user_id', 1], ['async_key', 2], ['cart', 7], ['checkout_step', 3], ['coupon', 1], ['flash', 1],
        ['flash_message', 1], ['greeting', 1], ['last_added', 2], ['recently_viewed', 1], ['theme', 2], ['visits', 1], ['wishlist', 1],
      ],
    );
  });

  it('re-analyses one edited file and re-resolves constants imported from it', () => {
    const constants = path.join(root, 'shop/constants.py');
    index.updateFile(constants, 'CART_KEY = "basket"\nCOUPON_KEY = "coupon"\nRECENT = "recently_viewed"\n');
    assert.equal(index.keys().get('basket')?.length, 3, 'the three accesses through CART_KEY');
    index.updateFile(constants, fs.readFileSync(constants, 'utf8'));
    assert.equal(index.keys().get('cart')?.length, 7);
    const views = path.join(root, 'shop/views.py');
    index.removeFile(views);
    assert.equal(index.keys().get('wishlist'), undefined);
    index.updateFile(views, fs.readFileSync(views, 'utf8'));
    assert.equal(index.keys().get('wishlist')?.length, 1);
  });

  it('re-resolves only the edited file when its module-level names are unchanged', () => {
    const views = path.join(root, 'shop/views.py');
    const before = index.usages().find((u) => u.file.endsWith('accounts/views.py'));
    index.updateFile(views, fs.readFileSync(views, 'utf8').replace('"flash_message"', '"flash_note"'));
    assert.equal(index.usages().find((u) => u.file.endsWith('accounts/views.py')), before, 'other files keep their resolved usages');
    assert.equal(index.keys().get('flash_note')?.length, 1);
    index.updateFile(views, fs.readFileSync(views, 'utf8'));
  });

  it('re-resolves keys of a class defined in an edited module read without parsing, as a base and by its name', () => {
    const keyClasses = path.join(root, 'shop/keyclasses.py');
    const views = path.join(root, 'shop/classviews.py');
    index.updateFile(keyClasses, 'class Keys:\n    LAST = "last_seen"\n');
    index.updateFile(views, 'from .keyclasses import Keys\n\nclass Child(Keys):\n    def get(self, request):\n        return request.session[self.LAST], request.session[Keys.LAST]\n');
    assert.equal(index.keys().get('last_seen')?.length, 2);
    index.updateFile(keyClasses, 'class Keys:\n    LAST = "seen_last"\n');
    assert.equal(index.keys().get('last_seen'), undefined);
    assert.equal(index.keys().get('seen_last')?.length, 2, 'both accesses follow the edited class');
    index.removeFile(views);
    index.removeFile(keyClasses);
  });

  it('ignores files under skipped directories when updated directly', () => {
    index.updateFile(path.join(root, 'shop/migrations/0002_more.py'), 'request.session["x"] = 1\n');
    assert.equal(index.keys().get('x'), undefined);
  });

  it('re-indexes exactly the files a full scan takes, telling virtualenvs by name or by pyvenv.cfg', async () => {
    for (const [dir, cfg] of [['env/lib', false], ['py311/lib', true], ['virtualenv', false], ['deps/site-packages', false], ['shop/venvs', false]] as const) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, 'a.py'), 'request.session["skipped"] = 1\n');
      if (cfg) {
        fs.writeFileSync(path.join(root, dir.split('/')[0]!, 'pyvenv.cfg'), 'home = /usr/bin\n');
      }
    }
    const allPythonFiles = (fs.readdirSync(root, { recursive: true, encoding: 'utf8' })).filter((file) => file.endsWith('.py')).map((file) => path.join(root, file));
    const updated = await SessionKeyIndex.create();
    updated.addRoot(root);
    allPythonFiles.forEach((file) => updated.updateFile(file, fs.readFileSync(file, 'utf8')));
    const indexed = [...updated.analyses()].map((analysis) => path.relative(root, analysis.file)).sort();
    assert.deepEqual(indexed, findPythonFiles(root).map((file) => path.relative(root, file)));
    assert.ok(indexed.includes('shop/views.py'));
    assert.equal(updated.keys().get('skipped'), undefined);
  });
});

describe('SessionKeyIndex with the settings of a Django project', () => {
  it("keeps a module's `from django.conf import settings` where one function imports another `settings` (PostHog)", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      'shop/__init__.py': '',
      'shop/settings.py': "CREATED_AT_KEY = 'created_at'\n",
      'ee/__init__.py': '',
      'ee/settings.py': 'BACKENDS = []\n',
      'shop/views.py': [
        'from django.conf import settings',
        '',
        'def touch(request):',
        '    request.session[settings.CREATED_AT_KEY] = 1',
        '',
        'def backends(request):',
        '    from ee import settings',
        '    return settings.BACKENDS',
        '',
      ].join('\n'),
    });
    try {
      const index = await SessionKeyIndex.create();
      await indexDirectory(index, root);
      index.setProjectSettings(await discoverProjects(root, { env: {} }));
      assert.deepEqual([index.usages().map((u) => u.key), index.unresolved().length], [['created_at'], 0]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('re-resolves settings.NAME keys when the settings give them other values, and only then', async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      'shop/__init__.py': '',
      'shop/settings.py': "CART_SESSION_ID = 'cart'\n",
      'cart/views.py': 'from django.conf import settings\n\ndef add(request):\n    request.session[settings.CART_SESSION_ID] = {}\n',
    });
    const settings = path.join(root, 'shop/settings.py');
    try {
      const index = await SessionKeyIndex.create();
      await indexDirectory(index, root);
      const read = async () => index.setProjectSettings(await discoverProjects(root, { env: {} }));
      const keys = () => index.usages().map((u) => `${u.key} ${u.definition?.constant.range.start.line}`);
      assert.deepEqual(
        index.unresolved().map((u) => u.reason),
        ["settings.CART_SESSION_ID is read from the project's settings, and no Django project (manage.py) was found for this file"],
        'before discovery has read the settings',
      );
      await read();
      assert.deepEqual(keys(), ['cart 0']);
      const before = index.usages()[0];
      await read();
      assert.equal(index.usages()[0], before, 'settings read again alike resolve nothing again');
      const changed = "# The cart's key.\nCART_SESSION_ID = 'basket'\n";
      fs.writeFileSync(settings, changed);
      index.updateFile(settings, changed);
      await read();
      assert.deepEqual(keys(), ['basket 1'], 'the new value, defined where the edited file now assigns it');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});


describe('SessionKeyIndex updated file by file, as after a checkout', () => {
  it('searches the project for helpers the updates bring once, when it is next read, not after each update', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      files[`app${i}/views.py`] = `from . import services\n\n\ndef view(request):\n    return services.remember_${i}(request, "seen_${i}")\n`;
      files[`app${i}/services.py`] = 'def price(items):\n    return sum(items)\n';
    }
    const root = tempProject(files);
    try {
      const index = await SessionKeyIndex.create();
      await indexDirectory(index, root);
      assert.deepEqual(index.usages(), []);
      const opened = new Map<string, number>();
      // The module object the engine calls through; the namespace imported above cannot be patched.
      const { openSync } = nodeFs;
      nodeFs.openSync = ((file: fs.PathLike, ...rest: unknown[]) => {
        opened.set(String(file), (opened.get(String(file)) ?? 0) + 1);
        return (openSync as (...args: unknown[]) => number)(file, ...rest);
      }) as typeof fs.openSync;
      try {
        for (let i = 0; i < 30; i++) {
          const file = path.join(root, `app${i}/services.py`);
          const text = `def price(items):\n    return sum(items)\n\n\ndef remember_${i}(request, key):\n    request.session[key] = True\n`;
          fs.writeFileSync(file, text);
          index.updateFile(file, text);
        }
        assert.deepEqual(index.usages().map((u) => u.key).sort(), Array.from({ length: 30 }, (_, i) => `seen_${i}`).sort());
      } finally {
        nodeFs.openSync = openSync;
      }
      assert.ok(Math.max(...opened.values()) <= 1, `a file read ${Math.max(...opened.values())} times`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
