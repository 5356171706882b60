import { PyDatetime } from '../../codec';
import { formatNaiveDatetime, type DatetimeContext } from '../djangoDatetime';

/**
 * The naive datetime `set_expiry(datetime)` stores when `USE_TZ = False`: the wall-clock time
 * of `TIME_ZONE`. A pickled cache session can hold it, and every Django version reads it.
 */
export function naiveExpiryDatetime(date: Date, context: DatetimeContext): PyDatetime {
  const text = formatNaiveDatetime(date, { useTz: false, timeZone: context.timeZone });
  const [y, mo, d, h, mi, s, us] = text.split(/[- :.]/).map(Number);
  return new PyDatetime(y as number, mo as number, d as number, h as number, mi as number, s as number, us as number, null);
}
