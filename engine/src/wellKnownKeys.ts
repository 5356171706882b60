/** A session key that Django or a contrib app writes, described for hovers and the tree. */
export interface WellKnownKey {
  key: string;
  writtenBy: string;
  description: string;
}

const KEYS: readonly WellKnownKey[] = [
  {
    key: '_session_expiry',
    writtenBy: 'SessionBase.set_expiry',
    description:
      'Custom expiry: seconds of inactivity (int; 0 = browser close), or an absolute time (a datetime in pickled sessions of Django ≤ 4.0, an ISO string from Django 4.1).',
  },
  { key: '_auth_user_id', writtenBy: 'django.contrib.auth.login', description: "The logged-in user's primary key, as a string." },
  {
    key: '_auth_user_backend',
    writtenBy: 'django.contrib.auth.login',
    description: 'Dotted path of the authentication backend that logged the user in; must be in AUTHENTICATION_BACKENDS.',
  },
  {
    key: '_auth_user_hash',
    writtenBy: 'django.contrib.auth.login',
    description: "HMAC of the user's password hash; a password change invalidates the session (flush on mismatch).",
  },
  {
    key: '_language',
    writtenBy: 'django.views.i18n.set_language (Django ≤ 3.2)',
    description: 'The chosen language code. Django 4.0 stopped writing it to the session (it uses a cookie).',
  },
  { key: '_csrftoken', writtenBy: 'CsrfViewMiddleware (CSRF_USE_SESSIONS=True)', description: 'The CSRF secret, stored in the session instead of a cookie.' },
  {
    key: '_messages',
    writtenBy: 'django.contrib.messages SessionStorage',
    description: 'Pending flash messages, as a JSON string produced by MessageEncoder.',
  },
  {
    key: '_password_reset_token',
    writtenBy: 'PasswordResetConfirmView',
    description: 'The password reset token, kept in the session so it leaves the URL.',
  },
  { key: 'testcookie', writtenBy: 'SessionBase.set_test_cookie', description: "Test cookie marker; the value is 'worked'." },
];

const BY_KEY = new Map(KEYS.map((k) => [k.key, k]));

/** Every key Django itself is known to write. */
export function wellKnownSessionKeys(): readonly WellKnownKey[] {
  return KEYS;
}

/** The description of a well-known session key, or undefined for an application's own key. */
export function describeSessionKey(key: string): WellKnownKey | undefined {
  return BY_KEY.get(key);
}
