import { fileURLToPath, pathToFileURL } from 'node:url';
import { indexDirectory, readTextFile, SessionKeyIndex } from '../../engine/src';
import { isWithin } from './pathWithin';

/**
 * Keeps the engine's session-key index in step with the workspace: the files on disk at start,
 * then open editors (whose unsaved text wins) and file-watcher events. Only files inside the
 * workspace folders are indexed: a library opened from site-packages is not the project's code,
 * so it gets no findings and no rename edits.
 */
export class KeyIndexService {
  private constructor(
    readonly index: SessionKeyIndex,
    private readonly roots: () => string[],
  ) {}

  /** `roots` are the workspace folders as they are now. */
  static async create(roots: () => string[]): Promise<KeyIndexService> {
    return new KeyIndexService(await SessionKeyIndex.create(), roots);
  }

  /**
   * Indexes every Python file under the roots; returns how many files the index holds.
   * `onProgress` hears how many files of the root being indexed have entered the index.
   */
  async indexRoots(roots: string[], onProgress?: (root: string, done: number, total: number) => void): Promise<number> {
    for (const root of roots) {
      await indexDirectory(this.index, root, onProgress ? { onProgress: (done, total) => onProgress(root, done, total) } : {});
    }
    return [...this.index.analyses()].length;
  }

  updateText(uri: string, text: string): void {
    const file = this.workspaceFile(uri);
    if (file) {
      this.index.updateFile(file, text);
    }
  }

  updateFromDisk(uri: string): void {
    const file = this.workspaceFile(uri);
    if (!file) {
      return;
    }
    try {
      this.index.updateFile(file, readTextFile(file));
    } catch {
      this.index.removeFile(file);
    }
  }

  remove(uri: string): void {
    const file = toPath(uri);
    if (file) {
      this.index.removeFile(file);
    }
  }

  private workspaceFile(uri: string): string | undefined {
    const file = toPath(uri);
    return file && this.roots().some((root) => isWithin(root, file)) ? file : undefined;
  }
}

/** The file path behind a `file:` URI of a Python file; other documents are not indexed. */
export function toPath(uri: string): string | undefined {
  return uri.endsWith('.py') ? toFilePath(uri) : undefined;
}

/** The file path behind any `file:` URI (a `.env` too); undefined for other schemes. */
export function toFilePath(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

/** The open document's text if the editor has one, else the file on disk as the editor would show it. */
export function textSource(openText: (uri: string) => string | undefined): (file: string) => string | undefined {
  return (file) => {
    const open = openText(pathToFileURL(file).toString());
    if (open !== undefined) {
      return open;
    }
    try {
      return readTextFile(file);
    } catch {
      return undefined;
    }
  };
}
