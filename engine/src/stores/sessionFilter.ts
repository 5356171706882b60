import { pyRepr, type PyDict } from '../codec';
import type { SessionFilter, SessionRecord } from './sessionStore';

/** Whether a filter has conditions that only the decoded data can answer. */
export function needsDecoding(filter: SessionFilter | undefined): boolean {
  return filter !== undefined && (filter.userId !== undefined || filter.hasKey !== undefined || filter.text !== undefined);
}

/**
 * The decoding part of a filter. An undecodable session matches only a text filter that its
 * stored text contains, so a damaged row can still be found by what is left of it.
 */
export function matchesDecoded(record: SessionRecord, filter: SessionFilter): boolean {
  const decoded = record.decoded;
  if (!decoded.ok) {
    return filter.userId === undefined && filter.hasKey === undefined && filter.text !== undefined && record.raw.toLowerCase().includes(filter.text.toLowerCase());
  }
  const data = decoded.session.data;
  if (filter.userId !== undefined && loggedInUserId(data) !== filter.userId) {
    return false;
  }
  if (filter.hasKey !== undefined && !data.has(filter.hasKey)) {
    return false;
  }
  if (filter.text !== undefined && !pyRepr(data).toLowerCase().includes(filter.text.toLowerCase())) {
    return false;
  }
  return true;
}

/** Whether a filter could not tell if a session matches: it asks about the data, which does not decode. */
export function uncheckable(record: SessionRecord, filter: SessionFilter): boolean {
  return !record.decoded.ok && (filter.userId !== undefined || filter.hasKey !== undefined);
}

/**
 * The user a session's data is logged in as: `_auth_user_id` as text. login() stores it as a
 * string, but Django reads it through the primary key's to_python(), so an int put there by hand
 * (`request.session[SESSION_KEY] = user.pk`) logs user 7 in as "7" does, and is matched as "7".
 */
export function loggedInUserId(data: PyDict): string | undefined {
  const id = data.get('_auth_user_id');
  return typeof id === 'string' ? id : typeof id === 'bigint' ? id.toString() : undefined;
}

/** The `_auth_user_id` of a decoded session, if it has one (see loggedInUserId). */
export function userIdOf(record: SessionRecord): string | undefined {
  return record.decoded.ok ? loggedInUserId(record.decoded.session.data) : undefined;
}
