/** One item of `lru_crawler metadump`: its key and absolute expiry (undefined = never). */
interface MetadumpItem {
  key: string;
  /** Unix seconds. */
  exp?: number;
}

/**
 * Parses `key=<url-encoded> exp=<unix|-1> la=… cas=… fetch=… cls=… size=…`; undefined for a line
 * of another shape. Keys are URL-encoded by memcached and may be any bytes: one that is not
 * UTF-8 is kept encoded, so it is counted as a non-session key instead of failing the listing.
 */
export function parseMetadumpLine(line: string): MetadumpItem | undefined {
  const m = /^key=(\S+) exp=(-?\d+)/.exec(line);
  if (!m) {
    return undefined;
  }
  const encoded = m[1] ?? '';
  let key: string;
  try {
    key = decodeURIComponent(encoded);
  } catch {
    key = encoded;
  }
  const exp = Number(m[2]);
  return { key, exp: exp < 0 ? undefined : exp };
}
