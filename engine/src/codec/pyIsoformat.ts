import { CodecError } from './codecError';
import { PyDatetime, PyTimedelta, PyTimezone } from './pyValue';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?(?:(Z)|([+-])(\d{2}):?(\d{2})(?::?(\d{2})(?:\.(\d{6}))?)?)?)?$/;

/**
 * `datetime.fromisoformat(text)` for the forms Django writes and Python 3.11 reads
 * (`T` or space, optional seconds and fraction, `±HH:MM[:SS[.ffffff]]` or `Z`).
 * Throws CodecError('bad-format') where Python raises ValueError.
 */
export function parsePyIsoformat(text: string): PyDatetime {
  const m = ISO.exec(text);
  if (!m) throw new CodecError('bad-format', `Invalid isoformat string: ${JSON.stringify(text.slice(0, 60))}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', z, sign, oh, om, os = '0', ous = '0'] = m;
  let tz: PyTimezone | null = null;
  if (z) tz = PyTimezone.utc;
  else if (sign) {
    const us = ((Number(oh) * 60 + Number(om)) * 60 + Number(os)) * 1_000_000 + Number(ous);
    tz = us === 0 ? PyTimezone.utc : new PyTimezone(new PyTimedelta(0, 0, sign === '-' ? -us : us));
  }
  const dt = new PyDatetime(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(6, '0') || 0), tz);
  const check = new Date(Date.UTC(2000, dt.month - 1, dt.day));
  const leapOk = dt.month !== 2 || dt.day <= 28 || (dt.day === 29 && (dt.year % 4 === 0 && (dt.year % 100 !== 0 || dt.year % 400 === 0)));
  if (dt.year < 1 || dt.month < 1 || dt.month > 12 || check.getUTCDate() !== dt.day || !leapOk || dt.hour > 23 || dt.minute > 59 || dt.second > 59) {
    throw new CodecError('bad-format', `Invalid isoformat string: ${JSON.stringify(text.slice(0, 60))}`);
  }
  return dt;
}
