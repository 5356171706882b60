import * as fs from 'node:fs';
import * as path from 'node:path';
import { companions } from './sqlite/sqliteFileState';
import type { StoreDescriptor } from './storeDescriptor';

/** The files a store keeps its sessions in, where they are local files: a directory and which of its entries count. */
interface StoreFiles {
  dir: string;
  counts(name: string): boolean;
  /** Changes whenever the store's sessions may have: sizes and nanosecond times of the files that hold them. */
  fingerprint(): string;
}

/** How long changes are gathered before one is reported: Django's request writes a session in a few statements. */
const DEFAULT_DELAY_MS = 1000;

/**
 * Reports changes Django (or anyone) makes to a store kept in local files: an SQLite database
 * (its main file, WAL and rollback journal) or a file engine's directory. Database and cache
 * servers tell no one of their writes, so they are not watched. Changes are gathered for
 * `delayMs`, so a stream of requests gives one report per interval, and a change that leaves
 * the files as they were (a read, or a write this process settled) gives none.
 */
export class StoreChangeWatch {
  private last: string;
  private timer: NodeJS.Timeout | undefined;
  private held = 0;

  private constructor(
    private readonly files: StoreFiles,
    private readonly watcher: fs.FSWatcher,
    private readonly onChange: () => void,
    private readonly delayMs: number,
  ) {
    this.last = files.fingerprint();
    watcher.on('change', (_event, name) => {
      if (typeof name === 'string' && files.counts(name)) {
        this.schedule();
      }
    });
    // A watched directory that is removed or unreadable ends the watch; the store's next discovery starts another.
    watcher.on('error', () => this.close());
  }

  /** Watches the store's files, or undefined for a store not kept in local files or a directory that cannot be watched. */
  static start(descriptor: StoreDescriptor, onChange: () => void, delayMs = DEFAULT_DELAY_MS): StoreChangeWatch | undefined {
    const files = storeFiles(descriptor);
    if (!files) {
      return undefined;
    }
    try {
      return new StoreChangeWatch(files, fs.watch(files.dir, { persistent: false }), onChange, delayMs);
    } catch {
      return undefined;
    }
  }

  /**
   * Runs one of this process's own writes: what it changes is not reported, since whoever asked
   * for it lists the store again once it is done. Changes by others while it runs are taken in
   * with it, and so are shown by that listing.
   */
  async during<T>(write: () => Promise<T>): Promise<T> {
    this.held++;
    try {
      return await write();
    } finally {
      this.held--;
      this.last = this.files.fingerprint();
    }
  }

  /** Stops watching; nothing is reported after it. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watcher.close();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.held > 0) {
        return;
      }
      const now = this.files.fingerprint();
      if (now !== this.last) {
        this.last = now;
        this.onChange();
      }
    }, this.delayMs);
  }
}

function storeFiles(descriptor: StoreDescriptor): StoreFiles | undefined {
  const database = descriptor.database;
  if ((descriptor.engine === 'db' || descriptor.engine === 'cached_db') && database?.vendor === 'sqlite' && database.path !== ':memory:') {
    // Behind a symlink, Django's writes land beside the real file, with its -wal and -journal.
    const file = realPathOf(database.path);
    const { wal, journal } = companions(file);
    const names = new Set([file, wal, journal].map((name) => path.basename(name)));
    return { dir: path.dirname(file), counts: (name) => names.has(name), fingerprint: () => [file, wal, journal].map(stampOf).join('|') };
  }
  if (descriptor.engine === 'file' && descriptor.fileDir) {
    const dir = descriptor.fileDir;
    // Django writes a session file to a temporary name beside it and renames it over, and deletes by unlinking: each changes the directory.
    return { dir, counts: (name) => name.startsWith(descriptor.cookieName), fingerprint: () => stampOf(dir) };
  }
  return undefined;
}

/** The file a path leads to, or the path itself while it does not exist yet. */
function realPathOf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function stampOf(file: string): string {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return '-';
  }
}
