// Cold `scan` of a generated 5,000-file Django project: our index (web-tree-sitter) against a
// CPython scanner on the standard `ast` module doing the same job on the same tree, in the same
// run (bench/python/ast_scanner.py). Each cold scan runs in a fresh process of its own. Then
// re-index after editing one file, and peak memory.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { indexDirectory, SessionKeyIndex } from '../engine/src/analysis';
import { generateLargeProject } from '../test/unit/engine/analysis/largeProject';

const PYTHON = process.env.DJS_BENCH_PYTHON ?? 'python3';
const FILES = Number(process.env.DJS_BENCH_FILES ?? 5000);
const TARGET_RATIO = 2;
const EDIT_BUDGET_MS = 20;
const EDITS = 50;
const CHILD_FLAG = '--cold-scan';

interface ScanFigures {
  usages: number;
  unresolved: number;
  seconds: number;
  cpu_seconds: number;
  max_rss_kb: number;
  /** Max RSS of the process before the scan started (Node and tsx only). */
  baseline_rss_kb?: number;
  python?: string;
}

/** The child side: one cold scan in a fresh process, figures as JSON on stdout. */
async function coldScan(root: string): Promise<void> {
  const baseline = process.resourceUsage().maxRSS;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const index = await SessionKeyIndex.create();
  await indexDirectory(index, root);
  const usages = index.usages();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const figures: ScanFigures = {
    usages: usages.length,
    unresolved: index.unresolved().length,
    seconds,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    max_rss_kb: process.resourceUsage().maxRSS,
    baseline_rss_kb: baseline,
  };
  process.stdout.write(JSON.stringify(figures));
}

function runOurs(root: string): ScanFigures {
  const run = spawnSync(process.execPath, ['--import', 'tsx', __filename, CHILD_FLAG, root], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`cold scan failed: ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as ScanFigures;
}

function runPeer(root: string, parseAll: boolean): ScanFigures {
  const py = spawnSync(PYTHON, [path.join(__dirname, 'python', 'ast_scanner.py'), root, ...(parseAll ? ['--parse-all'] : [])], { encoding: 'utf8' });
  if (py.status !== 0) {
    throw new Error(`ast_scanner.py failed: ${py.stderr}`);
  }
  return JSON.parse(py.stdout) as ScanFigures;
}

/** The faster of several runs: machine noise only ever slows a run down. */
function best(runs: ScanFigures[]): ScanFigures {
  return runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(0)} ms`;
const mib = (kb: number): string => `${(kb / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-scan-bench-'));
  try {
    const manifest = generateLargeProject(root, FILES);
    console.log(`Generated ${manifest.pythonFiles} indexable Python files (+${manifest.skippedFiles} in migrations and a virtualenv) under ${root}`);
    // Flush the generated files and warm the page cache once, so neither side pays for the writes.
    spawnSync('sync');
    runPeer(root, false);

    const oursRuns: ScanFigures[] = [];
    const peerRuns: ScanFigures[] = [];
    for (let i = 0; i < 2; i++) {
      oursRuns.push(runOurs(root));
      peerRuns.push(runPeer(root, false));
    }
    const ours = best(oursRuns);
    const peer = best(peerRuns);
    const naivePeer = runPeer(root, true);
    for (const figures of [peer, naivePeer]) {
      if (figures.usages !== ours.usages || figures.unresolved !== ours.unresolved) {
        throw new Error(`the scanners disagree: ours ${ours.usages} usages / ${ours.unresolved} unresolved, CPython ${figures.usages} / ${figures.unresolved}`);
      }
    }

    const index = await SessionKeyIndex.create();
    await indexDirectory(index, root);
    index.usages();
    const views = path.join(root, 'app0000', 'views.py');
    const original = fs.readFileSync(views, 'utf8');
    const editTimes: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const edited = original.replace('"theme" in request.session', `"theme_${i}" in request.session`);
      const t = performance.now();
      index.updateFile(views, edited);
      index.usages();
      editTimes.push(performance.now() - t);
    }

    const ratio = peer.seconds / ours.seconds;
    console.log(`cold scan in a fresh process, ${manifest.pythonFiles} files, ${ours.usages} usages, ${ours.unresolved} unresolved (best of 2 each, alternating):`);
    console.log(`  ours (web-tree-sitter, incl. loading the parser): ${ms(ours.seconds)} wall, ${ms(ours.cpu_seconds)} CPU (all threads)`);
    console.log(`  CPython ${peer.python} ast scanner, same "session" pre-filter: ${ms(peer.seconds)} wall, ${ms(peer.cpu_seconds)} CPU`);
    console.log(`  ratio: ${ratio.toFixed(2)}x faster by wall time, ${(peer.cpu_seconds / ours.cpu_seconds).toFixed(2)}x by CPU time (target >= ${TARGET_RATIO}x) ${ratio >= TARGET_RATIO ? 'MET' : 'NOT MET'}`);
    console.log(`  CPython ast scanner parsing every file (no pre-filter): ${ms(naivePeer.seconds)} wall, ratio ${(naivePeer.seconds / ours.seconds).toFixed(2)}x`);
    const editMedian = median(editTimes);
    console.log(`re-index after editing one file (re-analyse it, re-resolve, list all ${ours.usages} usages), ${EDITS} edits:`);
    console.log(`  median ${editMedian.toFixed(1)} ms, max ${Math.max(...editTimes).toFixed(1)} ms (budget ${EDIT_BUDGET_MS} ms) ${editMedian <= EDIT_BUDGET_MS ? 'MET' : 'NOT MET'}`);
    console.log('peak memory (max RSS of the cold-scan process):');
    console.log(`  ours: ${mib(ours.max_rss_kb)}, of which ${mib(ours.baseline_rss_kb ?? 0)} is Node + tsx before the scan started`);
    console.log(`  CPython: ${mib(peer.max_rss_kb)}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const childRoot = process.argv.indexOf(CHILD_FLAG);
(childRoot !== -1 ? coldScan(process.argv[childRoot + 1]!) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
