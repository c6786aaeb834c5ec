// API keys: random, shown once, stored as a SHA-256 hash, revocable. Bearer tokens on HTTP and
// `connectionParams.authorization` on graphql-ws.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Services } from '../blocks/services';
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

export async function createApiKey(
  services: Pick<Services, 'db'>, name: string, role: Role, idTokens: BoundIdToken[] = [],
): Promise<{ key: string; apiKey: ApiKeyRow }> {
  const key = `cg_${randomBytes(32).toString('base64url')}`;
  const apiKey = await insertApiKey(services.db, {
    id: randomUUID(), name, role, keyHash: hashKey(key), idTokens: role === DRIVER_ROLE ? idTokens : null,
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
