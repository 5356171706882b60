import { Socket } from 'node:net';
import { StoreError } from '../../storeError';
import { hostPort } from '../../hostPort';
import { unreachableReason } from '../../unreachableServer';

const CRLF = Buffer.from('\r\n');

/** How long a connection may take to open. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * A memcached text-protocol connection: requests go out in order and replies are read from one
 * buffer as lines or fixed-size blocks, which is all the meta commands and `lru_crawler` need.
 * A reply that stops arriving for `readTimeoutMs` ends the connection: the replies would be out
 * of step with the requests after that, so every later exchange fails too.
 */
export class MemcachedConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiter?: () => void;
  private failure?: Error;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    private readonly readTimeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      this.wake();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the server closed the connection')));
  }

  static async open(host: string, port: number, readTimeoutMs: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<MemcachedConnection> {
    const address = hostPort(host, port);
    const socket = new Socket();
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new StoreError('connection', `memcached at ${address} did not answer within ${timeoutMs} ms; check that it runs and the URL is right.`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new StoreError('connection', `Cannot connect to memcached at ${address}: ${unreachableReason(err) ?? err.message}. Check that it runs (memcached -l 127.0.0.1 -p 11211) and the URL is right.`));
      });
      socket.connect(port, host, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return new MemcachedConnection(socket, address, readTimeoutMs);
  }

  /** Whether the connection has ended (closed, failed or timed out): every later exchange on it fails. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Runs one exchange at a time, so replies are read by the request that caused them. */
  exclusive<T>(body: () => Promise<T>): Promise<T> {
    const run = this.queue.then(body, body);
    this.queue = run.catch(() => undefined);
    return run;
  }

  write(...parts: (string | Uint8Array)[]): void {
    this.socket.write(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))));
  }

  /** The next reply line without its line ending (`\r\n`, or `\n` as metadump writes). */
  async readLine(): Promise<string> {
    for (;;) {
      const end = this.buffer.indexOf(0x0a);
      if (end >= 0) {
        const line = this.buffer.subarray(0, end > 0 && this.buffer[end - 1] === 0x0d ? end - 1 : end).toString('utf8');
        this.buffer = this.buffer.subarray(end + 1);
        return line;
      }
      await this.more();
    }
  }

  /** A data block of `size` bytes followed by `\r\n`. */
  async readBlock(size: number): Promise<Buffer> {
    while (this.buffer.length < size + CRLF.length) {
      await this.more();
    }
    const block = Buffer.from(this.buffer.subarray(0, size));
    this.buffer = this.buffer.subarray(size + CRLF.length);
    return block;
  }

  close(): void {
    this.socket.destroy();
  }

  private more(): Promise<void> {
    if (this.failure) {
      return Promise.reject(this.failure instanceof StoreError ? this.failure : new StoreError('connection', `memcached at ${this.address} failed: ${this.failure.message}.`));
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.failure ??= new StoreError('connection', `memcached at ${this.address} did not answer within ${this.readTimeoutMs} ms; check that it is running and not paused or overloaded (echo stats | nc ${this.address.replace(/:(\d+)$/, ' $1')}), and the network to it.`);
        this.socket.destroy();
        this.wake();
      }, this.readTimeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
