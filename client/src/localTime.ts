/**
 * An instant as the user's clock reads it, then as stored (UTC), since Django keeps UTC and the
 * developer thinks in local time: "2026-12-11 09:35:07 (UTC+01:00), 2026-12-11T08:35:07.909Z".
 * `offsetMinutes` is the zone's offset east of UTC at that instant; by default this machine's.
 */
export function localTimeText(iso: string, offsetMinutes = -new Date(iso).getTimezoneOffset()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) {
    return iso;
  }
  const local = new Date(at + offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const zone = `${String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0')}:${String(Math.abs(offsetMinutes) % 60).padStart(2, '0')}`;
  return `${local} (UTC${sign}${zone}), ${iso}`;
}
