import { pythonUnquote } from '../../../pythonUnquote';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { RedisOptions } from 'ioredis';
import { StoreError } from '../../storeError';
import { hostPort } from '../../hostPort';
import { unreachableReason } from '../../unreachableServer';
import { withoutPassword } from '../../urlCredentials';

/** Where one Redis server is, as a cache `LOCATION` or store URL names it. */
interface RedisLocation {
  host: string;
  port: number;
  /** A `unix://` location's socket file; host and port are then unused. */
  socketPath?: string;
  db: number;
  username?: string;
  tls: boolean;
  /** redis-py's `ssl_cert_reqs=none`: TLS without verifying the server certificate. */
  tlsVerify: boolean;
  /** redis-py's `ssl_ca_certs=`: a PEM file of CAs to trust, e.g. for a self-signed server. */
  tlsCaFile?: string;
}

/**
 * Parses `redis://[user@]host[:port][/db]`, `rediss://…` (TLS, with redis-py's `ssl_cert_reqs` and
 * `ssl_ca_certs` query parameters), `unix:///path/redis.sock[?db=N]` or a bare `host:port`. As in
 * redis-py's `from_url`, a `?db=` wins over the path. A password
 * in the location is accepted (Django settings often carry one) and returned separately so
 * that it never ends up in a description or message.
 */
