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

export async function authenticateKey(services: Pick<Services, 'db'>, key: string | undefined): Promise<Principal | undefined> {
  if (!key || key.length > 200) return undefined;
  const row = await findApiKeyByHash(services.db, hashKey(key));
  if (!row || row.revokedAt) return undefined;
  return { keyId: row.id, role: row.role as Role, idTokens: row.idTokens ?? [] };
}
