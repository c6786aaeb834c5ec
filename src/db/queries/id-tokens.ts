// Stored authorization data (OCPP AuthorizationData: idToken + idTokenInfo + our optional expiry).
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { idTokens } from '../schema';

export type IdTokenRow = typeof idTokens.$inferSelect;
export type NewIdToken = typeof idTokens.$inferInsert;

/** IdTokenType.idToken is case-insensitive; the type must match exactly. */
export async function findIdToken(db: Db, idToken: string, type: string): Promise<IdTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(idTokens)
    .where(and(sql`lower(${idTokens.idToken}) = lower(${idToken})`, eq(idTokens.type, type)))
    .limit(1);
  return row;
}
