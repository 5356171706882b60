/**
 * Applies the committed frames of a SQLite write-ahead log to a copy of the main database file,
 * as a reader would see the database: frames count only when their salts match the log header
 * and the running checksum holds, and only up to the last commit frame.
 * Format: https://www.sqlite.org/fileformat2.html#walformat
 */
export function applyWal(db: Uint8Array, wal: Uint8Array): Uint8Array {
  if (wal.length < 32) {
    return db;
  }
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) {
    return db;
  }
  const bigEndian = magic === 0x377f0683;
  const pageSize = view.getUint32(8) || 65536;
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);
  let [s0, s1] = checksum(wal, 0, 24, 0, 0, bigEndian);
  if (s0 !== view.getUint32(24) || s1 !== view.getUint32(28)) {
    return db;
  }
  const frameSize = 24 + pageSize;
  const pending = new Map<number, number>();
  const committed = new Map<number, number>();
  let dbPages = 0;
  for (let off = 32; off + frameSize <= wal.length; off += frameSize) {
    if (view.getUint32(off + 8) !== salt1 || view.getUint32(off + 12) !== salt2) {
      break;
    }
    [s0, s1] = checksum(wal, off, 8, s0, s1, bigEndian);
    [s0, s1] = checksum(wal, off + 24, pageSize, s0, s1, bigEndian);
    if (s0 !== view.getUint32(off + 16) || s1 !== view.getUint32(off + 20)) {
      break;
    }
    pending.set(view.getUint32(off), off + 24);
    const commitSize = view.getUint32(off + 4);
    if (commitSize !== 0) {
      for (const [page, at] of pending) {
        committed.set(page, at);
      }
      pending.clear();
      dbPages = commitSize;
    }
  }
  if (committed.size === 0) {
    return db;
  }
  const out = new Uint8Array(dbPages * pageSize);
  out.set(db.subarray(0, Math.min(db.length, out.length)));
  for (const [page, at] of committed) {
    if (page <= dbPages) {
      out.set(wal.subarray(at, at + pageSize), (page - 1) * pageSize);
    }
  }
  return out;
}

/** SQLite's WAL checksum: pairs of 32-bit words, in the byte order the log's magic names. */
function checksum(data: Uint8Array, start: number, length: number, s0: number, s1: number, bigEndian: boolean): [number, number] {
  const view = new DataView(data.buffer, data.byteOffset + start, length);
  for (let i = 0; i < length; i += 8) {
    s0 = (s0 + view.getUint32(i, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(i + 4, !bigEndian) + s0) >>> 0;
  }
  return [s0, s1];
}
