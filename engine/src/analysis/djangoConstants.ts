/**
 * Session keys that Django itself names with constants, by constant name. Django's own
 * modules are not in the workspace, so their values are known here instead of parsed.
 */
export const DJANGO_SESSION_KEY_CONSTANTS: ReadonlyMap<string, string> = new Map([
  ['SESSION_KEY', '_auth_user_id'],
  ['BACKEND_SESSION_KEY', '_auth_user_backend'],
  ['HASH_SESSION_KEY', '_auth_user_hash'],
  ['LANGUAGE_SESSION_KEY', '_language'],
  ['CSRF_SESSION_KEY', '_csrftoken'],
  ['INTERNAL_RESET_SESSION_TOKEN', '_password_reset_token'],
  ['TEST_COOKIE_NAME', 'testcookie'],
]);

/** Whether a dotted module name belongs to Django. */
export function isDjangoModule(module: string): boolean {
  return module === 'django' || module.startsWith('django.');
}
