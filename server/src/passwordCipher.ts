import { createDecipheriv } from 'node:crypto';
import { PASSWORD_KEY_VARIABLE, type StorePassword } from './protocol';

/** A store password as the registry uses it: opened, in this process's memory only. */
export interface OpenedPassword {
  variable: string;
  location: string;
  value: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Opens the passwords the client sealed (see `StorePassword.sealed`) with the key it put in this
 * process's environment when it started it.
 */
export class PasswordCipher {
  private constructor(private readonly key: Buffer | undefined) {}

  /**
   * Takes the key out of `env`: it is deleted there, so settings evaluation (`os.environ.get(…)`
   * shows in hovers and store locations) and the stores opened never see it. Without one (a
   * server not started by the extension), nothing opens.
   */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): PasswordCipher {
    const key = Buffer.from(env[PASSWORD_KEY_VARIABLE] ?? '', 'base64');
    delete env[PASSWORD_KEY_VARIABLE];
    return new PasswordCipher(key.length === 32 ? key : undefined);
  }

  /** The password in clear, or undefined when it was not sealed with this key for this very store. */
  open(password: StorePassword): OpenedPassword | undefined {
    const sealed = Buffer.from(password.sealed, 'base64url');
    if (!this.key || sealed.length < IV_BYTES + TAG_BYTES) {
      return undefined;
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(`${password.variable}\0${password.location}`));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const value = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      return { variable: password.variable, location: password.location, value };
    } catch {
      return undefined;
    }
  }
}

/**
 * `env` without the password key, for discovery and opening stores: the key is taken out of
 * process.env at start, and this keeps it out even if something puts it back.
 */
export function withoutPasswordKey(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy[PASSWORD_KEY_VARIABLE];
  return copy;
}
