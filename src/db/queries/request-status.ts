// The status history of tracked requests: every FirmwareStatusNotification, PublishFirmwareStatusNotification
// and LogStatusNotification, in arrival order (kinds 'firmware', 'publish', 'log').
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { requestStatusEvents } from '../schema';

export type RequestStatusKind = 'firmware' | 'publish' | 'log';
export type RequestStatusEventRow = typeof requestStatusEvents.$inferSelect;

export async function recordRequestStatus(
  db: Db, stationId: string, kind: RequestStatusKind, requestId: number | null, status: string, locations: string[] | null = null,
): Promise<RequestStatusEventRow> {
  const [row] = await db.insert(requestStatusEvents).values({ stationId, kind, requestId, status, locations }).returning();
  return row!;
}

export async function findRequestStatusEvent(db: Db, id: number): Promise<RequestStatusEventRow | undefined> {
  const [row] = await db.select().from(requestStatusEvents).where(eq(requestStatusEvents.id, id));
  return row;
}

/** The histories of several requests of one station, oldest first. */
export async function statusHistories(
  db: Db, stationId: string, kind: RequestStatusKind, requestIds: readonly number[],
): Promise<Map<number, RequestStatusEventRow[]>> {
  const out = new Map<number, RequestStatusEventRow[]>(requestIds.map((id) => [id, []]));
  if (requestIds.length === 0) return out;
  const rows = await db
    .select()
    .from(requestStatusEvents)
    .where(and(eq(requestStatusEvents.stationId, stationId), eq(requestStatusEvents.kind, kind), inArray(requestStatusEvents.requestId, [...requestIds])))
    .orderBy(asc(requestStatusEvents.id));
  for (const row of rows) out.get(row.requestId!)?.push(row);
  return out;
}

/** The last notification of this kind from the station, any request (a triggered Idle included). */
export async function lastRequestStatus(db: Db, stationId: string, kind: RequestStatusKind): Promise<RequestStatusEventRow | undefined> {
  const [row] = await db
    .select()
    .from(requestStatusEvents)
    .where(and(eq(requestStatusEvents.stationId, stationId), eq(requestStatusEvents.kind, kind)))
    .orderBy(desc(requestStatusEvents.id))
    .limit(1);
  return row;
}

