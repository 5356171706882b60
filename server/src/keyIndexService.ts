import * as fs from 'node:fs';
import { deepestWithin, findIndexedFilesBelow, indexDirectory, isTemplatePath, isWithin, readTextFile, SessionKeyIndex, type DjangoProject } from '../../engine/src';
import { toFilePath } from './fileUri';
import { PendingEdits } from './pendingEdits';

/** How long a document's edits must pause before its text is analysed, unless the index is read first. */
const EDIT_PAUSE_MS = 200;

/**
 * Keeps the engine's session-key index in step with the workspace: the files on disk at start,
 * then open editors (whose unsaved text wins) and file-watcher events. Only files inside the
 * workspace folders are indexed: a library opened from site-packages is not the project's code,
 * so it gets no findings and no rename edits.
 */
export class KeyIndexService {
  private readonly edits = new PendingEdits((uri, text) => this.analyse(uri, text), EDIT_PAUSE_MS);
  /** The project roots given to the index, besides the workspace folders. */
  private projects = new Set<string>();

  private constructor(
    private readonly keyIndex: SessionKeyIndex,
    private readonly roots: () => string[],
  ) {}

  /** The index, with every editor's latest text in it: what is read from it is never stale. */
  get index(): SessionKeyIndex {
    this.edits.flush();
    return this.keyIndex;
  }

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
      await indexDirectory(this.keyIndex, root, onProgress ? { onProgress: (done, total) => onProgress(root, done, total) } : {});
    }
    return [...this.keyIndex.analyses()].length;
  }

  /** Takes an editor's text, analysed once its edits pause or when the index is read, whichever comes first. */
  updateText(uri: string, text: string): void {
    this.edits.set(uri, text);
  }

  /**
   * Analyses a saved editor's text as the file on disk is analysed: text that does not parse is
   * taken as it stands, as a scan takes it, instead of holding the file's last findings back.
   */
  saved(uri: string, text: string): void {
    this.edits.drop(uri);
    const file = this.workspaceFile(uri);
    if (file) {
      this.keyIndex.updateFile(file, text);
    }
  }

  /** Indexes the file as it is on disk (closed, or changed outside the editor); text still waiting from its editor is dropped. */
  updateFromDisk(uri: string): void {
    this.edits.drop(uri);
    const file = this.workspaceFile(uri);
    if (file) {
      this.readFromDisk(file);
    }
  }

  remove(uri: string): void {
    this.edits.drop(uri);
    const file = toPath(uri);
    if (file) {
      this.keyIndex.removeFile(file);
    }
  }

  dispose(): void {
    this.edits.dispose();
  }

  /**
   * Indexes the Python files and templates under a folder that appeared in the workspace, as a scan would have
   * found them; returns them. A folder move is reported as the folder alone, never per file.
   * `keep` tells files whose index entry must stay as it is (open ones, indexed from their editor).
   */
  indexFolder(dir: string, keep: (file: string) => boolean): string[] {
    const root = deepestWithin(this.roots(), dir);
    const files = root === undefined ? [] : findIndexedFilesBelow(root, dir).filter((file) => !keep(file));
    files.forEach((file) => this.readFromDisk(file));
    return files;
  }

  /**
   * The Django projects found in the folders, each a project of its own for session keys, as the
   * CLI's lint takes them: two projects in one folder do not answer each other's reads.
   */
  projectRoots(roots: string[]): void {
    const workspace = this.roots();
    for (const gone of [...this.projects].filter((root) => !roots.includes(root) && !workspace.includes(root))) {
      this.keyIndex.removeRoot(gone);
    }
    this.projects = new Set(roots);
    roots.forEach((root) => this.keyIndex.addRoot(root));
  }

  /**
   * The Django projects discovery found, as it reads them again after a settings file changed:
   * each is a project of its own (see projectRoots), and `settings.NAME` keys resolve to its settings.
   */
  projectsFound(projects: DjangoProject[]): void {
    this.projectRoots(projects.map((project) => project.root));
    this.keyIndex.setProjectSettings(projects);
  }

  /** Forgets a workspace folder that was removed: its files (but those `keep` tells) and its scope. */
  removeRoot(root: string, keep: (file: string) => boolean): string[] {
    this.keyIndex.removeRoot(root);
    return this.removeFolder(root, keep);
  }

  /** Forgets every indexed file under a folder (deleted, moved away, or no longer a workspace folder) but those `keep` tells; returns them. */
  removeFolder(dir: string, keep: (file: string) => boolean): string[] {
    const files = [...this.keyIndex.analyses()].map((analysis) => analysis.file).filter((file) => isWithin(dir, file) && !keep(file));
    for (const file of files) {
      this.keyIndex.removeFile(file);
    }
    return files;
  }

  private readFromDisk(file: string): void {
    try {
      // Only a regular file is read: opening a FIFO named x.py would wait for a writer, and the server with it.
      if (!fs.statSync(file).isFile()) {
        throw new Error(`${file} is not a regular file`);
      }
      this.keyIndex.updateFile(file, readTextFile(file));
    } catch {
      this.keyIndex.removeFile(file);
    }
  }

  private analyse(uri: string, text: string): void {
    const file = this.workspaceFile(uri);
    if (file) {
      this.keyIndex.updateEditedFile(file, text);
    }
  }

  private workspaceFile(uri: string): string | undefined {
    const file = toPath(uri);
    return file && this.roots().some((root) => isWithin(root, file)) ? file : undefined;
  }
}

/** The file path behind a `file:` URI of a Python file or a template; other documents are not indexed. */
export function toPath(uri: string): string | undefined {
  const file = toFilePath(uri);
  return file !== undefined && (file.endsWith('.py') || isTemplatePath(file)) ? file : undefined;
}

/** The open document's text if the editor has one (`openText` of the file's path), else the file on disk as the editor would show it. */
export function textSource(openText: (file: string) => string | undefined): (file: string) => string | undefined {
  return (file) => {
    const open = openText(file);
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
