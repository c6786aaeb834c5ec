// Stored authorization data (OCPP AuthorizationData: idToken + idTokenInfo + our optional expiry).
// IdTokenType.idToken is case-insensitive: every lookup compares lower(id_token), which the unique
// index id_tokens_identity_idx (lower(id_token), type) serves.
import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { batched, batchRows } from '../statement-batcher';
import { reusableQuery } from './reusable-query';
import { idTokens, remoteStarts } from '../schema';

export type IdTokenRow = typeof idTokens.$inferSelect;
export type NewIdToken = Omit<typeof idTokens.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

const sameValue = (column: typeof idTokens.idToken | typeof idTokens.groupIdToken, value: string) =>
  sql`lower(${column}) = lower(${value})`;

/** The type must match exactly; the value case-insensitively. */
export async function findIdToken(db: Db, idToken: string, type: string): Promise<IdTokenRow | undefined> {
  return lookUpIdToken(db, `${type}\u0000${idToken.toLowerCase()}`, { idToken, type });
}

// The lookups of many Authorize and TransactionEvent messages of one turn: one statement
// (statement-batcher.ts), each lookup answered with its own row.
const selectIdTokens = reusableQuery<Array<{ i: number; row: IdTokenRow }>>((h) => h
  .select({ i: sql<number>`b.i`.as('i'), row: idTokens })
  .from(idTokens)
  .innerJoin(
    sql`(select b.* from ${batchRows(sql`i integer, "idToken" text, type text`)}) as b`,
    sql`lower(${idTokens.idToken}) = lower(b."idToken") and ${idTokens.type} = b.type`,
  ));

const lookUpIdToken = batched<IdTokenRow>({
  maxItems: 64,
  many: async (db, batch) => (await selectIdTokens(db, { batch })).map(({ i, row }) => Object.assign(row, { i })),
  one: async (db, values) => (await selectIdToken(db, values))[0],
});

// Every Authorize and TransactionEvent with a token runs it: built once.
const selectIdToken = reusableQuery<IdTokenRow[]>((h) => h
  .select()
  .from(idTokens)
  .where(and(sql`lower(${idTokens.idToken}) = lower(${sql.placeholder('idToken')})`, eq(idTokens.type, sql.placeholder('type'))))
  .limit(1));

export interface UpsertResult {
  count: number;
  inserted: number;
  updated: number;
}

const identity = (row: Pick<NewIdToken, 'idToken' | 'type'>) => `${row.type}\u0000${row.idToken.toLowerCase()}`;

/**
 * Inserts or replaces many entries in one statement (one jsonb parameter, so no limit on bind
 * parameters). A value repeated in `rows` (case-insensitively, same type) keeps its last entry:
 * ON CONFLICT may not touch one row twice.
 */
