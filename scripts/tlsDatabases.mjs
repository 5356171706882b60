// Starts the TLS-only PostgreSQL and MariaDB servers the TLS interop tests connect to, creating
// them on first use: a PostgreSQL cluster `djstls` on 127.0.0.1:5433 and a MariaDB server on
// 127.0.0.1:3307, both refusing unencrypted connections, with certificates from a throwaway test
// CA. Idempotent; the machine's own servers on 5432 and 3306 are not touched. Needs root (the
// tests skip loudly without it, as with any missing service).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the test CA, the certificates and the MariaDB data live; tests read the CA from here. */
const TLS_DIR = '/var/lib/django-sessions-tls';
const PG_TLS_PORT = 5433;
const MARIADB_TLS_PORT = 3307;
const CLUSTER = 'djstls';
const MARIADB_DIR = path.join(TLS_DIR, 'mariadb');
// The server runs as mysql, so its socket and log live in its own directory.
const MARIADB_SOCKET = path.join(MARIADB_DIR, 'mariadb.sock');
const MARIADB_LOG = path.join(MARIADB_DIR, 'error.log');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  }
  return r.stdout;
}

function openssl(...args) {
  run('openssl', args, { cwd: TLS_DIR });
}

/** A CA, a server certificate for the name localhost only (so connecting to 127.0.0.1 is a name mismatch) signed by it, a client certificate for user root, and an unrelated CA. */
function certificates() {
  fs.mkdirSync(TLS_DIR, { recursive: true, mode: 0o755 });
  if (fs.existsSync(path.join(TLS_DIR, 'client.crt'))) {
    return;
  }
  const days = '3650';
  for (const ca of ['ca', 'other-ca']) {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', days, '-subj', `/CN=django-sessions test ${ca}`, '-keyout', `${ca}.key`, '-out', `${ca}.crt`);
  }
  const sign = (name, subject, extensions) => {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    fs.writeFileSync(path.join(TLS_DIR, `${name}.ext`), extensions);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', days, '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  };
  sign('server', '/CN=localhost', 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  sign('client', '/CN=root', 'extendedKeyUsage=clientAuth\n');
  for (const file of fs.readdirSync(TLS_DIR)) {
    if (file.endsWith('.key')) {
      fs.chmodSync(path.join(TLS_DIR, file), 0o644);
    }
  }
}

/** Copies the server's key pair where a server running as `user` may read it and no one else may. */
function serverKeyPair(dir, user) {
  for (const file of ['server.crt', 'server.key', 'ca.crt']) {
    fs.copyFileSync(path.join(TLS_DIR, file), path.join(dir, file));
    fs.chmodSync(path.join(dir, file), 0o600);
  }
  run('chown', [`${user}:${user}`, ...['server.crt', 'server.key', 'ca.crt'].map((f) => path.join(dir, f))]);
}

function postgres() {
  const version = fs.readdirSync('/etc/postgresql').sort().at(-1);
  const confDir = `/etc/postgresql/${version}/${CLUSTER}`;
  if (!fs.existsSync(confDir)) {
    run('pg_createcluster', [version, CLUSTER, '--port', String(PG_TLS_PORT)]);
    serverKeyPair(confDir, 'postgres');
    fs.appendFileSync(
      path.join(confDir, 'postgresql.conf'),
      `\nlisten_addresses = '127.0.0.1'\nssl = on\nssl_cert_file = '${confDir}/server.crt'\nssl_key_file = '${confDir}/server.key'\nssl_ca_file = '${confDir}/ca.crt'\n`,
    );
    // Plain TCP is refused, so a client that silently fell back to it would fail; one database needs a client certificate.
    fs.writeFileSync(
      path.join(confDir, 'pg_hba.conf'),
      'local all all trust\nhostssl djs_clientcert all 127.0.0.1/32 trust clientcert=verify-full\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n',
    );
  }
  const status = spawnSync('pg_ctlcluster', [version, CLUSTER, 'status']);
  if (status.status !== 0) {
    run('pg_ctlcluster', ['--skip-systemctl-redirect', version, CLUSTER, 'start']);
  }
  const psql = (sql) => run('runuser', ['-u', 'postgres', '--', 'psql', '-p', String(PG_TLS_PORT), '-Atc', sql]);
  if (psql("SELECT count(*) FROM pg_roles WHERE rolname = 'root'").trim() === '0') {
    psql('CREATE ROLE root SUPERUSER LOGIN');
  }
  if (psql("SELECT count(*) FROM pg_database WHERE datname = 'djs_clientcert'").trim() === '0') {
    psql('CREATE DATABASE djs_clientcert');
  }
}

function mariadbRunning() {
  return spawnSync('mariadb-admin', ['--socket', MARIADB_SOCKET, '-uroot', 'ping'], { stdio: 'ignore' }).status === 0;
}

function mariadb() {
  if (!fs.existsSync(path.join(MARIADB_DIR, 'mysql'))) {
    fs.mkdirSync(MARIADB_DIR, { recursive: true });
    run('chown', ['mysql:mysql', MARIADB_DIR]);
    run('mariadb-install-db', ['--user=mysql', `--datadir=${MARIADB_DIR}`, '--skip-test-db', '--auth-root-authentication-method=socket']);
    serverKeyPair(MARIADB_DIR, 'mysql');
  }
  if (!mariadbRunning()) {
    run('start-stop-daemon', [
      '--start', '--background', '--pidfile', path.join(TLS_DIR, 'mariadb.pid'), '--make-pidfile',
      '--exec', '/usr/sbin/mariadbd', '--',
      '--user=mysql', `--datadir=${MARIADB_DIR}`, `--socket=${MARIADB_SOCKET}`, `--port=${MARIADB_TLS_PORT}`, '--bind-address=127.0.0.1',
      `--ssl-ca=${MARIADB_DIR}/ca.crt`, `--ssl-cert=${MARIADB_DIR}/server.crt`, `--ssl-key=${MARIADB_DIR}/server.key`,
      '--require-secure-transport=ON', `--log-error=${MARIADB_LOG}`,
    ]);
    const deadline = Date.now() + 30_000;
    while (!mariadbRunning()) {
      if (Date.now() > deadline) {
        throw new Error(`MariaDB did not start on port ${MARIADB_TLS_PORT}; see ${MARIADB_LOG}`);
      }
      spawnSync('sleep', ['0.2']);
    }
  }
  run('mariadb', ['--socket', MARIADB_SOCKET, '-uroot', '-e',
    "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;" +
    "CREATE USER IF NOT EXISTS 'certuser'@'127.0.0.1' REQUIRE SUBJECT '/CN=root'; GRANT ALL ON *.* TO 'certuser'@'127.0.0.1';"]);
}

certificates();
postgres();
mariadb();
console.log(`tlsDatabases: PostgreSQL on 127.0.0.1:${PG_TLS_PORT} and MariaDB on 127.0.0.1:${MARIADB_TLS_PORT}, TLS only, CA ${TLS_DIR}/ca.crt`);
