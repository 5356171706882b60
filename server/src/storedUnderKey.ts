/**
 * Live sessions of one store that hold a key: after the key is renamed in the code, Django looks
 * their value up under the new name and finds nothing. `complete` is false when only part of
 * the store was read in the time a rename can wait.
 */
export interface StoredUnderKey {
  store: string;
  holding: number;
  complete: boolean;
  /** How many of the store's live sessions were read. */
  read: number;
}
