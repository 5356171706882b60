/** What one lint rule checks, in a line, for tools that list rules apart from findings (SARIF). */
export interface LintRule {
  code: string;
  summary: string;
}

/** Every code lint reports, with its summary; docs/code-analysis.md's table has the full conditions. */
export const LINT_RULES: readonly LintRule[] = [
  { code: 'DS101', summary: 'A session key is read but never written anywhere in the project.' },
  { code: 'DS102', summary: 'A session key is written but never read.' },
  { code: 'DS103', summary: 'A session value the configured serializer cannot store.' },
  { code: 'DS104', summary: 'An in-place change to a session value that Django will not save.' },
  { code: 'DS105', summary: 'set_expiry() with a value of the wrong type.' },
  { code: 'DS106', summary: 'A string literal that duplicates a session key constant.' },
  { code: 'DS107', summary: "A change to a test client's session that nothing saves." },
  { code: 'DS108', summary: 'A session key that JSONSerializer saves as a different str key.' },
  { code: 'DS109', summary: "A use of what a session's create() returns, which is always None." },
  { code: 'DS110', summary: 'A session write that a later logout(), flush() or login() of another user throws away.' },
  { code: 'DS111', summary: "The language kept in the session ('_language'), which Django 3.0 and later do not read." },
  { code: 'DS112', summary: "A login written by hand: '_auth_user_id' without the backend and hash keys Django needs to take it as one." },
  { code: 'DS113', summary: 'A synchronous session access or call (flush(), keys(), save(), …) in an async function, which the db engine refuses there (SynchronousOnlyOperation).' },
  { code: 'DS201', summary: 'A SESSION_* name that is not a Django setting.' },
  { code: 'DS202', summary: 'A SESSION_* setting of the wrong type.' },
  { code: 'DS203', summary: 'A SESSION_* setting with an invalid choice.' },
  { code: 'DS204', summary: 'SESSION_CACHE_ALIAS is not a key of CACHES.' },
  { code: 'DS205', summary: 'Sessions in a local-memory or dummy cache.' },
  { code: 'DS206', summary: 'Sessions serialized with PickleSerializer.' },
  { code: 'DS207', summary: 'signed_cookies with PickleSerializer.' },
  { code: 'DS208', summary: "SESSION_COOKIE_SAMESITE = 'None' without SESSION_COOKIE_SECURE." },
  { code: 'DS209', summary: 'A middleware that reads request.session (AuthenticationMiddleware, MessageMiddleware, CsrfViewMiddleware with CSRF_USE_SESSIONS) before SessionMiddleware, or without one: every request raises.' },
  { code: 'DS210', summary: "django.contrib.sessions missing from INSTALLED_APPS under the db or cached_db engine: saving a session raises RuntimeError." },
  { code: 'DS211', summary: "Code that reads request.session while MIDDLEWARE has no session middleware: AttributeError." },
  { code: 'security.W010', summary: "check --deploy: SESSION_COOKIE_SECURE is not True (django.contrib.sessions installed)." },
  { code: 'security.W011', summary: 'check --deploy: SESSION_COOKIE_SECURE is not True (SessionMiddleware installed).' },
  { code: 'security.W012', summary: 'check --deploy: SESSION_COOKIE_SECURE is not True.' },
  { code: 'security.W013', summary: 'check --deploy: SESSION_COOKIE_HTTPONLY is not True (django.contrib.sessions installed).' },
  { code: 'security.W014', summary: 'check --deploy: SESSION_COOKIE_HTTPONLY is not True (SessionMiddleware installed).' },
  { code: 'security.W015', summary: 'check --deploy: SESSION_COOKIE_HTTPONLY is not True.' },
];
