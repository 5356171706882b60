import { PyDatetime, type PyDict, type PyValue } from '../codec';
import { parsePyIsoformat } from '../codec/pyIsoformat';
import { microsInText, withMicros } from '../codec/dateMicros';
import { EXPIRY_KEY, Session } from '../session';
import { versionAtLeast } from '../project/djangoVersion';
import { parseNaiveDatetime } from './djangoDatetime';
import type { ExpirySetting } from './sessionStore';
import { StoreError } from './storeError';
import type { StoreDescriptor } from './storeDescriptor';
import { assumedTimeCause } from './urlTimeSettings';

type ExpiryContext = Pick<StoreDescriptor, 'useTz' | 'timeZone' | 'cookieAgeSeconds' | 'cookieAgeUnknown' | 'djangoVersion' | 'assumedTimeSettings'>;

/**
 * `SessionBase.get_expiry_date()` at `now`: an absolute `_session_expiry` (datetime, or the ISO
 * text Django 4.1+ writes) as is; otherwise now plus its seconds, or plus `SESSION_COOKIE_AGE`
 * when it is absent or 0. This is the `expire_date` Django writes on save.
 */
export function expiryDateOf(data: PyDict, context: ExpiryContext & Partial<Pick<StoreDescriptor, 'engine'>>, now: Date): Date {
  const value = data.get(EXPIRY_KEY);
  const absolute = absoluteExpiry(value, context);
  if (absolute) {
    refuseNaiveExpiryWithAssumedTime(value, context);
    return absolute;
  }
  refuseUnreadableExpiryText(value, context);
  const seconds = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : 0;
  if (!seconds && context.cookieAgeUnknown !== undefined) {
    throw new StoreError(
      'write-refused',
      `Saving this session sets its expiry from SESSION_COOKIE_AGE, which cannot be read from the settings statically (${context.cookieAgeUnknown}); set the session's own expiry first, or give the store as a URL with ?cookie_age=SECONDS.`,
    );
  }
  return new Date(now.getTime() + (seconds || context.cookieAgeSeconds) * 1000);
}

/** Whether a `_session_expiry` is a date without a zone: a naive datetime, or ISO text without an offset. */
function isNaiveExpiry(value: unknown): boolean {
  const date = typeof value === 'string' ? isoformatDatetime(value) : value;
  return date instanceof PyDatetime && !date.tzinfo;
}

/** `datetime.fromisoformat(text)` as Django 4.1+ reads an expiry, or undefined where Python raises ValueError. */
function isoformatDatetime(text: string): PyDatetime | undefined {
  try {
    return parsePyIsoformat(text);
  } catch {
    return undefined;
  }
}

/**
 * Refuses to write a session whose `_session_expiry` is text no Django turns into an expiry, where
 * Django's own save of it fails too: text that is no ISO date and time (3.2 raises TypeError, 4.1+
 * ValueError), or on 4.1+, for the engines whose save computes `get_expiry_date()` (db, cached_db),
 * the empty text, which `get_expiry_age()` takes for the default but `fromisoformat('')` refuses.
 * An unknown version is read as 3.2, where an empty expiry is the default.
 */
function refuseUnreadableExpiryText(value: PyValue | undefined, context: Pick<StoreDescriptor, 'djangoVersion'> & Partial<Pick<StoreDescriptor, 'engine'>>): void {
  if (typeof value !== 'string') {
    return;
  }
  const recent = versionAtLeast(context.djangoVersion ?? '3.2', 4, 1);
  if (value === '' && !(recent && (context.engine === 'db' || context.engine === 'cached_db'))) {
    return;
  }
  const version = context.djangoVersion ?? 'unknown (so taken as 3.2)';
  throw new StoreError(
    'write-refused',
    `Nothing was changed: the session's ${EXPIRY_KEY} is ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}, which Django ${version} cannot compute an expiry date from (it raises ${recent ? 'ValueError' : 'TypeError'}), so Django fails to save this session too; set its expiry first.`,
  );
}

/**
 * Refuses to save a session whose absolute expiry `value` is a date without a zone when the time
 * settings that place it are only assumed: the expiry saved with it (a row's `expire_date`, a
 * cache's TTL) would be hours off, ending the session early or keeping it too long; and whether
 * it has expired at all is a guess.
 */
