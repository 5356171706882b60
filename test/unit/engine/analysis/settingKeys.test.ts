import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject, scanProject, type ProjectScan } from '../../../../engine/src/analysis';
import { fixtureProject } from '../project/fixturePath';
import { tempProject } from '../project/tempProject';

describe('keys named by settings (fixture project "settingkeys")', () => {
  const root = fixtureProject('settingkeys');
  let scan: ProjectScan;

  before(async () => {
    scan = await scanProject(root, { env: {} });
  });

  it("resolves settings.NAME to the project's setting, through every spelling of Django's settings object", () => {
    assert.deepEqual(
      scan.usages.map((u) => `${path.relative(root, u.file)}:${u.range.start.line + 1}:${u.range.start.character} ${u.op} ${u.key} ${u.definition ? `${path.relative(root, u.definition.file)}:${u.definition.name}` : ''}`),
      [
        'cart/cart.py:7:21 set cart shop/base.py:settings.CART_SESSION_ID',
        'cart/cart.py:8:21 set coupon ',
        'cart/views.py:7:31 get cart ',
        'cart/views.py:7:60 get cart shop/base.py:settings.CART_SESSION_ID',
        'cart/views.py:7:101 read coupon ',
      ],
    );
    const defined = scan.usages.find((u) => u.definition)?.definition;
    assert.deepEqual(defined?.constant.spelling.range, { start: { line: 2, character: 18 }, end: { line: 2, character: 24 } }, "the literal in base.py, which a rename of 'cart' rewrites");
  });

  it('says why a setting names no key', () => {
    assert.deepEqual(
      scan.unresolved.map((u) => `${path.relative(root, u.file)}:${u.range.start.line + 1} ${u.reason}`),
      [
        "cart/views.py:11 settings.CART_AGE is an int in the project's settings, not a str",
        "cart/views.py:11 settings.WISHLIST_SESSION_ID cannot be told statically: 'compute_wishlist_key' is not defined statically in this settings module",
        "cart/views.py:11 settings.MISSING_ID is not set in the project's settings (shop/settings.py)",
      ],
    );
  });

  it('counts a key a setting names as written, so reading it by its literal is no finding of DS101', async () => {
    const findings = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS101');
    assert.deepEqual(findings, []);
  });
});

describe("a reusable app's key, getattr(settings, 'NAME', 'default')", () => {
  it("is the project's setting where it sets one, else the default (Seahub's password-hash key)", async () => {
    const files = (settings: string) => ({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
      'conf/__init__.py': '',
      'conf/settings.py': `SECRET_KEY = "k"\n${settings}`,
      'app/keys.py': 'from django.conf import settings\nHASH_KEY = getattr(settings, "PASSWORD_HASH_SESSION_KEY", "password_session_password_hash_key")\n',
      'app/views.py': 'from app.keys import HASH_KEY\n\ndef login(request):\n    request.session[HASH_KEY] = "h"\n\ndef check(request):\n    return request.session.get("password_session_password_hash_key")\n',
    });
    const unset = tempProject(files(''));
    const set = tempProject(files('PASSWORD_HASH_SESSION_KEY = "custom_hash"\n'));
    try {
      assert.deepEqual((await scanProject(unset, { env: {} })).usages.map((u) => `${u.op} ${u.key}`), ['set password_session_password_hash_key', 'get password_session_password_hash_key']);
      assert.deepEqual((await lintProject(unset, { env: {} })).filter((d) => d.code === 'DS101'), []);
      assert.deepEqual((await scanProject(set, { env: {} })).usages.map((u) => `${u.op} ${u.key}`), ['set custom_hash', 'get password_session_password_hash_key']);
    } finally {
      fs.rmSync(unset, { recursive: true, force: true });
      fs.rmSync(set, { recursive: true, force: true });
    }
  });
});

describe("a reusable app's key written as `settings.NAME if hasattr(settings, 'NAME') else 'default'` or `getattr(settings, 'NAME', None) or 'default'`", () => {
  it("is the project's setting where it sets one, else the default", async () => {
    const files = (settings: string) => ({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
      'conf/__init__.py': '',
      'conf/settings.py': `SECRET_KEY = "k"\n${settings}`,
      'app/keys.py': [
        'from django.conf import settings',
        'CART_KEY = settings.CART_SESSION_ID if hasattr(settings, "CART_SESSION_ID") else "cart"',
        'WISH_KEY = getattr(settings, "WISH_SESSION_ID", None) or "wish"',
        'OTHER_KEY = settings.OTHER_ID if hasattr(settings, "CART_SESSION_ID") else "other"',
        '',
      ].join('\n'),
      'app/views.py': 'from app.keys import CART_KEY, OTHER_KEY, WISH_KEY\n\ndef add(request):\n    request.session[CART_KEY] = {}\n    request.session[WISH_KEY] = []\n    request.session[OTHER_KEY] = 1\n',
    });
    const unset = tempProject(files(''));
    const set = tempProject(files('CART_SESSION_ID = "basket"\nWISH_SESSION_ID = "wishes"\n'));
    try {
      assert.deepEqual((await scanProject(unset, { env: {} })).usages.map((u) => `${u.op} ${u.key}`), ['set cart', 'set wish']);
      assert.deepEqual((await scanProject(set, { env: {} })).usages.map((u) => `${u.op} ${u.key}`), ['set basket', 'set wishes']);
    } finally {
      fs.rmSync(unset, { recursive: true, force: true });
      fs.rmSync(set, { recursive: true, force: true });
    }
  });
});

describe('keys named by settings in a folder holding several Django projects', () => {
  it("takes each file's own project's settings, and none for a file outside every project", async () => {
    const manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n';
    const view = 'from django.conf import settings\n\ndef add(request):\n    request.session[settings.CART_SESSION_ID] = {}\n';
    const root = tempProject({
      'shop/manage.py': manage,
      'shop/conf/__init__.py': '',
      'shop/conf/settings.py': "CART_SESSION_ID = 'shop_cart'\n",
      'shop/cart/views.py': view,
      'blog/manage.py': manage,
      'blog/conf/__init__.py': '',
      'blog/conf/settings.py': "CART_SESSION_ID = 'blog_cart'\n",
      'blog/posts/views.py': view,
      'tools/views.py': view,
    });
    try {
      const scanned = await scanProject(root, { env: {} });
      assert.deepEqual(scanned.usages.map((u) => `${path.relative(root, u.file)} ${u.key}`), ['blog/posts/views.py blog_cart', 'shop/cart/views.py shop_cart']);
      assert.deepEqual(
        scanned.unresolved.map((u) => `${path.relative(root, u.file)} ${u.reason}`),
        ['tools/views.py settings.CART_SESSION_ID is read from the settings of whichever of 2 Django projects runs this file, which is not known'],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
