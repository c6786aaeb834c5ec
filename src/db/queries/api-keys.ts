// API keys: only a SHA-256 hash of each key is stored; the key itself is shown once.
import { asc, eq, isNull, and, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { apiKeys } from '../schema';
import { reusableQuery } from './reusable-query';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(db: Db, row: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [saved] = await db.insert(apiKeys).values(row).onConflictDoNothing().returning();
  return saved ?? (await findApiKeyByHash(db, row.keyHash))!;
}

// Every API request reads it: built once, prepared.
const apiKeyByHash = reusableQuery<ApiKeyRow[]>((h) => h.select().from(apiKeys).where(eq(apiKeys.keyHash, sql.placeholder('keyHash'))));

export async function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  const [row] = await apiKeyByHash(db, { keyHash });
  return row;
}

export async function findApiKeyById(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row;
}

export async function revokeApiKeyById(db: Db, id: string, at: Date): Promise<boolean> {
  const rows = await db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning();
  return rows.length > 0;
}

export async function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt));
}