export async function upsertIdTokens(db: Db, rows: readonly NewIdToken[], at: Date): Promise<UpsertResult> {
  const unique = new Map<string, NewIdToken>();
  for (const row of rows) unique.set(identity(row), row);
  if (unique.size === 0) return { count: 0, inserted: 0, updated: 0 };
  const records = [...unique.values()].map((r) => ({
    id_token: r.idToken,
    type: r.type,
    additional_info: r.additionalInfo ?? null,
    status: r.status,
    cache_expiry_date_time: r.cacheExpiryDateTime?.toISOString() ?? null,
    charging_priority: r.chargingPriority ?? null,
    language1: r.language1 ?? null,
    language2: r.language2 ?? null,
    evse_ids: r.evseIds ?? null,
    group_id_token: r.groupIdToken ?? null,
    group_id_token_type: r.groupIdTokenType ?? null,
    personal_message: r.personalMessage ?? null,
    expires_at: r.expiresAt?.toISOString() ?? null,
  }));
  const result = await db.execute(sql`
    insert into ${idTokens} (id_token, type, additional_info, status, cache_expiry_date_time, charging_priority,
      language1, language2, evse_ids, group_id_token, group_id_token_type, personal_message, expires_at,
      created_at, updated_at)
    select x.id_token, x.type, x.additional_info, x.status, x.cache_expiry_date_time, x.charging_priority,
      x.language1, x.language2, x.evse_ids, x.group_id_token, x.group_id_token_type, x.personal_message, x.expires_at,
      ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(id_token text, type text, additional_info jsonb,
      status text, cache_expiry_date_time timestamptz, charging_priority integer, language1 text, language2 text,
      evse_ids jsonb, group_id_token text, group_id_token_type text, personal_message jsonb, expires_at timestamptz)
    on conflict (lower(id_token), type) do update set
      id_token = excluded.id_token, additional_info = excluded.additional_info, status = excluded.status,
      cache_expiry_date_time = excluded.cache_expiry_date_time, charging_priority = excluded.charging_priority,
      language1 = excluded.language1, language2 = excluded.language2, evse_ids = excluded.evse_ids,
      group_id_token = excluded.group_id_token, group_id_token_type = excluded.group_id_token_type,
      personal_message = excluded.personal_message, expires_at = excluded.expires_at, updated_at = excluded.updated_at
    returning (xmax = 0) as inserted`);
  // postgres-js answers an array of rows, PGlite an object with `rows`.
  const returned = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ inserted: boolean }>;
  const inserted = returned.filter((r) => r.inserted).length;
  return { count: returned.length, inserted, updated: returned.length - inserted };
}

/** One entry: the bulk statement, then the stored row. */
export async function upsertIdToken(db: Db, row: NewIdToken, at: Date): Promise<IdTokenRow> {
  await upsertIdTokens(db, [row], at);
  return (await findIdToken(db, row.idToken, row.type))!;
}

export async function deleteIdToken(db: Db, idToken: string, type: string): Promise<IdTokenRow | undefined> {
  const [row] = await db
    .delete(idTokens)
    .where(and(sameValue(idTokens.idToken, idToken), eq(idTokens.type, type)))
    .returning();
  return row;
}

export interface IdTokenFilter {
  status?: string | undefined;
  type?: string | undefined;
  groupIdToken?: string | undefined;
  /** Case-insensitive substring of the idToken or its groupIdToken. */
  text?: string | undefined;
}

/** A page in id order (the order of first storage), after the entry with id `afterId`. */
export async function listIdTokens(db: Db, filter: IdTokenFilter, afterId: number | undefined, limit: number): Promise<IdTokenRow[]> {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(idTokens.status, filter.status));
  if (filter.type) where.push(eq(idTokens.type, filter.type));
  if (filter.groupIdToken) where.push(sameValue(idTokens.groupIdToken, filter.groupIdToken));
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(idTokens.idToken, pattern), ilike(idTokens.groupIdToken, pattern))!);
  }
  if (afterId !== undefined) where.push(gt(idTokens.id, afterId));
  return db.select().from(idTokens).where(and(...where)).orderBy(asc(idTokens.id)).limit(limit);
}

/** C09: the members of a group (case-insensitive group value). */
export async function findIdTokensByGroup(db: Db, groupIdToken: string, limit = 1000): Promise<IdTokenRow[]> {
  return db
    .select()
    .from(idTokens)
    .where(sameValue(idTokens.groupIdToken, groupIdToken))
    .orderBy(asc(idTokens.id))
    .limit(limit);
}

/** F01/F02: whether the CSMS sent this idToken to this station in a RequestStartTransaction. */
export async function wasSentInRemoteStart(db: Db, stationId: string, idToken: string, type: string): Promise<boolean> {
  const [row] = await db
    .select({ id: remoteStarts.remoteStartId })
    .from(remoteStarts)
    .where(and(eq(remoteStarts.stationId, stationId), sql`lower(${remoteStarts.idToken}) = lower(${idToken})`, eq(remoteStarts.idTokenType, type)))
    .limit(1);
  return row !== undefined;
}
