import { SIGNED_COOKIES_SALT } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import { resolveStores } from '../resolveStores';
import { keyList, keysFromEnvironment } from '../secretKeys';

/** What the codec commands take from a project's settings, where `--project` or `--settings` names one. */
export interface CodecSettings {
  secretKeys: string[];
  /** Why there is no key, with its fix, when there is none. */
  missing?: string;
  salt?: string;
  serializer?: 'json' | 'pickle';
  /** SESSION_COOKIE_AGE, the age signed_cookies enforces. */
  cookieAgeSeconds?: number;
  djangoVersion?: string;
  hashingAlgorithm?: 'sha1';
}

/**
 * The keys and settings a codec command decodes or signs with. Without `--project` or
 * `--settings`, the keys from the environment only. With one, those of the project's store, read
 * statically as the store commands read them: its signed_cookies store for a cookie, else its
 * first store (the environment's keys count as they do for stores). Flags still win over them.
 */
export async function codecSettings(args: ParsedArgs, env: NodeJS.ProcessEnv, cookie: boolean): Promise<CodecSettings> {
  if (args.project === undefined && args.settings === undefined) {
    return { secretKeys: keyList(keysFromEnvironment(args, env)) };
  }
  const stores = await resolveStores(args, env);
  const store = stores.find((s) => (s.engine === 'signed_cookies') === cookie) ?? stores[0]!;
  if (store.serializer === 'custom' || store.serializer === 'unknown') {
    throw new CliError(ExitCode.usage, `${store.id}: the project's SESSION_SERIALIZER is not one this command reads; give --serializer json or pickle.`);
  }
  return {
    secretKeys: store.secretKeys.values,
    ...(store.secretKeys.missing !== undefined ? { missing: store.secretKeys.missing } : {}),
    // A cookie's salt is the signed_cookies engine's own, not its store class's.
    salt: cookie ? SIGNED_COOKIES_SALT : store.salt,
    serializer: store.serializer,
    ...(store.cookieAgeUnknown === undefined ? { cookieAgeSeconds: store.cookieAgeSeconds } : {}),
    ...(store.djangoVersion !== undefined ? { djangoVersion: store.djangoVersion } : {}),
    ...(store.hashingAlgorithm !== undefined ? { hashingAlgorithm: store.hashingAlgorithm } : {}),
  };
}
