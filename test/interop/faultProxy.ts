import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy of the test's own between a store and its real server, to break the connection
 * part way through an operation: `cut` resets every connection (a server restart, a dropped
 * VPN), `stall` keeps them open but passes nothing on (a paused container, a laptop's network
 * gone quiet), `loseAt` breaks it at one statement, and `restore` ends those and lets new
 * connections through.
 */
export class FaultProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private stalled = false;
  private trap: { marker: Buffer; when: 'request' | 'reply'; thenRefuse: boolean } | undefined;
  /** Set once a trap with `thenRefuse` has sprung: new connections are reset at once, as by a server gone down. */
  private refusing = false;

  private constructor(private readonly server: Server) {}

  /** The port it listens on. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Listens on 127.0.0.1:`port` (0: any free port) and forwards each connection to 127.0.0.1:`targetPort`. */
  static async start(port: number, targetPort: number): Promise<FaultProxy> {
    const server = createServer();
    const proxy = new FaultProxy(server);
    server.on('connection', (client) => proxy.forward(client, targetPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** How many connections pass through now. */
  get connections(): number {
    return this.pairs.size;
  }

  /**
   * Breaks the connection that next sends `marker` (a statement's text, which drivers send when
   * they first prepare it on a connection): at `request`, the statement is dropped before the
   * server gets it; at `reply`, the server runs it (outside a transaction, commits it) and its
   * reply is dropped. Either way the connection is reset, and with `thenRefuse` every new one
   * too, until `restore`.
   */
  loseAt(marker: string, when: 'request' | 'reply', thenRefuse = false): void {
    this.trap = { marker: Buffer.from(marker), when, thenRefuse };
  }

  private forward(client: Socket, targetPort: number): void {
    if (this.refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    let replyLost = false;
    const spring = (refuse: boolean) => {
      this.refusing = refuse;
      client.resetAndDestroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      const trap = this.trap;
      if (trap && chunk.includes(trap.marker)) {
        this.trap = undefined;
        if (trap.when === 'request') {
          spring(trap.thenRefuse);
          return;
        }
        replyLost = true;
        this.refusing = trap.thenRefuse;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => (replyLost ? spring(this.refusing) : client.write(chunk)));
    if (this.stalled) {
      client.pause();
      upstream.pause();
    }
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }

  /** Resets every connection now open; new ones still go through. */
  cut(): void {
    for (const [client, upstream] of this.pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  /** From now on, holds back whatever either side sends, as a connection that went quiet. */
  stall(): void {
    this.stalled = true;
    for (const [client, upstream] of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  /**
   * Resets the connections held since `stall`, losing what they held back (a link down long
   * enough for TCP to give up), and passes new ones through again.
   */
  restore(): void {
    this.stalled = false;
    this.refusing = false;
    this.trap = undefined;
    this.cut();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
