/**
 * Whether a SQLite database name is one Django keeps in memory: `:memory:`, or a URI name with
 * `mode=memory` (the test database Django creates), as Django's `is_in_memory_db` tells them.
 */
export function isInMemoryDatabase(name: string): boolean {
  return name === ':memory:' || name.includes('mode=memory');
}
