import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy of the test's own between a store and its real server, to break the connection
 * part way through an operation: `cut` resets every connection (a server restart, a dropped
 * VPN), `stall` keeps them open but passes nothing on (a paused container, a laptop's network
 * gone quiet), and `restore` ends those and lets new connections through.
 */
export class FaultProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private stalled = false;

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

  private forward(client: Socket, targetPort: number): void {
    const upstream = createConnection(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
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
    this.cut();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