export function refuseNaiveExpiryWithAssumedTime(value: unknown, context: Pick<StoreDescriptor, 'assumedTimeSettings' | 'assumedTimeReason'>): void {
  const assumed = context.assumedTimeSettings;
  if (assumed && assumed.length > 0 && isNaiveExpiry(value)) {
    const { why, fix } = assumedTimeCause(context, `say how the project sets ${assumed.length > 1 ? 'them' : 'it'} in the URL (e.g. ?use_tz=false&time_zone=Europe/Paris), use the project's settings`);
    throw new StoreError(
      'write-refused',
      `Nothing was changed: the session's expiry is a date without a time zone (as set_expiry(datetime) stores it without USE_TZ), so the expiry saved with it depends on ${assumed.join(' and ')}, ${why}; ${fix}, or set the expiry in seconds first.`,
    );
  }
}

/** The absolute expiry a `_session_expiry` value names, if it names one. */
export function absoluteExpiry(value: unknown, context: Pick<StoreDescriptor, 'useTz' | 'timeZone'>): Date | undefined {
  if (value instanceof PyDatetime) {
    if (value.tzinfo) {
      return value.toDate();
    }
    return naiveWithMicros(value.isoformat(), context);
  }
  // The forms Python 3.11's fromisoformat reads, `Z` included, as Django 4.1+ does on it.
  const parsed = typeof value === 'string' ? isoformatDatetime(value) : undefined;
  return parsed && absoluteExpiry(parsed, context);
}

/** A naive expiry read in the project's zone, keeping its microseconds for the `expire_date` written from it. */
function naiveWithMicros(text: string, context: Pick<StoreDescriptor, 'useTz' | 'timeZone'>): Date | undefined {
  const date = parseNaiveDatetime(text, context);
  return date && withMicros(date, microsInText(text));
}

/**
 * Applies `set_expiry` to session data as the project's Django reads it: seconds are an int; an
 * absolute time is what that Django's `set_expiry` stores (the ISO text from 4.1, a datetime
 * before, aware in UTC with USE_TZ and naive in TIME_ZONE without). Before 4.1 JSON cannot hold a
 * datetime, and 3.2/4.0 crash on the ISO text, so there, and when the version is unknown, it is
 * the int seconds until then. Returns the `expire_date` to store when it is not the one
 * `expiryDateOf` computes from the data.
 */
export function applyExpiry(data: PyDict, setting: ExpirySetting, context: ExpiryContext & { serializer: string }, now: Date): Date | undefined {
  switch (setting.kind) {
    case 'seconds':
      data.set(EXPIRY_KEY, BigInt(Math.trunc(setting.seconds)));
      return undefined;
    case 'browser-close':
      data.set(EXPIRY_KEY, 0n);
      return undefined;
    case 'default':
      data.delete(EXPIRY_KEY);
      return undefined;
    case 'at': {
      // An unknown version is read as 3.2, the oldest supported: its forms every later Django reads.
      const djangoVersion = context.djangoVersion ?? '3.2';
      if (context.serializer === 'pickle' || versionAtLeast(djangoVersion, 4, 1)) {
        refuseAssumedTimeSettings(context);
        new Session(data, null, { djangoVersion, useTz: context.useTz, timeZone: context.timeZone, serializer: context.serializer === 'pickle' ? 'pickle' : 'json', now: () => now }).setExpiry(setting.date);
      } else {
        const seconds = Math.ceil((setting.date.getTime() - now.getTime()) / 1000);
        data.set(EXPIRY_KEY, BigInt(seconds === 0 ? -1 : seconds));
      }
      return setting.date;
    }
    case 'now':
      return now;
  }
}

/**
 * Refuses to store an absolute expiry as a date when the time settings that decide its form are
 * only assumed (a URL without the project's settings): an aware date in a project without
 * USE_TZ, or a naive one in a project with it, makes every later request of the session fail
 * in Django (it cannot subtract the two kinds of datetime), and a naive one in the wrong
 * TIME_ZONE moves the expiry by hours.
 */
export function refuseAssumedTimeSettings(context: Pick<StoreDescriptor, 'assumedTimeSettings' | 'assumedTimeReason'>): void {
  const assumed = context.assumedTimeSettings;
  if (assumed && assumed.length > 0) {
    const { why, fix } = assumedTimeCause(context, `say how the project sets ${assumed.length > 1 ? 'them' : 'it'} in the URL (e.g. ?use_tz=true), use the project's settings`);
    throw new StoreError('write-refused', `An absolute expiry is stored as a date whose form depends on ${assumed.join(' and ')}, ${why}; ${fix}, or set the expiry in seconds.`);
  }
}

