// Station identity from the connection URL (Part 4 §3.1.1): the percent-decoded last path
// segment, an identifierString of at most 48 characters without ':' (it is the Basic-auth user).
const IDENTITY = /^[A-Za-z0-9*\-_=+|@.]{1,48}$/;

export function stationIdFromPath(pathname: string, prefix: string): string | undefined {
  if (!pathname.startsWith(prefix)) return undefined;
  const segment = pathname.slice(prefix.length);
  if (segment.length === 0 || segment.includes('/')) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function isValidIdentity(id: string): boolean {
  return IDENTITY.test(id);
}

/** Credentials from `Authorization: Basic …`; the password may contain ':' (split at the first). */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function offeredProtocols(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  return raw.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}
