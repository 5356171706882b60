import * as fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { findPythonFiles, SessionKeyIndex } from '../../engine/src';

/**
 * Keeps the engine's session-key index in step with the workspace: the files on disk at start,
 * then open editors (whose unsaved text wins) and file-watcher events.
 */
export class KeyIndexService {
  private constructor(readonly index: SessionKeyIndex) {}

  static async create(): Promise<KeyIndexService> {
    return new KeyIndexService(await SessionKeyIndex.create());
  }

  /** Indexes every Python file under the roots; returns how many were read. */
  async indexRoots(roots: string[]): Promise<number> {
    const files = (await Promise.all(roots.map(findPythonFiles))).flat();
    for (const file of files) {
      await this.indexFromDisk(file);
    }
    return files.length;
  }

  updateText(uri: string, text: string): void {
    const file = toPath(uri);
    if (file) {
      this.index.updateFile(file, text);
    }
  }

  async updateFromDisk(uri: string): Promise<void> {
    const file = toPath(uri);
    if (file) {
      await this.indexFromDisk(file);
    }
  }

  remove(uri: string): void {
    const file = toPath(uri);
    if (file) {
      this.index.removeFile(file);
    }
  }

  private async indexFromDisk(file: string): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      this.index.removeFile(file);
      return;
    }
    this.index.updateFile(file, text);
  }
}

function toPath(uri: string): string | undefined {
  return uri.startsWith('file:') && uri.endsWith('.py') ? fileURLToPath(uri) : undefined;
}
