import { decodeSignedCookie, pyRepr, sessionToDisplayJson, type StoreDescriptor } from '../../engine/src';

/**
 * A signed_cookies session cookie as a read-only JSONC text: whether the project's Django would
 * take it (its signature, its age against SESSION_COOKIE_AGE), then its data. The cookie lives
 * in the visitor's browser, so nothing here can be written back.
 */
export function cookieDocument(value: string, store: StoreDescriptor, storeLabel: string, now = Date.now()): string {
  const decoded = decodeSignedCookie(value.trim().replace(/^"(.*)"$/, '$1'), store, now / 1000);
  const lines = [`// A session cookie of ${storeLabel}, read as the project's Django reads it. Read-only: the session lives in the browser.`];
  if (!decoded.ok) {
    lines.push(`// Django would start an empty session instead: ${decoded.message}`, '// The cookie, as given:', JSON.stringify(value));
    return `${lines.join('\n')}\n`;
  }
  const { session } = decoded;
  const signedAt = session.signedAt;
  const expires = signedAt ? new Date(signedAt.getTime() + store.cookieAgeSeconds * 1000) : undefined;
  const user = session.data.get('_auth_user_id');
  lines.push(
    `// signature ${session.signature}${signedAt ? ` · signed ${signedAt.toISOString()}` : ''}${expires ? ` · Django takes it until ${expires.toISOString()}` : ''} · ${user === undefined ? 'anonymous' : `user ${typeof user === 'string' ? user : pyRepr(user)}`}`,
    sessionToDisplayJson(session.data, 2),
  );
  return `${lines.join('\n')}\n`;
}
