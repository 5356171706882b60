import type { Cluster, Redis } from 'ioredis';
import { isRedisLoading, redisLoadingError } from './redisLoading';
import { redisConnectionError } from './redisLocation';
import { aclUser, isRedisPermissionDenied, redisPermissionError } from './redisPermission';

/**
 * Connects and pings, failing fast with a clear StoreError that names `description`;
 * `settingsPassword` when the settings gave the password tried, else `passwordVariable` is the
 * variable they read it from, if any.
 */
export async function connectRedis(client: Redis | Cluster, description: string, settingsPassword = false, passwordVariable?: string): Promise<void> {
  // ioredis reports a refused handshake (TLS, AUTH) as an 'error' event and the command as merely "closed".
  let cause: unknown;
  client.on('error', (err: unknown) => {
    cause ??= err;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    const failure = cause ?? err;
    if (isRedisPermissionDenied(failure)) {
      throw redisPermissionError(description, aclUser(client), failure);
    }
    throw isRedisLoading(failure) ? redisLoadingError(description, failure) : redisConnectionError(description, failure, settingsPassword, passwordVariable);
  }
}
