/** Compare-and-swap on a whole value: Django has no locks, so we write only what we read. */
export const REPLACE_IF_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], ARGV[3], ARGV[4])
  return 1
end
return 0`;

/** Deletes only the value we read, so a session Django just rewrote survives. */
export const DELETE_IF_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;
