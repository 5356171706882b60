import type { StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';
import { assumedTimeCause } from './urlTimeSettings';

/**
 * Refuses `clearExpired`, deleting nothing, where which sessions have expired depends on time
 * settings only assumed for a store URL (see assumedTimeSettingsNote): SQLite and MySQL keep
 * `expire_date` as a date without a zone (TIME_ZONE's without USE_TZ, UTC with it), and a file
 * session's absolute expiry can be one too. Compared in the wrong zone, sessions still active
 * for Django count as expired and are deleted. PostgreSQL's timestamptz is an instant whatever
 * the settings, and a cache's expiry is its own TTL, so those are cleared as asked.
 */
export function refuseClearWithAssumedTime(descriptor: StoreDescriptor): void {
  const assumed = descriptor.assumedTimeSettings;
  if (!assumed || assumed.length === 0) {
    return;
  }
  const vendor = descriptor.database?.vendor;
  const naive =
    descriptor.engine === 'file'
      ? "a file session's absolute expiry can be"
      : (descriptor.engine === 'db' || descriptor.engine === 'cached_db') && (vendor === 'sqlite' || vendor === 'mysql')
        ? `${vendor === 'sqlite' ? 'SQLite' : 'MySQL'} keeps expire_date as`
        : undefined;
  if (naive === undefined) {
    return;
  }
  const them = assumed.length > 1 ? 'them' : 'it';
  const { why, fix } = assumedTimeCause(descriptor, `say how the project sets ${them} in the URL (e.g. ?use_tz=true, or ?use_tz=false&time_zone=America/Los_Angeles), or use the project's settings`);
  throw new StoreError('write-refused', `Nothing was deleted: ${naive} a date without a time zone, so which sessions have expired depends on ${assumed.join(' and ')}, ${why}, and a wrong guess deletes active sessions. ${fix.charAt(0).toUpperCase()}${fix.slice(1)}.`);
}
