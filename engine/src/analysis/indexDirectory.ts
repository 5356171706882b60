import * as fs from 'node:fs';
import { findPythonFiles } from './pythonFiles';
import type { SessionKeyIndex } from './sessionKeyIndex';

const FILES_BETWEEN_YIELDS = 200;

/**
 * Adds every indexable Python file under `root` to the index; unreadable files are skipped.
 * Reads are synchronous (small files read far faster so) but the event loop gets a turn
 * every few hundred files, so a language server stays responsive while it indexes.
 */
export async function indexDirectory(index: SessionKeyIndex, root: string): Promise<void> {
  index.addRoot(root);
  const files = findPythonFiles(root);
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && i % FILES_BETWEEN_YIELDS === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    let text: string;
    try {
      text = fs.readFileSync(files[i]!, 'utf8');
    } catch {
      continue;
    }
    index.updateFile(files[i]!, text);
  }
}
