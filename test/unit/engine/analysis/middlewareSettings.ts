/** Django's middleware paths that the session rules (DS209–DS211) judge, for settings written by tests. */
export const SECURITY = 'django.middleware.security.SecurityMiddleware';
export const SESSION = 'django.contrib.sessions.middleware.SessionMiddleware';
export const COMMON = 'django.middleware.common.CommonMiddleware';
export const CSRF = 'django.middleware.csrf.CsrfViewMiddleware';
export const AUTH = 'django.contrib.auth.middleware.AuthenticationMiddleware';
export const MESSAGES = 'django.contrib.messages.middleware.MessageMiddleware';
export const APPS = ['django.contrib.contenttypes', 'django.contrib.auth', 'django.contrib.sessions', 'django.contrib.messages'];

/** A Python list written one item a line, as startproject writes MIDDLEWARE. */
export const list = (items: string[]): string => `[\n${items.map((item) => `    "${item}",\n`).join('')}]`;
