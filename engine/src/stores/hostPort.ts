/** A host as a URL writes it: an IPv6 address in brackets (`[::1]`), so its colons are not taken for the port's. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** `host:port` for people, an IPv6 address bracketed: `[::1]:5432`, not `::1:5432`. */
export function hostPort(host: string, port: number | string): string {
  return `${urlHost(host)}:${port}`;
}
