import type { StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';
import { assumedTimeCause, clearDependsOnAbsoluteExpiry, zoneLessExpireDate } from './urlTimeSettings';

/**
 * Refuses `clearExpired`, deleting nothing, where which sessions have expired depends on time
 * settings only assumed for a store URL (see assumedTimeSettingsNote): SQLite and MySQL keep
 * `expire_date` as a date without a zone (TIME_ZONE's without USE_TZ, UTC with it), and a file
 * or cache session's absolute expiry (set_expiry(datetime)) can be one too. Compared in the
 * wrong zone, sessions still active for Django count as expired and are deleted. PostgreSQL's
 * timestamptz is an instant whatever the settings, so it is cleared as asked.
 */
export function refuseClearWithAssumedTime(descriptor: StoreDescriptor): void {
  const naive = clearDependsOnAbsoluteExpiry(descriptor) ? `a ${descriptor.engine} session's absolute expiry can be` : naiveExpireDate(descriptor);
  if (naive !== undefined) {
    refuse(descriptor, 'Nothing was deleted', naive, 'which sessions have expired depends on', 'a wrong guess deletes active sessions');
  }
}

/**
 * Refuses a change, writing nothing, where it would write SQLite's or MySQL's zone-less
 * `expire_date` under time settings only assumed for a store URL: a date written hours off
 * ends the session at once for Django (startproject's USE_TZ = True against the assumed False),
 * or keeps it hours longer than Django would.
 */
export function refuseExpiryWriteWithAssumedTime(descriptor: StoreDescriptor): void {
  const naive = naiveExpireDate(descriptor);
  if (naive !== undefined) {
    refuse(descriptor, 'Nothing was changed', naive, 'the expiry date written depends on', 'a wrong guess can end the session at once for Django, or keep it hours too long');
  }
}

/** How a database keeps `expire_date` when that is zone-less text whose zone is only assumed; undefined otherwise. */
function naiveExpireDate(descriptor: StoreDescriptor): string | undefined {
  return descriptor.assumedTimeSettings && zoneLessExpireDate(descriptor) ? `${descriptor.database?.vendor === 'sqlite' ? 'SQLite' : 'MySQL'} keeps expire_date as` : undefined;
}

function refuse(descriptor: StoreDescriptor, outcome: string, naive: string, what: string, risk: string): void {
  const assumed = descriptor.assumedTimeSettings ?? [];
  if (assumed.length === 0) {
    return;
  }
  const them = assumed.length > 1 ? 'them' : 'it';
  const { why, fix } = assumedTimeCause(descriptor, `say how the project sets ${them} in the URL (e.g. ?use_tz=true, or ?use_tz=false&time_zone=America/Los_Angeles), or use the project's settings`);
  throw new StoreError('write-refused', `${outcome}: ${naive} a date without a time zone, so ${what} ${assumed.join(' and ')}, ${why}, and ${risk}. ${fix.charAt(0).toUpperCase()}${fix.slice(1)}.`);
}
