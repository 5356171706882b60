// Decode+verify and encode of 100,000 real Django-encoded sessions (about 30% compressed):
// our codec against Django 3.2's own SessionStore().decode()/encode() loops on the same data,
// in the same run, rounds interleaved. Each round of either side is a fresh process that warms
// up untimed, then times decode and encode: a process's speed on this shared VM varies by up to
// 1.5x from one process to the next, so one long-lived process would be a single draw against
// Django's several. Prints sessions/s (best and median round), the ratios and peak memory.
// Our rounds run on this Node (the CLI's) and on the pinned Node 22 (scripts/ensureNode22.mjs),
// the runtime VS Code ≥ 1.101 runs the language server on.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSessionData, encodeSessionData, type PyDict } from '../engine/src/codec';
import { pinnedNode22, runsOnNode22 } from './node22';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'python', 'codec_bench.py');
const COUNT = Number(process.env.DJS_BENCH_SESSIONS ?? 100_000);
/** Interleaved rounds per side; best and median are both reported, since the machine may be shared. */
const ROUNDS = Number(process.env.DJS_BENCH_ROUNDS ?? 7);
/**
 * Untimed passes over all the data before timing, as Python's one warm-up decode leaves out its
 * imports: V8 tiers hot code up over the first hundred thousand calls or so, and a round's
 * figures should be the steady state, not the JIT's climb to it.
 */
const WARM_UP_PASSES = 2;
const WARM_UP_SLICE = 10_000;
const SECRET = 'bench-secret-key-'.padEnd(50, 'k');
const TARGET_RATIO = 3;
const ROUND_FLAG = '--round';

/** One timed round of either side, as its process prints it. */
interface Round {
  decode_seconds: number;
  encode_seconds: number;
  max_rss_kb: number;
}

interface DjangoRound extends Round {
  django: string;
  python: string;
}

interface OurRound extends Round {
  keys: number;
  same_length: number;
}

