import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { decodeAnalyses } from './analysisTransfer';
import { analyseIndexedFile, type FileAnalysis, isParsed } from './fileAnalysis';
import type { PythonParser } from './pythonParser';
import { readTextFile } from './textFile';
import { WorkQueue } from './workQueue';

/** What the main thread gives an analysis worker: the files to parse, with their text. */
export interface AnalysisWorkerInput {
  files: string[];
  texts: string[];
  roots: readonly string[];
  chunk: number;
  queue: SharedArrayBuffer;
}

/** What a worker posts: one chunk's analyses from `start` (see analysisTransfer), or that it is done. */
export type AnalysisWorkerMessage = { start: number; analyses: string } | { done: true };

/** How to spread the analysis over threads; the defaults suit a cold scan. */
export interface ParallelOptions {
  /** The bundled worker entry; by default `analysisWorker.js` beside this bundle, if it is there. */
  workerScript?: string;
  /** Worker threads besides the main one; by default as many as the idle CPUs hold (see spareCpus), at most three. */
  workers?: number;
  /** Told of each file that could not be read (permissions, a FIFO…), which is skipped. */
  onUnreadable?: (file: string, reason: string) => void;
}

// Small enough that the threads finish together, large enough that messages stay few.
const CHUNK = 16;
// Below these a worker's start-up (an isolate, the bundle, the parser's wasm) outweighs its help.
const MIN_FILES_FOR_WORKERS = 400;
const MIN_PARSED_FOR_WORKERS = 48;
const MAX_WORKERS = 3;
const FILES_BETWEEN_YIELDS = 200;
const CPUS_PER_THREAD = 1.35;

type Deliver = (position: number, analysis: FileAnalysis | undefined, text?: string) => void;

/** Where analyses go, and what makes them; ready once the parser has loaded. */
export interface AnalysisTarget {
  python: PythonParser;
  /** As `analyseIndexedFile` takes them. */
  roots: readonly string[];
  /** Called once per file by its position, in no particular order, with the text analysed; undefined for unreadable or unindexed files. */
  deliver: Deliver;
}

/**
 * Reads and analyses `files`; they are read while `target` (the parser) may still load.
 * Parsing dominates a cold scan and tree-sitter's wasm runs on one thread per instance, so in
 * a large tree the files that need parsing are shared with worker threads, which load the
 * parser while this thread reads every file and the others' constants. This thread gives the
 * event loop a turn every few hundred files; a worker that fails leaves its files to it.
 */
export async function analyseFiles(files: string[], target: AnalysisTarget | Promise<AnalysisTarget>, options: ParallelOptions = {}): Promise<void> {
  // Not for a small tree: stopping a worker that is still compiling wasm holds up the exit.
  const workers = files.length >= MIN_FILES_FOR_WORKERS ? startWorkers(options) : [];
  try {
    await analyseWith(files, target, workers, options.onUnreadable);
  } finally {
    workers.forEach((worker) => worker.release());
  }
}

