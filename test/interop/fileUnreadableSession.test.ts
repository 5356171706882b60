import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { skipOrFail } from './localServices';
import { PYTHON, requireDjango } from './realDjango';

const SECRET = 'file-unreadable-secret-key-0123456789-abcdefghijklmnop';
const ROOT = path.resolve(__dirname, '../..');
const AS_NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

/** Real Django's file engine on `dir`, run as nobody or as root: `code` runs with SessionStore imported. */
function django(dir: string, asNobody: boolean, code: string): string {
  const script = `import django\nfrom django.conf import settings\nsettings.configure(SECRET_KEY=${JSON.stringify(SECRET)}, USE_TZ=True, INSTALLED_APPS=["django.contrib.sessions"], SESSION_ENGINE="django.contrib.sessions.backends.file", SESSION_FILE_PATH=${JSON.stringify(dir)})\ndjango.setup()\nfrom django.contrib.sessions.backends.file import SessionStore\n${code}\n`;
  const r = asNobody ? spawnSync('setpriv', [...AS_NOBODY, PYTHON, '-c', script], { encoding: 'utf8' }) : spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

/** Our CLI, from source, run as nobody. */
function cliAsNobody(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('setpriv', [...AS_NOBODY, process.execPath, '--import', 'tsx', path.join(ROOT, 'cli/src/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), DJANGO_SECRET_KEY: SECRET },
  });
}

/**
 * A session file another user owns with mode 0600 (a `sudo manage.py shell` among the web
 * server's sessions) among those of the user we run as: Django's clearsessions skips it, as its
 * load() catches the OSError, so each command shows it as unreadable and carries on.
 */
describe('interop: a session file the user running the CLI may not read', function () {
  this.timeout(60_000);

  it('is listed as unreadable, with why, and list, count, clear-expired and logout-user go on as Django does', function () {
    requireDjango(this);
    if (process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).status !== 0) {
      skipOrFail(this, 'only root with setpriv (util-linux) can make a session file another user owns and run Django as that user: run the interop tests as root');
    }
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-file-unreadable-'));
    const dir = path.join(parent, 'sessions');
    try {
      fs.chmodSync(parent, 0o755);
      fs.mkdirSync(dir);
      fs.chownSync(dir, 65534, 65534);
      const create = 's = SessionStore(); s["_auth_user_id"] = "7"; s.create(); print(s.session_key)';
      const ours = [django(dir, true, create), django(dir, true, create)];
      const rootOwned = django(dir, false, create);
      assert.equal(fs.statSync(path.join(dir, `sessionid${rootOwned}`)).mode & 0o777, 0o600);
      django(dir, true, 'SessionStore.clear_expired()');
      assert.ok(fs.existsSync(path.join(dir, `sessionid${rootOwned}`)), "Django's clearsessions skips it");

      const url = `file://${dir}?use_tz=true&cookie_age=1209600`;
      const list = cliAsNobody(['--store', url, 'list', '--json']);
      assert.equal(list.status, 0, list.stderr);
      const sessions = (JSON.parse(list.stdout) as { stores: Array<{ sessions: Array<{ session_key: string; error?: { code: string; message: string } }> }> }).stores[0]!.sessions;
      assert.equal(sessions.length, 3);
      const unreadable = sessions.filter((s) => s.error !== undefined);
      assert.deepEqual(unreadable.map((s) => s.session_key), [rootOwned]);
      assert.deepEqual(unreadable[0]!.error, { code: 'unreadable-file', message: 'its file may not be read by this user (EACCES: owner uid 0, mode 0600); run as its owner to read it' });
      const count = cliAsNobody(['--store', url, 'count', '--user', '7']);
      assert.equal(count.status, 0, count.stderr);
      assert.equal(count.stdout.trim(), '2');
      assert.match(count.stderr, /1 session could not be decoded/);
      const clear = cliAsNobody(['--store', url, 'clear-expired']);
      assert.equal(clear.status, 0, clear.stderr);
      const logout = cliAsNobody(['--store', url, 'logout-user', '7', '--yes']);
      assert.match(logout.stdout, /2 sessions of user 7 deleted; 1 session could not be decoded/);
      for (const run of [list, count, clear, logout]) {
        assert.doesNotMatch(run.stderr, /session directory/);
      }
      assert.deepEqual(fs.readdirSync(dir), [`sessionid${rootOwned}`]);
      assert.ok(ours.every((key) => !fs.existsSync(path.join(dir, `sessionid${key}`))));
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
