import { isExpired, type SessionRecord } from '../../engine/src';

/** The keys that sessions of one store, as the Sessions view last listed them, hold. */
export interface ListedKeys {
  /** The store as the view labels it. */
  store: string;
  /** How many listed sessions hold each key. */
  sessions: ReadonlyMap<string, number>;
}

/** Sessions remembered per store: more than a view shows after many a "Load more". */
const MAX_SESSIONS = 20_000;

/**
 * The top-level keys of the sessions each store's latest listing showed, so completion can offer
 * those no code writes, and hover say who holds them, without reading a store for it. A listing's first page starts its store's
 * anew and its later pages add to them, each session once. Django loads no expired session, and
 * reads one whose signature it rejects as empty: their keys are not taken.
 */
export class ListedSessionKeys {
  private readonly byStore = new Map<string, { identity: string; bySession: Map<string, string[]> }>();

  /** Notes a page of a listing of the store whose database `identity` names (see identityOf in storeRegistry). */
  note(storeId: string, identity: string, sessions: readonly SessionRecord[], firstPage: boolean): void {
    const known = this.byStore.get(storeId);
    const listing = !firstPage && known?.identity === identity ? known : { identity, bySession: new Map<string, string[]>() };
    for (const record of sessions) {
      const { decoded } = record;
      if (!decoded.ok || decoded.session.signature === 'invalid' || isExpired(record) || (listing.bySession.size >= MAX_SESSIONS && !listing.bySession.has(record.key))) {
        continue;
      }
      listing.bySession.set(record.key, [...decoded.session.data.keys()].filter((key): key is string => typeof key === 'string'));
    }
    this.byStore.set(storeId, listing);
  }

  /** How many listed sessions of the store hold each key; none where it was listed while its id named another database. */
  counts(storeId: string, identity: string): Map<string, number> {
    const counts = new Map<string, number>();
    const listing = this.byStore.get(storeId);
    if (listing?.identity === identity) {
      for (const keys of listing.bySession.values()) {
        keys.forEach((key) => counts.set(key, (counts.get(key) ?? 0) + 1));
      }
    }
    return counts;
  }
}
