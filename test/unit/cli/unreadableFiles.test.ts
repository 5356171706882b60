import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { skipOrFail } from '../../interop/localServices';
import { tempProject } from '../engine/project/tempProject';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** The built CLI run as nobody, whom a file's mode 000 keeps out (root reads it anyway). */
function asNobody(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args], { encoding: 'utf8' });
}

describe('scan and lint with files they cannot read', () => {
  before(function () {
    if (process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).status !== 0) {
      skipOrFail(this, 'only root with setpriv (util-linux) can run the CLI as a user a file keeps out: run the unit tests as root');
    }
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: npm run build`);
  });

  it('name each on stderr, as its keys are left out, and exit 1 when nothing in scope could be read', () => {
    const root = tempProject({
      'shop/views.py': 'def show(request):\n    return request.session["coupon"]\n',
      'shop/coupons.py': 'def apply(request):\n    request.session["coupon"] = "X"\n',
      'locked/only.py': 'def v(request):\n    request.session["k"] = 1\n',
    });
    try {
      fs.chmodSync(root, 0o755);
      fs.chmodSync(path.join(root, 'shop/coupons.py'), 0o000);
      fs.chmodSync(path.join(root, 'locked/only.py'), 0o000);
      const lint = asNobody(['lint', path.join(root, 'shop')]);
      assert.match(lint.stderr, /^django-sessions: lint: note: cannot read \S*shop\/coupons\.py \(EACCES: permission denied, open '[^']+'\); its session keys are left out\.$/m);
      assert.match(lint.stdout, /DS101 Session key 'coupon' is read but never written/, 'the finding the unread file would answer, said with why above');
      const scan = asNobody(['scan', path.join(root, 'locked'), '--json']);
      assert.equal(scan.status, 1, scan.stderr);
      assert.match(scan.stderr, /note: cannot read \S*locked\/only\.py/);
      assert.deepEqual(JSON.parse(scan.stdout).usages, []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
