// The stores benchmark (issue 4): a 1,000,000-session SQLite database and PostgreSQL table with
// real Django-encoded data, about half expired. Each figure is a ratio against a peer measured in
// the same run; each side runs in its own process so peak memory is its own.
//   - first page (100 decoded) through the engine on node:sqlite vs the raw node:sqlite query
//   - the same page vs Django's ORM fetching and decoding it
//   - sql.js open + first page vs fs.readFile of the same file (the floor for a snapshot driver)
//   - clearExpired (node:sqlite) vs Django's clearsessions, each on its own copy
//   - PostgreSQL count + first page vs Django's ORM doing the same, with the table unchanged since
//     the last count (the engine reuses an exact count while the snapshot is the same) and just
//     after another connection committed (the engine counts again)
// node:sqlite runs in the pinned Node 22 runtime (scripts/ensureNode22.mjs) when this Node lacks it.
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSessionData, openStore, parseStoreUrl, type SessionStore, type SqliteDriverChoice } from '../engine/src';
import { pinnedNode22 } from './node22';

const PYTHON = '/usr/bin/python3';
const COUNT = Number(process.env.DJS_BENCH_STORE_SESSIONS ?? 1_000_000);
const SECRET = 'bench-stores-secret-key-'.padEnd(50, 'k');
const SESSION_SALT = 'django.contrib.sessions.SessionStore';
const PAGE_RUNS = 100;
const WARMUP_RUNS = 100;
const repo = path.resolve(__dirname, '..');

