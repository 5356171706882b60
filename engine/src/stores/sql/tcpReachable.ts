import { Socket } from 'node:net';

/**
 * Whether anything accepts a TCP connection at host:port, told without a word of any protocol
 * (so no credentials go anywhere): undefined when something does, else the socket's error code.
 * It tells an unreachable server from one whose handshake failed, which some drivers report alike.
 */
export function tcpUnreachable(host: string, port: number, timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (code: string | undefined) => {
      socket.destroy();
      resolve(code);
    };
    socket.setTimeout(timeoutMs, () => done('ETIMEDOUT'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? 'ECONNRESET'));
    socket.connect(port, host, () => done(undefined));
  });
}
