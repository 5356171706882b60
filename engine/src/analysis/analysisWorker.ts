/**
 * Entry of the analysis worker thread (bundled as `analysisWorker.js` beside the CLI and the
 * language server). It loads the parser at once, then waits for the files to parse, claims
 * chunks of them from the queue it shares with the main thread, posts each chunk's analyses
 * back and ends.
 */
import { parentPort } from 'node:worker_threads';
import { encodeAnalyses } from './analysisTransfer';
import { analyseIndexedFile } from './fileAnalysis';
import type { AnalysisWorkerInput, AnalysisWorkerMessage } from './parallelAnalysis';
import { loadPythonParser } from './pythonParser';
import { WorkQueue } from './workQueue';

const port = parentPort!;
const loading = loadPythonParser();

port.once('message', (input: AnalysisWorkerInput) => {
  void loading.then((python) => {
    const queue = new WorkQueue(input.files.length, input.chunk, input.queue);
    const post = (message: AnalysisWorkerMessage) => port.postMessage(message);
    for (let claim = queue.claim(); claim; claim = queue.claim()) {
      const analyses = [];
      for (let i = claim.start; i < claim.end; i++) {
        analyses.push(analyseIndexedFile(python, input.roots, input.files[i]!, input.texts[i]!));
      }
      post({ start: claim.start, analyses: encodeAnalyses(analyses) });
    }
    post({ done: true });
    port.close();
  });
});
