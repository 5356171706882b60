import { createCipheriv, randomBytes } from 'node:crypto';
import { PASSWORD_KEY_VARIABLE, type StorePassword } from '../../server/src/protocol';

/**
 * Seals store passwords for the protocol (see `StorePassword.sealed`) with a key made for this
 * activation, which reaches the server only through its spawn environment.
 */
export class PasswordSealer {
  private readonly key = randomBytes(32);

  /** What to add to the server process's environment so it can open what this sealer seals. */
  serverEnvironment(): Record<string, string> {
    return { [PASSWORD_KEY_VARIABLE]: this.key.toString('base64') };
  }

  seal(variable: string, location: string, value: string): StorePassword {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${variable}\0${location}`));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return { variable, location, sealed: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url') };
  }
}
