import { needsDecoding, StoreError, type SessionFilter as EngineFilter, type StoreDescriptor } from '../../engine/src';
import type { SessionFilter } from './protocol';

const TEXT_FIELDS = ['userId', 'hasKey', 'text'] as const;

/**
 * A listing's filter as the stores take it, checked: it arrives as JSON from the client, and a
 * part of the wrong type must be refused rather than match nothing or everything.
 */
export function listFilter(filter: SessionFilter | undefined): EngineFilter | undefined {
  if (filter === undefined || filter === null) {
    return undefined;
  }
  const checked: EngineFilter = {};
  if (filter.state !== undefined) {
    if (filter.state !== 'active' && filter.state !== 'expired') {
      throw new StoreError('bad-input', `A session filter's state is 'active' or 'expired', not ${JSON.stringify(filter.state)}.`);
    }
    checked.state = filter.state;
  }
  for (const field of TEXT_FIELDS) {
    const value: unknown = filter[field];
    if (value !== undefined) {
      if (typeof value !== 'string' || value === '') {
        throw new StoreError('bad-input', `A session filter's ${field} must be a non-empty string.`);
      }
      checked[field] = value;
    }
  }
  return Object.keys(checked).length > 0 ? checked : undefined;
}

/**
 * Whether a store counts these sessions without reading each one, so the view can show the
 * count on every refresh: a database counts all of them or those of a state in SQL; a file
 * store counts its files, but must open each to tell its state; a cache has no count at all.
 */
export function cheapToCount(filter: EngineFilter | undefined, engine: StoreDescriptor['engine']): boolean {
  if (engine === 'cache' || needsDecoding(filter)) {
    return false;
  }
  return filter === undefined || engine === 'db' || engine === 'cached_db';
}
