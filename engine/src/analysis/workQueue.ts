/**
 * Hands out consecutive chunks of a list by index to several threads at once. The next
 * chunk's start lives in shared memory, so a thread claims work without a message round trip.
 */
export class WorkQueue {
  private readonly next: Int32Array;

  /** `shared` is the `buffer` of the queue being joined; a new queue starts at index 0. */
  constructor(
    readonly length: number,
    readonly chunk: number,
    readonly buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.next = new Int32Array(buffer);
  }

  /** The next unclaimed chunk, `end` exclusive; undefined once all are claimed. */
  claim(): { start: number; end: number } | undefined {
    const start = Atomics.add(this.next, 0, this.chunk);
    return start < this.length ? { start, end: Math.min(start + this.chunk, this.length) } : undefined;
  }
}
