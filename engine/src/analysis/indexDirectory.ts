import type { FileAnalysis } from './fileAnalysis';
import { analyseFiles, type ParallelOptions } from './parallelAnalysis';
import { findPythonFiles } from './pythonFiles';
import type { SessionKeyIndex } from './sessionKeyIndex';

/**
 * Adds every indexable Python file under `root` to the index; unreadable files are skipped.
 * Large trees are analysed on worker threads too (see analyseFiles). Analyses enter the
 * index in path order as soon as all before them have, so the index holds them in the same
 * order whichever thread made them, and an editor's newer text for a file already entered wins.
 */
export async function indexDirectory(index: SessionKeyIndex, root: string, options: ParallelOptions = {}): Promise<void> {
  index.addRoot(root);
  const waiting = new Map<number, FileAnalysis | undefined>();
  let next = 0;
  const enter = (position: number, analysis: FileAnalysis | undefined): void => {
    waiting.set(position, analysis);
    for (; waiting.has(next); next++) {
      const ready = waiting.get(next);
      waiting.delete(next);
      if (ready) {
        index.setAnalysis(ready);
      }
    }
  };
  await analyseFiles(index.python, index.rootDirs, findPythonFiles(root), enter, options);
}
