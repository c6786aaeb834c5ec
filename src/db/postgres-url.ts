// libpq's way of naming a Unix-domain socket in a URL, `postgres://user@localhost/db?host=/var/run/postgresql`,
// which postgres.js does not read: it would send `host` to the server as a run-time parameter.
// On the same machine a Unix socket costs the CSMS far less CPU per statement than loopback TCP.

export interface PostgresTarget {
  /** The URL without the socket directory. */
  url: string;
  /** postgres.js `host`: a directory makes it connect to `<dir>/.s.PGSQL.<port>`. */
  host?: string;
}

export function postgresTarget(url: string): PostgresTarget {
  const parsed = new URL(url);
  const dir = parsed.searchParams.get('host');
  if (dir === null || !dir.startsWith('/')) return { url };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), host: dir };
}