interface Timing {
  median_ms: number;
  max_rss_kb: number;
  peer_ms?: number;
  /** node:sqlite page: the codec alone decoding the page's 100 rows. */
  decode_ms?: number;
  /** node:sqlite page: node:crypto's native HMAC-SHA256 checking the 100 rows' signatures, nothing else. */
  verify_ms?: number;
  /** PostgreSQL: count + page when another transaction committed since the last count. */
  after_commit_ms?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function descriptor(url: string) {
  return parseStoreUrl(url, '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** The measurements that must run inside one process: prints one JSON Timing. */
async function worker(mode: string, target: string): Promise<void> {
  let result: Timing;
  if (mode === 'engine-page') {
    const store = await openStore(descriptor(`sqlite://${target}`), { sqliteDriver: 'node' });
    const page = async () => {
      const p = await store.list({ limit: 100 });
      if (p.sessions.length !== 100 || !p.sessions.every((s) => s.decoded.ok)) throw new Error('bad page');
    };
    const sqlite = process.getBuiltinModule('node:sqlite') as { DatabaseSync: new (f: string) => { prepare(s: string): { all(...p: unknown[]): unknown[] }; close(): void } };
    const raw = new sqlite.DatabaseSync(target);
    // The engine's own first-page SQL (column aliases aside), LIMIT 101 included: the engine reads
    // one row past the page to know whether there is a next one. Same plan, same rows.
    const stmt = raw.prepare('SELECT session_key, session_data, expire_date FROM django_session ORDER BY expire_date DESC, session_key DESC LIMIT ?');
    const rawPage = async () => stmt.all(101);
    // The codec alone on the same 100 rows: how much of the page is decoding.
    const rows = (stmt.all(101) as { session_data: string }[]).slice(0, 100);
    const decodeOnly = async () => rows.forEach((r) => decodeSessionData(r.session_data, { secretKeys: [SECRET] }));
    // The least any engine that shows the signature state must do beyond the query: one HMAC
    // per row (Django's salted_hmac key, derived once), by the platform's native code.
    const signerKey = createHash('sha256').update(`${SESSION_SALT}signer${SECRET}`).digest();
    const signed = rows.map((r) => {
      const cut = r.session_data.lastIndexOf(':');
      return { value: r.session_data.slice(0, cut), signature: r.session_data.slice(cut + 1) };
    });
    const verifyOnly = async () => {
      for (const { value, signature } of signed) {
        if (createHmac('sha256', signerKey).update(value).digest('base64url') !== signature) throw new Error('signature check failed');
      }
    };
    const ours: number[] = [];
    const peer: number[] = [];
    const decoding: number[] = [];
    const verifying: number[] = [];
    for (let i = 0; i < PAGE_RUNS + WARMUP_RUNS; i++) {
      const a = await timed(page);
      const b = await timed(rawPage);
      const c = await timed(decodeOnly);
      const d = await timed(verifyOnly);
      if (i >= WARMUP_RUNS) {
        ours.push(a);
        peer.push(b);
        decoding.push(c);
        verifying.push(d);
      }
    }
    raw.close();
    await store.close();
    result = { median_ms: median(ours), peer_ms: median(peer), decode_ms: median(decoding), verify_ms: median(verifying), max_rss_kb: process.resourceUsage().maxRSS };
  } else if (mode === 'sqljs-open') {
    const runs: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < 4; i++) {
      reads.push(await timed(async () => fs.readFileSync(target)));
      runs.push(
        await timed(async () => {
          const store: SessionStore = await openStore(descriptor(`sqlite://${target}`), { sqliteDriver: 'sqljs' as SqliteDriverChoice });
          const p = await store.list({ limit: 100 });
          if (p.sessions.length !== 100) throw new Error('bad page');
          await store.close();
        }),
      );
    }
    result = { median_ms: median(runs.slice(1)), peer_ms: median(reads.slice(1)), max_rss_kb: process.resourceUsage().maxRSS };
  } else if (mode === 'clear') {
    const store = await openStore(descriptor(`sqlite://${target}`), { sqliteDriver: 'node' });
    let deleted = 0;
    const ms = await timed(async () => (deleted = await store.clearExpired()));
    await store.close();
    if (deleted < COUNT / 4) throw new Error(`only ${deleted} deleted`);
    result = { median_ms: ms, max_rss_kb: process.resourceUsage().maxRSS };
  } else if (mode === 'pg-page') {
    const store = await openStore(descriptor(`postgres://root@127.0.0.1:5432/${target}`));
    // Another connection's transaction changes the snapshot, so the next count cannot reuse the last one.
    const { Client } = await import('pg');
    const other = new Client({ host: '127.0.0.1', user: 'root', database: target });
    await other.connect();
    const countAndPage = async () => {
      await store.count();
      const p = await store.list({ limit: 100 });
      if (p.sessions.length !== 100 || !p.sessions.every((s) => s.decoded.ok)) throw new Error('bad page');
    };
    const unchanged: number[] = [];
    const changed: number[] = [];
    for (let i = 0; i < PAGE_RUNS + 3; i++) {
      const a = await timed(countAndPage);
      await other.query('SELECT txid_current()');
      const b = await timed(countAndPage);
      if (i >= 3) {
        unchanged.push(a);
        changed.push(b);
      }
    }
    await other.end();
    await store.close();
    result = { median_ms: median(unchanged), after_commit_ms: median(changed), max_rss_kb: process.resourceUsage().maxRSS };
  } else {
    throw new Error(`unknown worker mode ${mode}`);
  }
  process.stdout.write(JSON.stringify(result));
}

function run(cmd: string, args: string[]): Timing {
  const r = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${path.basename(args[0] ?? cmd)} ${args.slice(1, 3).join(' ')} failed: ${r.stderr}`);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Timing;
}

function nodeWorker(node: string, mode: string, target: string): Timing {
  return run(node, ['--import', 'tsx', __filename, '--worker', mode, target]);
}

function python(args: string[]): Timing {
  return run(PYTHON, [path.join(__dirname, 'python', 'stores_django_bench.py'), ...args]);
}

function build(args: string[]): void {
  const r = spawnSync(PYTHON, [path.join(__dirname, 'python', 'stores_build.py'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`stores_build.py failed: ${r.stderr}`);
}

function line(what: string, ours: number, peer: number, peerName: string, target: string, ok: boolean): void {
  console.log(`${what.padEnd(38)} ours ${ours.toFixed(2).padStart(9)} ms   ${peerName.padEnd(22)} ${peer.toFixed(2).padStart(9)} ms   ratio ${(ours / peer).toFixed(2)}x  (target ${target}) ${ok ? 'met' : 'MISSED'}`);
}

const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  if (spawnSync(PYTHON, ['-c', 'import django'], { stdio: 'ignore' }).status !== 0) {
    console.log(`SKIPPED stores bench: ${PYTHON} cannot import django (install Debian's python3-django)`);
    return;
  }
  const node22 = pinnedNode22();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-stores-bench-'));
  const pgName = `djs_bench_${randomBytes(4).toString('hex')}`;
  let pgCreated = false;
  try {
    const db = path.join(dir, 'sessions.sqlite3');
    let t = Date.now();
    build(['sqlite', db, SECRET, String(COUNT)]);
    console.log(`built ${COUNT.toLocaleString('en-US')} Django-encoded sessions in SQLite (${(fs.statSync(db).size / 2 ** 20).toFixed(0)} MiB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const engine = nodeWorker(node22, 'engine-page', db);
    const django = python(['page', 'sqlite', db, SECRET, String(PAGE_RUNS)]);
    line('first page, node:sqlite (100 decoded)', engine.median_ms, engine.peer_ms!, 'raw node:sqlite query', '≤ 2x', engine.median_ms <= 2 * engine.peer_ms!);
    console.log(`  of which the codec decoding the 100 rows alone takes ${engine.decode_ms!.toFixed(3)} ms (${((engine.decode_ms! * 1000) / 100).toFixed(1)} µs a session)`);
    console.log(
      `  floor: node:crypto's native HMAC-SHA256 only checking the 100 signatures takes ${engine.verify_ms!.toFixed(3)} ms, ${(engine.verify_ms! / engine.peer_ms!).toFixed(2)}x the raw query by itself, so query + check alone is ${(1 + engine.verify_ms! / engine.peer_ms!).toFixed(2)}x`,
    );
    line('first page, node:sqlite (100 decoded)', engine.median_ms, django.median_ms, 'Django ORM + decode', '≤ 0.5x', engine.median_ms <= 0.5 * django.median_ms);
    const sqljs = nodeWorker(process.execPath, 'sqljs-open', db);
    line('sql.js open + first page', sqljs.median_ms, sqljs.peer_ms!, 'fs.readFile floor', '≤ 1.5x', sqljs.median_ms <= 1.5 * sqljs.peer_ms!);

    const ourCopy = path.join(dir, 'ours.sqlite3');
    const djangoCopy = path.join(dir, 'django.sqlite3');
    for (const copy of [ourCopy, djangoCopy]) {
      fs.copyFileSync(db, copy);
      // Flushed before timing, so neither side pays for writing back the other's copy.
      const fd = fs.openSync(copy, 'r+');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    }
    const clear = nodeWorker(node22, 'clear', ourCopy);
    const clearsessions = python(['clearsessions', 'sqlite', djangoCopy, SECRET]);
    line('clearExpired, node:sqlite', clear.median_ms, clearsessions.median_ms, 'Django clearsessions', '≤ 1x', clear.median_ms <= clearsessions.median_ms);
    console.log(`peak RSS: node:sqlite page ${mib(engine.max_rss_kb)}, node:sqlite clearExpired ${mib(clear.max_rss_kb)}, sql.js open+page ${mib(sqljs.max_rss_kb)}, Django page ${mib(django.max_rss_kb)}, Django clearsessions ${mib(clearsessions.max_rss_kb)}`);

    // Imported here, not at the top, so the measured worker processes never load the database clients.
    const { POSTGRES } = await import('../test/interop/localServices');
    if (!(await POSTGRES.ready())) {
      console.log('SKIPPED PostgreSQL part: nothing on 127.0.0.1:5432 (start PostgreSQL to measure it)');
      return;
    }
    const { Client } = await import('pg');
    const admin = new Client({ host: '127.0.0.1', user: 'root', database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pgName}`);
    pgCreated = true;
    await admin.end();
    t = Date.now();
    build(['postgresql', pgName, SECRET, String(COUNT)]);
    console.log(`built ${COUNT.toLocaleString('en-US')} sessions in PostgreSQL in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const pg = nodeWorker(process.execPath, 'pg-page', pgName);
    const pgDjango = python(['page', 'postgresql', pgName, SECRET, String(PAGE_RUNS)]);
    line('PostgreSQL count + first page', pg.median_ms, pgDjango.median_ms, 'Django ORM + decode', '≤ 0.5x', pg.median_ms <= 0.5 * pgDjango.median_ms);
    line('  the same, just after a commit', pg.after_commit_ms!, pgDjango.median_ms, 'Django ORM + decode', '≤ 0.5x', pg.after_commit_ms! <= 0.5 * pgDjango.median_ms);
    console.log(`peak RSS: pg ${mib(pg.max_rss_kb)}, Django pg ${mib(pgDjango.max_rss_kb)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    if (pgCreated) {
      const { Client } = await import('pg');
      const admin = new Client({ host: '127.0.0.1', user: 'root', database: 'postgres' });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
      await admin.end();
    }
  }
}

if (process.argv[2] === '--worker') {
  void worker(process.argv[3]!, process.argv[4]!).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  void main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
