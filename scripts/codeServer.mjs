// Installs and starts code-server (VS Code 1.100.3 served to a browser), the real VS Code that
// the integration and e2e tests use on machines that cannot download VS Code itself.
// See ../../shared/notes/real-vscode.md for why the install is done by hand.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VERSION = '4.100.3';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const installDir = path.join(repoRoot, '.cache', 'code-server', VERSION);
// Present only in a complete install: each install runs in a staging dir of its own and is
// renamed into place after its last step, so neither an interrupted install nor two at once
// leave a half-built one where start() looks.
const marker = path.join(installDir, '.complete');
export const binary = path.join(installDir, 'node_modules', '.bin', 'code-server');

const STEP_TIMEOUT_MS = 15 * 60_000;

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false' },
    timeout: STEP_TIMEOUT_MS,
  });
  if (r.status !== 0) {
    throw new Error(`code-server install: \`${cmd} ${args.join(' ')}\` in ${cwd} failed (${r.error?.message ?? `exit ${r.status}, signal ${r.signal}`})`);
  }
}

function which(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
}

const STAGING = '.partial-';

function removeAbandonedStagingDirs() {
  const parent = path.dirname(installDir);
  if (!fs.existsSync(parent)) return;
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(`${VERSION}${STAGING}`)) continue;
    const pid = Number(name.slice(`${VERSION}${STAGING}`.length));
    if (!isAlive(pid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * What the install needs from the machine before it downloads anything: ripgrep, which it copies
 * in place of the one code-server's postinstall would download, and the toolchain node-gyp builds
 * the native modules with. Throws one line naming what to install.
 */
function checkPrerequisites() {
  if (!which('rg')) {
    throw new Error('installing code-server needs ripgrep (rg), which is not on PATH: install it (apt-get install ripgrep, or brew install ripgrep) and run this again.');
  }
  const missing = [
    which('make') ? '' : 'make',
    process.env.CXX || ['c++', 'g++', 'clang++'].some(which) ? '' : 'a C++ compiler',
    process.env.PYTHON || which('python3') ? '' : 'python3',
    // kerberos has no prebuilt binary that can be fetched from the npm registry, so it is built against MIT Kerberos.
    process.platform !== 'linux' || which('krb5-config') ? '' : 'the Kerberos headers (krb5-config)',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(`installing code-server builds its native modules with make, a C++ compiler, python3 and (on Linux) the Kerberos headers; missing: ${missing.join(', ')}. Install them (apt-get install build-essential python3 libkrb5-dev, or xcode-select --install) and run this again.`);
  }
}

/** Installs code-server into .cache/code-server/<version> unless a complete install is there. */
export function install({ log = (m) => console.error(m) } = {}) {
  if (fs.existsSync(marker) && fs.existsSync(binary)) return binary;
  checkPrerequisites();
  const rg = which('rg');
  const started = Date.now();
  log(`installing code-server ${VERSION} into ${path.relative(repoRoot, installDir)} (takes a few minutes once)`);
  removeAbandonedStagingDirs();
  const dir = `${installDir}${STAGING}${process.pid}`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // A package.json of our own stops npm from climbing up and installing into the repo.
  fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
  run('npm', ['install', '--no-save', '--ignore-scripts', `code-server@${VERSION}`], dir);

  // Its postinstall, done by hand: as root it refuses to run, and it downloads ripgrep.
  const vscodeDir = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], vscodeDir);
  const rgBin = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(rgBin, { recursive: true });
  fs.copyFileSync(rg, path.join(rgBin, 'rg'));
  fs.chmodSync(path.join(rgBin, 'rg'), 0o755);
  run('npm', ['rebuild'], vscodeDir); // native modules: node-pty, spdlog, watcher, kerberos
  fs.symlinkSync('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  fs.symlinkSync('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  fs.symlinkSync('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], path.join(vscodeDir, 'extensions'));
  run('npm', ['rebuild', 'argon2'], dir);

  fs.writeFileSync(path.join(dir, path.basename(marker)), `${new Date().toISOString()}\n`);
  if (fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true }); // another install finished first
  } else {
    fs.rmSync(installDir, { recursive: true, force: true }); // an incomplete one, from before staging dirs
    fs.renameSync(dir, installDir);
  }
  log(`code-server ${VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return binary;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts code-server on a free loopback port with a fresh user-data and extensions dir under a
 * temp dir (removed by stop()). `vsix` is installed into that extensions dir first. `env` reaches
 * the extension host too: code-server forks it with its own environment. `exited` settles when
 * the server process ends; `extensionsDir` is where the vsix was installed. With `trust: false`
 * VS Code asks whether to trust the workspace, as it does a user opening a folder the first time.
 */
export async function start({ workspace, vsix, env = {}, trust = true, log = (m) => console.error(m) } = {}) {
  install({ log });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-code-server-'));
  const extensionsDir = path.join(dir, 'extensions');
  const config = path.join(dir, 'config.yaml');
  // An explicit (empty) config keeps code-server from writing one into ~/.config.
  fs.writeFileSync(config, '');
  // No welcome page and no prompt about the repo around demo/: they cover screenshots and the demo.
  const userDir = path.join(dir, 'user-data', 'User');
  fs.mkdirSync(userDir, { recursive: true });
  // Auto save off, as desktop VS Code has it: VS Code for the web saves every edit after a second,
  // which wrote an integration test's half-typed line into demo/shop/views.py, where later suites
  // (and the next run) found it, and took a demo user's half-typed line as saved text.
  const settings = { 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'git.openRepositoryInParentFolders': 'never', 'files.autoSave': 'off' };
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings));
  const common = ['--config', config, '--user-data-dir', path.join(dir, 'user-data'), '--extensions-dir', extensionsDir];
  if (vsix) {
    const r = spawnSync(binary, [...common, '--install-extension', vsix], { encoding: 'utf8', timeout: READY_TIMEOUT_MS });
    if (r.status !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`code-server --install-extension ${vsix} failed:\n${r.stdout}${r.stderr}`);
    }
  }
  const args = [
    ...common,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0', // code-server picks a free port and logs it
    '--disable-telemetry', '--disable-update-check',
    ...(trust ? ['--disable-workspace-trust'] : []),
    ...(workspace ? [workspace] : []),
  ];
  // Its own process group, so stop() also ends the extension host and the language server.
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // The group is detached from our terminal, so Ctrl-C never reaches it: end it ourselves on
  // any way out of this process.
  const onExit = () => {
    killGroup('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal) => process.exit(128 + os.constants.signals[signal]);
  process.on('exit', onExit);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, onSignal);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    killGroup('SIGKILL'); // stragglers in the group that outlived the server process
    process.off('exit', onExit);
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, onSignal);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server not listening after ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      const onData = (chunk) => {
        output += chunk;
        const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited early (${code ?? signal})`));
      });
    });
    await waitForHttp(url);
    return { url, port: Number(new URL(url).port), stop, exited, output: () => output, extensionsDir };
  } catch (err) {
    await stop();
    throw new Error(`${err.message}\n--- code-server output ---\n${output}`);
  }
}

async function waitForHttp(url) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      if (res.status < 500) return;
    } catch {
      // not accepting yet
    }
    if (Date.now() > deadline) throw new Error(`code-server at ${url} did not answer HTTP within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The workbench URL for `folder`, or for the multi-root `workspace` (a .code-workspace file);
 * `payload` is VS Code's list of [name, value] launch options.
 */
export function workbenchUrl(server, { folder, workspace, payload } = {}) {
  const url = new URL(server.url);
  if (folder) url.searchParams.set('folder', folder);
  if (workspace) url.searchParams.set('workspace', workspace);
  if (payload) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** A vscode-remote URI for a path on the code-server machine, as the workbench payload wants. */
export function remoteUri(server, fsPath) {
  return `vscode-remote://127.0.0.1:${server.port}${fsPath}`;
}

/** Headless Chromium for driving the workbench (Debian's, which ensureSystem installs). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.DJS_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: READY_TIMEOUT_MS,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command] = process.argv.slice(2);
  if (command !== 'install') {
    console.error('usage: node scripts/codeServer.mjs install');
    process.exit(2);
  }
  try {
    console.log(install());
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
