import { randomBytes } from 'node:crypto';
import { REF_KEY_VARIABLE } from './protocol';

/**
 * The key the client put in this process's environment for refs (see REF_KEY_VARIABLE), taken
 * out of `env` so the stores opened never see it. A server not started by the extension makes
 * one of its own, and its refs last as long as it does.
 */
export function refKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env): Buffer {
  const key = Buffer.from(env[REF_KEY_VARIABLE] ?? '', 'base64');
  delete env[REF_KEY_VARIABLE];
  return key.length === 32 ? key : randomBytes(32);
}
