import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../storeError';
import { databaseGone } from './databaseGone';
import { applyWal } from './walFrames';

/**
 * What identifies one version of a SQLite file. The change counter catches rollback-journal
 * commits, but a WAL checkpoint does not bump it, so the file's identity and times count too
 * (nanosecond mtime/ctime: any write to the file changes them).
 */
export interface FileStamp {
  size: number;
  /** The header's file change counter (bytes 24..27). */
  changeCounter: number;
  ino: string;
  mtimeNs: string;
  ctimeNs: string;
}

/** A consistent copy of a database, for a snapshot driver. */
interface SqliteSnapshot {
  /** The main file with the WAL's committed frames applied, marked as a rollback-journal database. */
  bytes: Uint8Array;
  /** The main file as read, to detect any change before writing it back. */
  stamp: FileStamp;
  /** The file was in WAL mode (header bytes 18/19 = 2), which a write back must keep. */
  walFormat: boolean;
}

/** The companions SQLite keeps next to a database while it is in use. */
export function companions(file: string): { wal: string; journal: string } {
  return { wal: `${file}-wal`, journal: `${file}-journal` };
}

/** A rollback journal with a non-zero header means a writer is mid-transaction or crashed. */
export function hasHotJournal(file: string): boolean {
  try {
    const fd = fs.openSync(companions(file).journal, 'r');
    try {
      const head = Buffer.alloc(28);
      const n = fs.readSync(fd, head, 0, 28, 0);
      return n > 0 && head.subarray(0, n).some((b) => b !== 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The stamp of the file as it is now on disk; undefined if it is gone. */
export function currentStamp(file: string): FileStamp | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(28);
      const n = fs.readSync(fd, head, 0, 28, 0);
      const st = fs.fstatSync(fd, { bigint: true });
      return { size: Number(st.size), changeCounter: n >= 28 ? head.readUInt32BE(24) : 0, ino: String(st.ino), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function walHeader(file: string): string {
  try {
    const fd = fs.openSync(companions(file).wal, 'r');
    try {
      const head = Buffer.alloc(32);
      const n = fs.readSync(fd, head, 0, 32, 0);
      return head.subarray(0, n).toString('hex');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return 'none';
  }
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
}

/**
 * Reads the database and its WAL so that the result is one committed state: it retries while a
 * rollback-journal writer is mid-commit, or while the file or WAL generation changes under the
 * read (a checkpoint or a new log). Without SQLite's locks this is the best a copy can do.
 */
export async function readSnapshot(file: string, attempts = 40): Promise<SqliteSnapshot> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const walBefore = walHeader(file);
    const before = currentStamp(file);
    if (!before) {
      throw databaseGone(file);
    }
    const hotBefore = hasHotJournal(file);
    const main = readIfExists(file);
    if (!main) {
      throw databaseGone(file);
    }
    const wal = walBefore === 'none' ? undefined : readIfExists(companions(file).wal);
    const after = currentStamp(file);
    const stable =
      !hotBefore && !hasHotJournal(file) && walHeader(file) === walBefore && sameStamp(before, after) && main.length === before!.size && (main.length < 28 || main.readUInt32BE(24) === before!.changeCounter);
    if (stable) {
      const walFormat = main.length > 19 && main[18] === 2;
      let bytes: Uint8Array = wal ? applyWal(main, wal) : main;
      if (walFormat) {
        bytes = Buffer.from(bytes);
        bytes[18] = 1;
        bytes[19] = 1;
      }
      return { bytes, stamp: before!, walFormat };
    }
    await sleep(25);
  }
  throw new StoreError(
    'busy',
    `${file} kept changing while being read, or has a hot journal left by a crashed writer. Retry; if it persists, open it once with Django or sqlite3 to recover it.`,
  );
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.changeCounter === b.changeCounter && a.ino === b.ino && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}
