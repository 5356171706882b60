import type { FileAnalysis } from './fileAnalysis';
import { analyseFiles, type AnalysisTarget, type ParallelOptions } from './parallelAnalysis';
import { findIndexedFiles } from './pythonFiles';
import type { SessionKeyIndex } from './sessionKeyIndex';

/**
 * Adds every indexable Python file and template under `root` to the index; unreadable files are skipped.
 * Given the index while it loads (`SessionKeyIndex.create()`), it walks and reads the tree
 * meanwhile. Large trees are analysed on worker threads too (see analyseFiles). Analyses enter
 * the index in path order as soon as all before them have, so the index holds them in the same
 * order whichever thread made them, and an editor's newer text for a file already entered wins.
 */
export async function indexDirectory(index: SessionKeyIndex | Promise<SessionKeyIndex>, root: string, options: IndexOptions = {}): Promise<void> {
  const files = findIndexedFiles(root);
  const target = (loaded: SessionKeyIndex): AnalysisTarget => {
    loaded.addRoot(root);
    const progress = options.onProgress;
    return { python: loaded.python, roots: loaded.rootDirs, deliver: inPathOrder(loaded, progress && ((done) => progress(done, files.length))) };
  };
  // A loaded index takes the root at once, before any edit the caller lets in meanwhile.
  await analyseFiles(files, index instanceof Promise ? index.then(target) : target(index), options);
  // While it still holds the texts: the files need not be read again for the helpers now known.
  (await index).searchHelperCalls();
}

/** How to index a directory: the threads to use, and whom to tell how far it got. */
export interface IndexOptions extends ParallelOptions {
  /** Called as files enter the index, with how many have of how many found under the root. */
  onProgress?: (done: number, total: number) => void;
}

/** Enters analyses delivered by position into the index in position order, with their texts (see setAnalysis). */
function inPathOrder(index: SessionKeyIndex, progress?: (done: number) => void): (position: number, analysis: FileAnalysis | undefined, text?: string) => void {
  const waiting = new Map<number, { analysis: FileAnalysis | undefined; text?: string }>();
  let next = 0;
  return (position, analysis, text) => {
    waiting.set(position, text === undefined ? { analysis } : { analysis, text });
    const before = next;
    for (; waiting.has(next); next++) {
      const ready = waiting.get(next)!;
      waiting.delete(next);
      if (ready.analysis) {
        index.setAnalysis(ready.analysis, undefined, ready.text);
      }
    }
    if (progress && next > before) {
      progress(next);
    }
  };
}
