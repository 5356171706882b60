// Installs the Debian packages the tests need, if any are missing, so that `npm test` works on a
// fresh machine. Where it cannot install (not root, no apt), it says so once and carries on:
// the tests that need a missing part skip loudly, unless DJS_REQUIRE_SERVICES=1 makes that fatal.
import { spawnSync } from 'node:child_process';

const PACKAGES = [
  'chromium', // the browser that drives code-server
  'libkrb5-dev', // code-server's native kerberos module builds against it
  'ripgrep', // code-server's search, copied in place of a download
  'python3-django',
  'python3-django-redis',
  'python3-pymemcache',
  'python3-psycopg2',
  'python3-mysqldb',
  'python3-redis',
  'python3-django-environ', // settings read as Django reads them (test/interop/settingsFlow.test.ts)
  'python3-django-split-settings',
  'python3-dotenv', // manage.py files that call load_dotenv() (test/interop/managePySettingsModule.test.ts)
  'sqlite3',
  'memcached',
  'openssl', // the throwaway CA of the TLS database tests (scripts/tlsDatabases.mjs)
];
const APT_TIMEOUT_MS = 20 * 60_000;
const required = process.env.DJS_REQUIRE_SERVICES === '1';

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function apt(args) {
  const r = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: APT_TIMEOUT_MS,
  });
  if (r.status !== 0) {
    console.error(`ensureSystem: apt-get ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
    process.exit(1);
  }
}

if (!has('apt-get') || !has('dpkg-query')) {
  console.error(`!!! ensureSystem: no apt here; install these yourself for the full test run: ${PACKAGES.join(' ')}`);
  process.exit(required ? 1 : 0);
}
const missing = PACKAGES.filter((p) => !installed(p));
if (missing.length === 0) {
  console.log(`ensureSystem: all ${PACKAGES.length} Debian packages present`);
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  console.error(`!!! ensureSystem: not root, cannot install missing Debian packages: ${missing.join(' ')} (run: sudo apt-get install -y ${missing.join(' ')})`);
  process.exit(required ? 1 : 0);
}
console.log(`ensureSystem: installing ${missing.join(' ')}`);
// Without a fresh index a new machine finds nothing to install.
apt(['update']);
apt(['install', '-y', ...missing]);
const stillMissing = missing.filter((p) => !installed(p));
if (stillMissing.length > 0) {
  console.error(`ensureSystem: still missing after apt-get install: ${stillMissing.join(' ')}`);
  process.exit(1);
}
