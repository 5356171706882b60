import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempProject } from '../unit/engine/project/tempProject';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { cli } from './cliRun';
import { requireDjango, runInProject } from './realDjango';
import { djangoReadsValue } from './sqliteDjangoProject';

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

/** A repository of two projects: `cookies` keeps its sessions in signed cookies, `shop` in SQLite beside its settings. */
function monorepo(): string {
  const settings = (lines: string[]) => ['import os', 'SECRET_KEY = "cookie-stores-left-out-" + "k" * 40', 'USE_TZ = True', 'INSTALLED_APPS = ["django.contrib.sessions"]', ...lines, ''].join('\n');
  return tempProject({
    'cookies/manage.py': MANAGE,
    'cookies/proj/__init__.py': '',
    'cookies/proj/settings.py': settings(['SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"']),
    'shop/manage.py': MANAGE,
    'shop/proj/__init__.py': '',
    'shop/proj/settings.py': settings(['DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(os.path.dirname(__file__), "db.sqlite3")}}']),
    'shop/requirements.txt': 'Django==3.2.25\n',
  });
}

/**
 * A signed_cookies project has no store to open: beside other projects, the store commands leave
 * it out (and say so) and work on the rest, rather than failing for every project with exit 3.
 */
describe('interop: store commands in a repository where one project keeps its sessions in signed cookies', function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  it('count, set and logout-user work on the other project, as real Django 3.2 then sees', async () => {
    const root = monorepo();
    const shop = path.join(root, 'shop');
    try {
      const created = runInProject(
        shop,
        [
          'from django.core.management import call_command',
          'call_command("migrate", verbosity=0)',
          'from django.contrib.sessions.backends.db import SessionStore',
          'keys = []',
          'for data in [{"cart": [1]}, {"_auth_user_id": "5"}]:',
          '    s = SessionStore()',
          '    s.update(data)',
          '    s.create()',
          '    keys.append(s.session_key)',
          'print(" ".join(keys))',
        ].join('\n'),
        undefined,
      );
      const [cartKey, userKey] = created.split(' ') as [string, string];
      const run = (args: string[]) => cli(['--project', root, ...args], TRUSTING_ENV);
      const leftOut = /cookies\/signed_cookies is left out: its sessions are signed cookies in the browsers/;

      const count = await run(['count']);
      assert.equal(count.code, 0, count.err);
      assert.equal(count.out.trim(), '2');
      assert.match(count.err, leftOut);

      const set = await run(['set', cartKey, 'cart', '[2]']);
      assert.equal(set.code, 0, set.err);
      assert.equal(djangoReadsValue(shop, cartKey, 'cart', undefined), '[2]');

      const logout = await run(['logout-user', '5']);
      assert.equal(logout.code, 0, logout.err);
      assert.equal(logout.out.trim(), '1 session of user 5 deleted');
      assert.match(logout.err, /warning: cookies\/signed_cookies is left out: .* user 5 stays logged in there until the cookie expires/);
      assert.equal(runInProject(shop, `from django.contrib.sessions.backends.db import SessionStore\nprint(SessionStore().exists(${JSON.stringify(userKey)}))`, undefined), 'False');

      const alone = await cli(['--project', path.join(root, 'cookies'), 'count'], TRUSTING_ENV);
      assert.equal(alone.code, 3, 'a signed_cookies project alone still says why nothing can be counted');
      assert.match(alone.err, /keeps sessions in the browser/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
