// Decode+verify and encode of 100,000 real Django-encoded sessions (about 30% compressed):
// our codec against Django 3.2's own SessionStore().decode()/encode() loops on the same data,
// in the same run, rounds interleaved. Prints sessions/s (best and median round), the ratios
// and peak memory of each side.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSessionData, encodeSessionData, type PyDict } from '../engine/src/codec';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'python', 'codec_bench.py');
const COUNT = Number(process.env.DJS_BENCH_SESSIONS ?? 100_000);
/** Interleaved rounds per side; best and median are both reported, since the machine may be shared. */
const ROUNDS = Number(process.env.DJS_BENCH_ROUNDS ?? 5);
/** Sessions decoded and encoded before timing, so JIT warm-up is left out as Python's one warm-up decode leaves out its imports. */
const WARM_UP = 20_000;
const SECRET = 'bench-secret-key-'.padEnd(50, 'k');
const TARGET_RATIO = 3;

interface DjangoRound {
  decode_seconds: number;
  encode_seconds: number;
  max_rss_kb: number;
  django: string;
  python: string;
}

function python<T>(args: string[]): T {
  const run = spawnSync(PYTHON, [SCRIPT, ...args, SECRET], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`codec_bench.py ${args[0]} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

function seconds(loop: () => void): number {
  const start = process.hrtime.bigint();
  loop();
  return Number(process.hrtime.bigint() - start) / 1e9;
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
    const encoded = fs.readFileSync(file, 'ascii').split('\n');
    const opts = { secretKeys: [SECRET], requireValidSignature: true };
    const now = Date.now() / 1000;
    let keys = 0;
    let sameLength = 0;

    const ours = { decode: [] as number[], encode: [] as number[] };
    const django = { decode: [] as number[], encode: [] as number[], rss: 0, version: '', python: '' };
    // As on Django's side, the decoded dicts exist only while encode is timed.
    let decoded: PyDict[] = encoded.slice(0, WARM_UP).map((s) => decodeSessionData(s, opts).data);
    for (const d of decoded) encodeSessionData(d, { secretKeys: [SECRET], nowSeconds: now });
    decoded = [];
    for (let round = 0; round < ROUNDS; round++) {
      const theirs = python<DjangoRound>(['time', file]);
      django.decode.push(theirs.decode_seconds);
      django.encode.push(theirs.encode_seconds);
      django.rss = Math.max(django.rss, theirs.max_rss_kb * 1024);
      django.version = theirs.django;
      django.python = theirs.python;
      global.gc?.();
      ours.decode.push(
        seconds(() => {
          keys = 0;
          for (let i = 0; i < encoded.length; i++) keys += decodeSessionData(encoded[i], opts).data.size;
        }),
      );
      decoded = encoded.map((s) => decodeSessionData(s, opts).data);
      global.gc?.();
      ours.encode.push(
        seconds(() => {
          sameLength = 0;
          for (let i = 0; i < decoded.length; i++) {
            if (encodeSessionData(decoded[i], { secretKeys: [SECRET], nowSeconds: now }).length === encoded[i].length) sameLength++;
          }
        }),
      );
      decoded = [];
    }
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const n = encoded.length;
    const ratios = {
      decode: { best: best(django.decode) / best(ours.decode), median: median(django.decode) / median(ours.decode) },
      encode: { best: best(django.encode) / best(ours.encode), median: median(django.encode) / median(ours.encode) },
    };
    console.log(`${ROUNDS} interleaved rounds per side (best | median); ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
    console.log(`${n} sessions (${keys} keys) from Django ${django.version} (Python ${django.python}), ${made.compressed} compressed (${((100 * made.compressed) / made.count).toFixed(1)}%)`);
    for (const op of ['decode', 'encode'] as const) {
      const label = op === 'decode' ? 'decode+verify' : 'encode';
      const oursText = `${rate(n, best(ours[op]))} | ${rate(n, median(ours[op]))}`;
      const theirsText = `${rate(n, best(django[op]))} | ${rate(n, median(django[op]))}`;
      console.log(`${label.padEnd(14)} ours ${oursText}   Django ${theirsText}   ratio ${ratios[op].best.toFixed(2)}x | ${ratios[op].median.toFixed(2)}x`);
    }
    console.log(`peak RSS       ours ${mib(peakRss)}   Django ${mib(django.rss)}   (each with the inputs and 100,000 decoded dicts held)`);
    console.log(`re-encoded length equals Django's for ${sameLength} of ${n} (timestamps differ, so the bytes do too)`);
    const ok = ratios.decode.median >= TARGET_RATIO && ratios.encode.median >= TARGET_RATIO;
    console.log(ok ? `target met: both at least ${TARGET_RATIO}x Django (median rounds)` : `TARGET MISSED: want at least ${TARGET_RATIO}x Django for decode and for encode (median rounds)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
