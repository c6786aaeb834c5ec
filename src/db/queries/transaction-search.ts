// Listing transactions: filters, a driver's own idTokens, keyset paging newest start first.
import { and, asc, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { stations, transactions } from '../schema';
import type { TransactionRow } from './transaction-fold';

export interface TransactionFilter {
  stationId?: string | undefined;
  evseId?: number | undefined;
  /** The start idToken, case-insensitive (IdTokenType.idToken). */
  idToken?: string | undefined;
  active?: boolean | undefined;
  /** Started at or after. */
  from?: Date | undefined;
  /** Started before. */
  to?: Date | undefined;
  /** Only transactions started by one of these tokens (a driver's key); an empty list matches none. */
  ownedBy?: ReadonlyArray<{ idToken: string; type: string }> | undefined;
}

/** Position after which the next page starts (the last row of the previous page). */
export interface TransactionCursor {
  startedAt: Date;
  stationId: string;
  transactionId: string;
}

const t = transactions;

function conditions(filter: TransactionFilter): SQL[] {
  const where: SQL[] = [];
  // Station ids are case-insensitive: resolve the stored spelling once (index), then use the key.
  if (filter.stationId !== undefined) {
    where.push(sql`${t.stationId} = (select ${stations.id} from ${stations} where lower(${stations.id}) = lower(${filter.stationId}))`);
  }
  if (filter.evseId !== undefined) where.push(eq(t.evseId, filter.evseId));
  if (filter.idToken !== undefined) where.push(sql`lower(${t.idToken}) = lower(${filter.idToken})`);
  if (filter.active !== undefined) where.push(eq(t.active, filter.active));
  if (filter.from) where.push(gte(t.startedAt, filter.from));
  if (filter.to) where.push(lt(t.startedAt, filter.to));
  if (filter.ownedBy) {
    const owned = filter.ownedBy.map((o) => and(sql`lower(${t.idToken}) = lower(${o.idToken})`, eq(t.idTokenType, o.type))!);
    where.push(owned.length > 0 ? or(...owned)! : sql`false`);
  }
  return where;
}

export async function listTransactions(
  db: Db, filter: TransactionFilter, after: TransactionCursor | undefined, limit: number,
): Promise<TransactionRow[]> {
  const where = conditions(filter);
  if (after) {
    const at = after.startedAt.toISOString();
    where.push(sql`(${t.startedAt} < ${at}::timestamptz or (${t.startedAt} = ${at}::timestamptz and (${t.stationId}, ${t.transactionId}) > (${after.stationId}, ${after.transactionId})))`);
  }
  return db
    .select()
    .from(t)
    .where(and(...where))
    // startedAt is set by the fold in the transaction that creates the row, so never null here.
    .orderBy(desc(t.startedAt), asc(t.stationId), asc(t.transactionId))
    .limit(limit);
}

export function cursorOf(row: TransactionRow): TransactionCursor {
  return { startedAt: row.startedAt ?? new Date(0), stationId: row.stationId, transactionId: row.transactionId };
}

/** One transaction by station (case-insensitive) and transactionId, optionally only a driver's own. */
export async function findVisibleTransaction(
  db: Db, stationId: string, transactionId: string, ownedBy?: TransactionFilter['ownedBy'],
): Promise<TransactionRow | undefined> {
  const where = [...conditions({ stationId, ownedBy }), eq(t.transactionId, transactionId)];
  const [row] = await db.select().from(t).where(and(...where)).limit(1);
  return row;
}
