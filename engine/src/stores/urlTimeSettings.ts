import { isKnownTimeZone } from './djangoDatetime';
import type { StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';

/** What a URL-named store takes from a project's settings: `assumed` when there were none. */
interface TimeDefaults {
  useTz: boolean;
  timeZone: string;
  /** Which of them are Django's defaults standing in for settings (all of them when no settings were read). */
  assumed: readonly ('USE_TZ' | 'TIME_ZONE')[];
  /** Set when the settings were read but do not give them statically: why. */
  reason?: string;
}

/**
 * `use_tz=` and `time_zone=`: the project's USE_TZ and TIME_ZONE, which decide how expiry dates
 * are stored and read, for a URL used without the project's settings. What neither the settings
 * nor the URL give is listed as assumed; with USE_TZ on, TIME_ZONE changes nothing stored.
 */
export function urlTimeSettings(query: URLSearchParams, defaults: TimeDefaults): Pick<StoreDescriptor, 'useTz' | 'timeZone' | 'assumedTimeSettings' | 'assumedTimeReason'> {
  const useTzText = query.get('use_tz');
  const zone = query.get('time_zone');
  let useTz = defaults.useTz;
  if (useTzText !== null) {
    const known: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };
    if (!(useTzText.toLowerCase() in known)) {
      throw new StoreError('bad-url', `use_tz=${useTzText} is not true or false; write it as USE_TZ is set, e.g. use_tz=true.`);
    }
    useTz = known[useTzText.toLowerCase()]!;
  }
  if (zone !== null && !isKnownTimeZone(zone)) {
    throw new StoreError('bad-url', `time_zone=${zone} is not a time zone name; write it as TIME_ZONE is set, e.g. time_zone=UTC.`);
  }
  const assumed: ('USE_TZ' | 'TIME_ZONE')[] = [];
  if (defaults.assumed.includes('USE_TZ') && useTzText === null) {
    assumed.push('USE_TZ');
  }
  if (defaults.assumed.includes('TIME_ZONE') && zone === null && !useTz) {
    assumed.push('TIME_ZONE');
  }
  const reason = assumed.length > 0 && defaults.reason !== undefined ? { assumedTimeReason: defaults.reason } : {};
  return { useTz, timeZone: zone ?? defaults.timeZone, ...(assumed.length > 0 ? { assumedTimeSettings: assumed } : {}), ...reason };
}

/**
 * For a store named by a URL without the project's settings, which time settings its expiry
 * dates assume and how to say otherwise; undefined when the settings or the URL say, or when no
 * date depends on them (signed cookies carry their own time).
 */
export function assumedTimeSettingsNote(descriptor: StoreDescriptor): string | undefined {
  const assumed = descriptor.assumedTimeSettings;
  if (!assumed || descriptor.engine === 'signed_cookies' || descriptor.engine === 'custom') {
    return undefined;
  }
  const values = assumed.map((name) => (name === 'USE_TZ' ? `USE_TZ = ${descriptor.useTz ? 'True' : 'False'}` : `TIME_ZONE = '${descriptor.timeZone}'`));
  const them = values.length > 1 ? 'them' : 'it';
  const refused = zoneLessExpireDate(descriptor)
    ? 'changes and clearing expired sessions are refused'
    : clearDependsOnAbsoluteExpiry(descriptor)
      ? 'writing a date and clearing expired sessions are refused'
      : 'writing a date is refused';
  if (descriptor.assumedTimeReason !== undefined) {
    return `expiry dates assume ${values.join(' and ')}, Django's default${values.length > 1 ? 's' : ''} up to 4.2, as the settings do not give ${them} statically (${descriptor.assumedTimeReason}); ${refused} until they do`;
  }
  const given = assumed.includes('USE_TZ') ? '' : ` (USE_TZ = ${descriptor.useTz ? 'True' : 'False'} from the URL)`;
  return `expiry dates assume ${values.join(' and ')}, Django's default${values.length > 1 ? 's' : ''} up to 4.2, as no settings were read for this URL${given}, and ${refused} until it says how the project sets ${them} (e.g. ?use_tz=true, or ?use_tz=false&time_zone=Europe/Paris)`;
}

/**
 * Whether which sessions have expired can hang on an absolute `_session_expiry` in the data,
 * which may be a date without a zone: a file session's expiry, and a cache entry's besides its TTL.
 */
export function clearDependsOnAbsoluteExpiry(descriptor: Pick<StoreDescriptor, 'engine'>): boolean {
  return descriptor.engine === 'file' || descriptor.engine === 'cache';
}

/**
 * Whether the store keeps `expire_date` as text without a zone, whose instant the time settings
 * decide: SQLite's and MySQL's session tables (also under cached_db). PostgreSQL's is a timestamptz.
 */
export function zoneLessExpireDate(descriptor: Pick<StoreDescriptor, 'engine' | 'database'>): boolean {
  const vendor = descriptor.database?.vendor;
  return (descriptor.engine === 'db' || descriptor.engine === 'cached_db') && (vendor === 'sqlite' || vendor === 'mysql');
}

/**
 * How a message that refuses for want of the time settings says why they are only assumed and
 * what to do: a URL read without settings, or settings that do not give them statically.
 */
export function assumedTimeCause(descriptor: Pick<StoreDescriptor, 'assumedTimeSettings' | 'assumedTimeReason'>, urlFix: string): { why: string; fix: string } {
  const them = (descriptor.assumedTimeSettings?.length ?? 0) > 1 ? 'them' : 'it';
  if (descriptor.assumedTimeReason === undefined) {
    return { why: 'which no settings gave for this store URL', fix: urlFix };
  }
  return {
    why: `which the settings do not give statically (${descriptor.assumedTimeReason})`,
    fix: `make the settings give ${them} statically (or set the environment variable they read), or name the store by a URL with ?use_tz= and ?time_zone=`,
  };
}