export function parseRedisLocation(location: string): RedisLocation & { password?: string } {
  const text = /^([a-z][a-z0-9+]*:\/\/|unix:)/i.test(location) ? location : `redis://${location}`;
  let url: URL;
  try {
    // redis-py takes unix://:password@/path, whose empty host WHATWG URLs refuse; the host is unused there.
    url = new URL(text.replace(/^redis\+cluster:/i, 'redis:').replace(/^(unix:\/\/[^/?#]*@)\//i, '$1localhost/'));
  } catch {
    throw new StoreError('bad-url', `"${withoutPassword(location)}" is not a Redis location; use redis://host:port/db, rediss://host:port/db or unix:///path/redis.sock?db=N.`);
  }
  const unix = url.protocol === 'unix:';
  const socketPath = unix ? pythonUnquote(url.pathname) : undefined;
  if (unix && !socketPath?.startsWith('/')) {
    throw new StoreError('bad-url', `"${withoutPassword(location)}" names no socket file; use unix:///path/redis.sock?db=N.`);
  }
  // A socket's path is its file, so only ?db= names its database there.
  const db = url.searchParams.get('db') || (unix ? '' : url.pathname.replace(/^\//, '')) || '0';
  if (!/^\d+$/.test(db)) {
    throw new StoreError('bad-url', `The Redis database index "${db}" is not a number; use e.g. redis://127.0.0.1:6379/1.`);
  }
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    ...(socketPath ? { socketPath } : {}),
    db: Number(db),
    username: url.username ? pythonUnquote(url.username) : undefined,
    password: url.password ? pythonUnquote(url.password) : undefined,
    tls: url.protocol === 'rediss:',
    tlsVerify: url.searchParams.get('ssl_cert_reqs')?.toLowerCase() !== 'none',
    tlsCaFile: url.searchParams.get('ssl_ca_certs') ?? undefined,
  };
}

/** `host:port/db` for messages. */
export function describeRedisLocation(location: RedisLocation): string {
  if (location.socketPath) {
    return `unix://${location.username ? `${location.username}@` : ''}${location.socketPath}?db=${location.db}`;
  }
  return `${location.tls ? 'rediss' : 'redis'}://${location.username ? `${location.username}@` : ''}${hostPort(location.host, location.port)}/${location.db}`;
}

/**
 * ioredis options for a location: fail fast instead of queueing forever, so an unreachable server
 * gives a clear error; the password comes from the location, the caller, or `REDISCLI_AUTH`
 * (redis-cli's own variable).
 */
export function redisOptionsFor(location: RedisLocation & { password?: string }, password: string | undefined, env: NodeJS.ProcessEnv = process.env): RedisOptions {
  return {
    ...(location.socketPath ? { path: location.socketPath } : { host: location.host, port: location.port }),
    db: location.db,
    username: location.username,
    password: location.password ?? password ?? env.REDISCLI_AUTH,
    tls: location.tls ? { servername: isIP(location.host) ? undefined : location.host, rejectUnauthorized: location.tlsVerify, ca: location.tlsCaFile ? readCa(location.tlsCaFile) : undefined } : undefined,
    lazyConnect: true,
    // ioredis's ready check prints a warning to the console for an ACL user without INFO; a server
    // still loading its data answers LOADING instead, which is reported as such (redisLoading).
    enableReadyCheck: false,
    connectTimeout: 5000,
    maxRetriesPerRequest: 2,
    // Keep reconnecting (a long-lived language server outlives a Redis restart); commands still fail fast.
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new StoreError('bad-url', `Cannot read the CA file ssl_ca_certs=${file}: ${(err as Error).message}. Give a readable PEM file.`);
  }
}

/**
 * Turns a connection failure into a message that names the cause and the fix, without secrets;
 * a refused password is sent back to where it came from: the settings, or `passwordVariable`,
 * the variable the settings read it from.
 */
export function redisConnectionError(where: string, err: unknown, settingsPassword = false, passwordVariable?: string): StoreError {
  // A cluster's "Failed to refresh slots cache." keeps what the seed nodes answered in lastNodeError.
  const nodeError = (err as { lastNodeError?: Error }).lastNodeError;
  if (nodeError && /cluster support disabled/i.test(nodeError.message)) {
    return new StoreError('connection', `Cannot use Redis at ${where}: the server there is a single Redis server, not a Redis Cluster (it answers "${nodeError.message}"). Name it as redis://host:port/db.`);
  }
  const failure = nodeError ?? err;
  const reason = redisFailureReason(where, failure);
  const source = settingsPassword
    ? " The password tried is the one the store URL, or the settings' CACHES (in LOCATION or OPTIONS), give, as Django would: correct it there."
    : passwordVariable
      ? ` Give the password in $${passwordVariable}, which the settings' CACHES read it from (or in the secret store), and the ACL user in the URL (redis://user@host).`
      : ' Give the password in REDISCLI_AUTH (or the secret store) and the ACL user in the URL (redis://user@host).';
  const auth = /NOAUTH|WRONGPASS|AUTH/i.test(reason) ? source : '';
  // The driver's own words, not the reason's, which may name TLS only to say what the URL asks for.
  const tls = /certificate|self.signed|SSL|TLS/i.test((failure as Error).message ?? '') ? ' For a private CA add ?ssl_ca_certs=/path/ca.pem to the URL (or ?ssl_cert_reqs=none to skip verification).' : '';
  // ioredis's parser meets memcached's "ERROR" (or any other protocol's reply) as a reply type it does not know.
  if (/Unknown RESP type/i.test(reason)) {
    return new StoreError('connection', `Cannot use Redis at ${where}: the server there does not speak Redis's protocol (is it memcached, or another service?). Check the URL's host and port.`);
  }
  return new StoreError('connection', `Cannot use Redis at ${where}: ${reason}.${auth || tls || ' Check that the server runs and the URL (host, port, database index, rediss:// for TLS) is right.'}`);
}

/**
 * What a failed connection met, in words: ioredis says "Command timed out" for a server that took
 * the connection and never answered, and a bare "connect ETIMEDOUT" for a TLS handshake that no
 * answer finished, as a server without TLS leaves a rediss:// client waiting.
 */
function redisFailureReason(where: string, err: unknown): string {
  const message = ((err as Error).message ?? String(err)).replace(/\.$/, '');
  if (/^Command timed out$/i.test(message)) {
    return 'the server took the connection but never answered (is it paused or overloaded, or is another service listening there?)';
  }
  if (/^connect ETIMEDOUT$/.test(message) && where.startsWith('rediss://')) {
    return 'no TLS handshake was answered in time: nothing answers there, or the server offers no TLS on that port (rediss:// is for a server with TLS, redis:// for one without)';
  }
  return unreachableReason(err)?.replace(/\.$/, '') ?? message;
}