function python<T>(args: string[]): T {
  const run = spawnSync(PYTHON, [SCRIPT, ...args, SECRET], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`codec_bench.py ${args[0]} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

function ours(node: string, file: string): OurRound {
  const run = spawnSync(node, [...process.execArgv, __filename, ROUND_FLAG, file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`our round failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as OurRound;
}

function seconds(loop: () => void): number {
  const start = process.hrtime.bigint();
  loop();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Our side of one round, in this process: warm up, then decode every line, then encode the dicts. */
function ourRound(file: string): void {
  const encoded = fs.readFileSync(file, 'ascii').split('\n');
  const opts = { secretKeys: [SECRET], requireValidSignature: true };
  const now = Date.now() / 1000;
  // A slice at a time, so the warm-up's garbage does not raise the peak memory reported.
  for (let pass = 0; pass < WARM_UP_PASSES; pass++) {
    for (let at = 0; at < encoded.length; at += WARM_UP_SLICE) {
      for (const s of encoded.slice(at, at + WARM_UP_SLICE)) encodeSessionData(decodeSessionData(s, opts).data, { secretKeys: [SECRET], nowSeconds: now });
    }
  }
  let decoded: PyDict[] = [];
  global.gc?.();
  let keys = 0;
  const decodeSeconds = seconds(() => {
    for (let i = 0; i < encoded.length; i++) keys += decodeSessionData(encoded[i], opts).data.size;
  });
  // As on Django's side, the decoded dicts exist only while encode is timed.
  decoded = encoded.map((s) => decodeSessionData(s, opts).data);
  global.gc?.();
  let sameLength = 0;
  const encodeSeconds = seconds(() => {
    for (let i = 0; i < decoded.length; i++) {
      if (encodeSessionData(decoded[i], { secretKeys: [SECRET], nowSeconds: now }).length === encoded[i].length) sameLength++;
    }
  });
  const round: OurRound = { decode_seconds: decodeSeconds, encode_seconds: encodeSeconds, max_rss_kb: process.resourceUsage().maxRSS, keys, same_length: sameLength };
  process.stdout.write(JSON.stringify(round));
}

/** This Node, and the pinned Node 22 when this one is another. */
function ourRuntimes(): { node: string; label: string }[] {
  const runtimes = [{ node: process.execPath, label: `Node ${process.versions.node} (this runtime, the CLI's)` }];
  if (!runsOnNode22()) {
    const node = pinnedNode22();
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    runtimes.push({ node, label: `Node ${version.slice(1)} (VS Code's language-server runtime)` });
  }
  return runtimes;
}

function best(rounds: number[]): number {
  return Math.min(...rounds);
}

function median(rounds: number[]): number {
  const sorted = [...rounds].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function rate(n: number, s: number): string {
  return `${Math.round(n / s).toLocaleString('en-US')} sessions/s`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function main(): void {
  if (spawnSync(PYTHON, ['-c', 'import django'], { stdio: 'ignore' }).status !== 0) {
    console.log(`SKIPPED codec bench: ${PYTHON} cannot import django (install Debian's python3-django)`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-codec-bench-'));
  try {
    const file = path.join(dir, 'sessions.txt');
    const made = python<{ count: number; compressed: number }>(['generate', String(COUNT), file]);
    const n = made.count;
    const runtimes = ourRuntimes();
    let keys = 0;
    let sameLength = 0;
    const mine = runtimes.map(() => ({ decode: [] as number[], encode: [] as number[], rss: 0 }));
    const django = { decode: [] as number[], encode: [] as number[], rss: 0, version: '', python: '' };
    for (let round = 0; round < ROUNDS; round++) {
      const theirs = python<DjangoRound>(['time', file]);
      django.decode.push(theirs.decode_seconds);
      django.encode.push(theirs.encode_seconds);
      django.rss = Math.max(django.rss, theirs.max_rss_kb * 1024);
      django.version = theirs.django;
      django.python = theirs.python;
      runtimes.forEach((runtime, r) => {
        const ourFigures = ours(runtime.node, file);
        mine[r].decode.push(ourFigures.decode_seconds);
        mine[r].encode.push(ourFigures.encode_seconds);
        mine[r].rss = Math.max(mine[r].rss, ourFigures.max_rss_kb * 1024);
        keys = ourFigures.keys;
        sameLength = ourFigures.same_length;
      });
    }
    console.log(`${ROUNDS} interleaved rounds per side, each a fresh process (best | median); ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
    console.log(`${n} sessions (${keys} keys) from Django ${django.version} (Python ${django.python}), ${made.compressed} compressed (${((100 * made.compressed) / made.count).toFixed(1)}%)`);
    let ok = true;
    runtimes.forEach((runtime, r) => {
      console.log(`ours on ${runtime.label}:`);
      for (const op of ['decode', 'encode'] as const) {
        const label = op === 'decode' ? 'decode+verify' : 'encode';
        const ratio = { best: best(django[op]) / best(mine[r][op]), median: median(django[op]) / median(mine[r][op]) };
        ok &&= ratio.median >= TARGET_RATIO;
        const oursText = `${rate(n, best(mine[r][op]))} | ${rate(n, median(mine[r][op]))}`;
        const theirsText = `${rate(n, best(django[op]))} | ${rate(n, median(django[op]))}`;
        console.log(`  ${label.padEnd(14)} ours ${oursText}   Django ${theirsText}   ratio ${ratio.best.toFixed(2)}x | ${ratio.median.toFixed(2)}x`);
      }
      console.log(`  peak RSS       ours ${mib(mine[r].rss)}   Django ${mib(django.rss)}   (each with the inputs and ${n.toLocaleString('en-US')} decoded dicts held)`);
    });
    console.log(`re-encoded length equals Django's for ${sameLength} of ${n} (timestamps differ, so the bytes do too)`);
    console.log(ok ? `target met: both at least ${TARGET_RATIO}x Django on every runtime (median rounds)` : `TARGET MISSED: want at least ${TARGET_RATIO}x Django for decode and for encode on every runtime (median rounds)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === ROUND_FLAG) ourRound(process.argv[3]);
else main();