async function analyseWith(files: string[], target: AnalysisTarget | Promise<AnalysisTarget>, workers: AnalysisWorker[], onUnreadable?: (file: string, reason: string) => void): Promise<void> {
  const ready = Promise.resolve(target);
  // Awaited once the files are read: a load failing meanwhile is thrown then, not reported as unhandled.
  ready.catch(() => undefined);
  const toParse: number[] = [];
  const texts: string[] = [];
  const unparsed: { position: number; text: string }[] = [];
  const unreadable: number[] = [];
  let sinceYield = 0;
  const yieldDue = (done: number): boolean => {
    sinceYield += done;
    const due = sinceYield >= FILES_BETWEEN_YIELDS;
    sinceYield = due ? 0 : sinceYield;
    return due;
  };
  for (let i = 0; i < files.length; i++) {
    try {
      const text = readTextFile(files[i]!);
      if (isParsed(text)) {
        toParse.push(i);
        texts.push(text);
      } else {
        unparsed.push({ position: i, text });
      }
    } catch (err) {
      unreadable.push(i);
      onUnreadable?.(files[i]!, (err as Error).message);
    }
    if (yieldDue(1)) {
      await turn();
    }
  }

  const { python, roots, deliver } = await ready;
  const delivered = new Uint8Array(files.length);
  const finish: Deliver = (position, analysis, text) => {
    if (!delivered[position]) {
      delivered[position] = 1;
      deliver(position, analysis, text);
    }
  };
  unreadable.forEach((position) => finish(position, undefined));

  const queue = new WorkQueue(toParse.length, CHUNK);
  const helpers = toParse.length >= MIN_PARSED_FOR_WORKERS ? workers : [];
  const input: AnalysisWorkerInput = { files: toParse.map((i) => files[i]!), texts, roots, chunk: CHUNK, queue: queue.buffer };
  const helping = helpers.map((worker) => worker.share(input, (k, analysis) => finish(toParse[k]!, analysis, texts[k])));
  // The workers have their files now; the cheap unparsed ones are read here meanwhile.
  for (const { position, text } of unparsed) {
    finish(position, analyseIndexedFile(python, roots, files[position]!, text), text);
    if (yieldDue(1)) {
      await turn();
    }
  }
  for (let claim = queue.claim(); claim; claim = queue.claim()) {
    for (let k = claim.start; k < claim.end; k++) {
      finish(toParse[k]!, analyseIndexedFile(python, roots, files[toParse[k]!]!, texts[k]!), texts[k]);
    }
    if (yieldDue(claim.end - claim.start)) {
      await turn();
    }
  }
  await Promise.all(helping);
  toParse.forEach((i, k) => {
    if (!delivered[i]) {
      finish(i, analyseIndexedFile(python, roots, files[i]!, texts[k]!), texts[k]);
    }
  });
}

/** Lets the event loop run: a language server answers requests while it indexes. */
function turn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

function startWorkers(options: ParallelOptions): AnalysisWorker[] {
  const script = options.workerScript ?? path.join(__dirname, 'analysisWorker.js');
  const count = Math.min(options.workers ?? spareCpus(), MAX_WORKERS);
  return count >= 1 && fs.existsSync(script) ? Array.from({ length: count }, () => new AnalysisWorker(script)) : [];
}

/**
 * Workers that fit on the CPUs left idle by the load average (in which a run just before this
 * one, or this thread itself, counts as the one this thread takes). Each analysing thread keeps
 * about CPUS_PER_THREAD busy, as V8 collects garbage and compiles on background threads: a
 * single-threaded cold scan of 5,000 files took 1.1 s of CPU in 0.8 s. So on two CPUs a worker
 * only contends with this thread: there the same scan took 8% longer with one, and 30% more CPU.
 * Windows reports no load average, so there all other CPUs count as idle.
 */
function spareCpus(): number {
  const idle = os.availableParallelism() - Math.max(1, os.loadavg()[0]!) + 1;
  return Math.max(0, Math.floor(idle / CPUS_PER_THREAD) - 1);
}

/**
 * One worker thread. Until it is given work it does not keep the process alive, and one
 * never given work is terminated on release.
 */
class AnalysisWorker {
  private readonly worker: Worker;
  /** Settles when the worker has ended or failed; either way it posts nothing more. */
  private readonly ended: Promise<void>;
  private shared = false;

  constructor(script: string) {
    this.worker = new Worker(script);
    this.worker.unref();
    this.ended = new Promise<void>((resolve) => {
      this.worker.once('error', () => resolve());
      this.worker.once('exit', () => resolve());
    });
  }

  /** Hands it the files to parse; settles once it has posted all it will. */
  share(input: AnalysisWorkerInput, finish: Deliver): Promise<void> {
    this.shared = true;
    const done = new Promise<void>((resolve) => {
      this.worker.on('message', (message: AnalysisWorkerMessage) => {
        if ('done' in message) {
          resolve();
        } else {
          decodeAnalyses(message.analyses).forEach((analysis, offset) => finish(message.start + offset, analysis));
        }
      });
    });
    this.worker.ref();
    this.worker.postMessage(input);
    return Promise.race([done, this.ended]);
  }

  /** Lets the process exit without waiting for it: it has said all it will, or was not needed. */
  release(): void {
    this.worker.unref();
    if (!this.shared) {
      void this.worker.terminate();
    }
  }
}
