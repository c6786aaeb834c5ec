// API keys: random, shown once, stored as a SHA-256 hash, revocable. Bearer tokens on HTTP and
// `connectionParams.authorization` on graphql-ws.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Services } from '../blocks/services';
import { AuthorizationDataError, checkIdToken } from '../blocks/authorization/authorization-data';
import { findApiKeyByHash, insertApiKey, type ApiKeyRow } from '../db/queries/api-keys';

/** Staff roles, each including the one before it. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
/** A mobile app's key: sees and controls only the sessions of its own idTokens. */
export const DRIVER_ROLE = 'driver' as const;
export type Role = (typeof ROLES)[number] | typeof DRIVER_ROLE;

export interface BoundIdToken {
  idToken: string;
  type: string;
}

export interface Principal {
  keyId: string;
  role: Role;
  /** Only for the driver role. */
  idTokens: BoundIdToken[];
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const MAX_DRIVER_ID_TOKENS = 100;

/** Issue 3 §5: a driver key is bound to 1–100 idTokens; other roles to none. Throws AuthorizationDataError. */
export function boundIdTokens(role: Role, idTokens: readonly BoundIdToken[] = []): BoundIdToken[] {
  if (role !== DRIVER_ROLE) {
    if (idTokens.length > 0) throw new AuthorizationDataError('idTokens are only for the driver role');
    return [];
  }
  if (idTokens.length === 0 || idTokens.length > MAX_DRIVER_ID_TOKENS) {
    throw new AuthorizationDataError(`a driver key needs 1 to ${MAX_DRIVER_ID_TOKENS} idTokens`);
  }
  return idTokens.map((t, i) => checkIdToken(t, `idTokens[${i}]`));
}

export async function createApiKey(
  services: Pick<Services, 'db'>, name: string, role: Role, idTokens: BoundIdToken[] = [],
): Promise<{ key: string; apiKey: ApiKeyRow }> {
  const bound = boundIdTokens(role, idTokens);
  const key = `cg_${randomBytes(32).toString('base64url')}`;
  const apiKey = await insertApiKey(services.db, {
    id: randomUUID(), name, role, keyHash: hashKey(key), idTokens: role === DRIVER_ROLE ? bound : null,
  });
  return { key, apiKey };
}

/** CSMS_ADMIN_API_KEY: an admin key for automation, created at start when not yet stored. */
export async function ensureSeedApiKey(services: Pick<Services, 'db' | 'config'>): Promise<void> {
  const key = services.config.adminApiKey;
  if (!key) return;
  await insertApiKey(services.db, { id: randomUUID(), name: 'CSMS_ADMIN_API_KEY', role: 'admin', keyHash: hashKey(key) });
}

export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

// A key found valid is remembered for API_KEY_CACHE_MS, so an app's steady requests do not each
// read the database (on PGlite a read costs ~0.5 ms of the event loop). Revoked through this
// process's API, a key is forgotten at once; revoked by another process (the CLI), it is refused
// within API_KEY_CACHE_MS. Entries are keyed by the key's hash, never the key.
export const API_KEY_CACHE_MS = 2000;
const API_KEY_CACHE_MAX = 1000;
const verifiedKeys = new WeakMap<object, Map<string, { principal: Principal; until: number }>>();

function cacheOf(db: object) {
  let cache = verifiedKeys.get(db);
  if (!cache) verifiedKeys.set(db, (cache = new Map()));
  return cache;
}

export async function authenticateKey(services: Pick<Services, 'db'>, key: string | undefined): Promise<Principal | undefined> {
  if (!key || key.length > 200) return undefined;
  const hash = hashKey(key);
  const cache = cacheOf(services.db);
  const hit = cache.get(hash);
  if (hit && hit.until > Date.now()) return hit.principal;
  cache.delete(hash);
  const row = await findApiKeyByHash(services.db, hash);
  if (!row || row.revokedAt) return undefined;
  const principal: Principal = Object.freeze({ keyId: row.id, role: row.role as Role, idTokens: Object.freeze(row.idTokens ?? []) as BoundIdToken[] });
  if (cache.size >= API_KEY_CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(hash, { principal, until: Date.now() + API_KEY_CACHE_MS });
  return principal;
}

/** After a revocation: the key is refused from the next request on. */
export function forgetApiKey(services: Pick<Services, 'db'>, keyId: string): void {
  const cache = verifiedKeys.get(services.db);
  if (!cache) return;
  for (const [hash, entry] of cache) if (entry.principal.keyId === keyId) cache.delete(hash);
}