/** The earliest and latest instants Python's datetime holds: `now + timedelta(seconds=…)` beyond them raises OverflowError. */
const DATETIME_MIN_MS = new Date(0).setUTCFullYear(1, 0, 1);
const DATETIME_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Why Django would fail on `value` as a session's `_session_expiry`, or undefined when it reads
 * it: absent or null (the default), whole or fractional seconds that keep the expiry a date
 * Python can hold (0 for browser close), an absolute time as the project's Django stores one (the
 * ISO text from 4.1; an unknown version counts as 3.2, which fails on text), or a datetime in a
 * pickled session. Anything else makes every request of the session fail in Django.
 */
export function expiryValueProblem(value: PyValue | undefined, context: ExpiryContext & Partial<Pick<StoreDescriptor, 'engine' | 'cache'>>, now: Date): string | undefined {
  if (value === undefined || value === null || value instanceof PyDatetime) {
    return value instanceof PyDatetime ? memcachedProblem(value.toDate().getTime(), context) : undefined;
  }
  if (typeof value === 'bigint' || typeof value === 'number') {
    const seconds = Number(value);
    if (!Number.isFinite(seconds)) {
      return 'must be a finite number of seconds';
    }
    const at = now.getTime() + seconds * 1000;
    if (at < DATETIME_MIN_MS || at > DATETIME_MAX_MS) {
      return 'puts the expiry beyond the dates Python can hold (years 1 to 9999)';
    }
    // Django counts the seconds from each save: a save just before this expiry puts the next one twice as far.
    if (now.getTime() + 2 * seconds * 1000 > DATETIME_MAX_MS) {
      return `is ${seconds} seconds, which Django counts from each save: saved again before it expires, the session would get an expiry past year 9999, and Django raises ValueError; use an earlier expiry`;
    }
    return memcachedProblem(at, context);
  }
  if (typeof value === 'string') {
    const djangoVersion = context.djangoVersion ?? '3.2';
    if (!versionAtLeast(djangoVersion, 4, 1)) {
      return `is text, which only Django 4.1+ reads as a date; this project's Django is ${context.djangoVersion ?? 'unknown (so taken as 3.2)'}: use seconds`;
    }
    return isoDatetimeProblem(value, context.useTz) ?? memcachedProblem(absoluteExpiry(value, context)?.getTime() ?? 0, context);
  }
  return 'must be seconds (0 for browser close), null for the default, or an ISO 8601 date and time on Django 4.1+';
}

/** The last second memcached keeps an entry to: its expiry times are 32-bit Unix times. */
const MEMCACHED_LAST_MS = (2 ** 31 - 1) * 1000;

/**
 * Why a cache-engine session on memcached would vanish with this expiry, or undefined: Django
 * hands memcached the expiry as a Unix time beyond 30 days, and one past 2038 makes it drop the
 * entry at once (so measured against real memcached and Django).
 */
function memcachedProblem(atMs: number, context: Partial<Pick<StoreDescriptor, 'engine' | 'cache'>>): string | undefined {
  const memcached = context.engine === 'cache' && /memcache/i.test(context.cache?.backend ?? '');
  return memcached && atMs > MEMCACHED_LAST_MS ? 'puts the expiry past 2038, which memcached cannot hold: the session would vanish at once' : undefined;
}

/**
 * The form `datetime.isoformat()` writes, which is what Django 4.1+ stores and
 * `datetime.fromisoformat` reads back on every Python Django supports (no `Z`: only 3.11 reads it).
 */
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?([+-]\d{2}:\d{2})?$/;

/**
 * Why Django 4.1+ would fail on `text` as an absolute expiry, or undefined: it must be a real
 * date and time as `isoformat()` writes it, with an offset exactly when USE_TZ is on, since
 * Django subtracts it from `timezone.now()` and Python refuses to mix naive and aware datetimes.
 */
function isoDatetimeProblem(text: string, useTz: boolean): string | undefined {
  const parts = ISO_DATETIME.exec(text);
  if (!parts) {
    return 'is not an ISO 8601 date and time (YYYY-MM-DDTHH:MM:SS, with an offset such as +00:00 when USE_TZ is on)';
  }
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return 'is not a real date and time';
  }
  if (useTz !== (parts[7] !== undefined)) {
    return useTz ? 'has no offset, and with USE_TZ on Django cannot compare it with the time now' : 'has an offset, and with USE_TZ off Django cannot compare it with the time now';
  }
  return undefined;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Refuses, writing nothing, a `_session_expiry` Django would fail on or memcached would drop
 * (see expiryValueProblem). Every edit that changes a session's expiry is checked with it.
 */
export function refuseBadExpiryValue(value: PyValue | undefined, store: StoreDescriptor, now = new Date()): void {
  const problem = expiryValueProblem(value, store, now);
  if (problem !== undefined) {
    throw new StoreError('bad-input', `${EXPIRY_KEY} ${problem}; nothing was written.`);
  }
}
