// A04 security events: what stations reported and what the CSMS recorded about refused connections.
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { securityEvents } from '../schema';

export type SecurityEventRow = typeof securityEvents.$inferSelect;
export type NewSecurityEvent = typeof securityEvents.$inferInsert;

export async function recordSecurityEvent(db: Db, values: NewSecurityEvent): Promise<SecurityEventRow> {
  const [row] = await db.insert(securityEvents).values(values).returning();
  return row!;
}

export interface SecurityEventFilter {
  stationId?: string | undefined;
  criticalOnly?: boolean | undefined;
}

/** Newest first (by id, i.e. by arrival); `before` is the id of the last row of the previous page. */
export async function listSecurityEvents(
  db: Db,
  filter: SecurityEventFilter,
  before: number | undefined,
  limit: number,
): Promise<SecurityEventRow[]> {
  const where: SQL[] = [];
  if (filter.stationId !== undefined) where.push(eq(securityEvents.stationId, filter.stationId));
  if (filter.criticalOnly) where.push(eq(securityEvents.critical, true));
  if (before !== undefined) where.push(lt(securityEvents.id, before));
  return db.select().from(securityEvents).where(and(...where)).orderBy(desc(securityEvents.id)).limit(limit);
}

export async function findSecurityEvents(db: Db, ids: readonly number[]): Promise<SecurityEventRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(securityEvents).where(inArray(securityEvents.id, [...ids]));
}
