import type { StoreInfo } from '../../server/src/protocol';

/**
 * Whether a store keeps sessions that can be listed, cleared or deleted: signed_cookies keeps
 * each session in its visitor's browser, where only a pasted cookie can be read.
 */
export function keepsSessions(store: StoreInfo): boolean {
  return store.engine !== 'signed_cookies';
}
