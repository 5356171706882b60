import type { DecodedSession } from '../codec';
import type { StoreDescriptor } from './storeDescriptor';

/** The result of decoding one stored session: its data, or the reason it could not be read. */
export type DecodeOutcome =
  | { ok: true; session: DecodedSession }
  | { ok: false; code: string; message: string };

/** One session as a store holds it. */
export interface SessionRecord {
  key: string;
  /** When the store will consider it expired, if the store knows. */
  expireDate?: Date;
  /** The stored text exactly as read. */
  raw: string;
  decoded: DecodeOutcome;
}

export interface ListOptions {
  limit: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  /** Newest expiry first by default. */
  order?: 'desc' | 'asc';
}

export interface SessionPage {
  sessions: SessionRecord[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** The operations every session backend offers, whatever it is stored in. */
export interface SessionStore {
  readonly descriptor: StoreDescriptor;
  list(options: ListOptions): Promise<SessionPage>;
  count(): Promise<number>;
  get(sessionKey: string): Promise<SessionRecord | undefined>;
  close(): Promise<void>;
}
