import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const script = path.resolve(__dirname, '../../../scripts/codeServer.mjs');

describe('code-server install prerequisites (what the first npm start needs)', () => {
  let dir: string;
  let bin: string;
  beforeEach(() => {
    // A repository of its own, so no complete install in .cache short-cuts the checks.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-code-server-'));
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.copyFileSync(script, path.join(dir, 'scripts', 'codeServer.mjs'));
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const tool of [process.execPath, '/bin/sh']) fs.symlinkSync(tool, path.join(bin, path.basename(tool)));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** `node scripts/codeServer.mjs install` with only `bin` on PATH. */
  function install(): { status: number | null; stderr: string } {
    return spawnSync(process.execPath, [path.join(dir, 'scripts', 'codeServer.mjs'), 'install'], { encoding: 'utf8', env: { PATH: bin, HOME: dir } });
  }

  it('says in one line to install ripgrep when rg is missing, and exits 1', () => {
    const r = install();
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, 'installing code-server needs ripgrep (rg), which is not on PATH: install it (apt-get install ripgrep, or brew install ripgrep) and run this again.\n');
  });

  it('names the build tools that are missing before downloading anything', () => {
    fs.writeFileSync(path.join(bin, 'rg'), '#!/bin/sh\n', { mode: 0o755 });
    const r = install();
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^installing code-server builds its native modules with make, a C\+\+ compiler, python3 and \(on Linux\) the Kerberos headers; missing: make, a C\+\+ compiler, python3(, the Kerberos headers \(krb5-config\))?\. Install them \(apt-get install build-essential python3 libkrb5-dev/);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.ok(!fs.existsSync(path.join(dir, '.cache')), 'nothing was downloaded');
  });
});
