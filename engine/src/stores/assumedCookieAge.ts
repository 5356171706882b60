import type { StoreDescriptor } from './storeDescriptor';

/**
 * For a store named by a URL without the project's settings or `cookie_age=`, what Django's
 * default SESSION_COOKIE_AGE (two weeks) stands in for: the expiry of every session saved without
 * its own, and a file session's expiry, which Django reckons from the file's age. Undefined when
 * the age is known, or nothing depends on it (signed cookies carry their own max age).
 */
export function assumedCookieAgeNote(descriptor: StoreDescriptor): string | undefined {
  if (!descriptor.cookieAgeAssumed || descriptor.engine === 'signed_cookies' || descriptor.engine === 'custom') {
    return undefined;
  }
  const files = descriptor.engine === 'file' ? "; a file session without its own expiry is never taken for expired until then, as Django reckons its expiry from the file's age" : '';
  return `a session saved without its own expiry gets SESSION_COOKIE_AGE, taken as Django's default of two weeks (1209600 s) as no settings were read for this URL; give the project's with ?cookie_age=SECONDS${files}`;
}

/** Why a store's SESSION_COOKIE_AGE is not known: it cannot be read from the settings, or only assumed for a URL. */
export function cookieAgeUnknownWhy(descriptor: Pick<StoreDescriptor, 'cookieAgeUnknown' | 'cookieAgeAssumed'>): string | undefined {
  return descriptor.cookieAgeUnknown ?? (descriptor.cookieAgeAssumed ? 'no settings were read for this store URL' : undefined);
}
