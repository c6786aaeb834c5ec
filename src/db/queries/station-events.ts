// NotifyEvent data (B15/N07), stored one row per event.
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { stationEvents } from '../schema';

export type StationEventRow = typeof stationEvents.$inferSelect;
export type NewStationEvent = typeof stationEvents.$inferInsert;

export async function recordStationEvents(db: Db, rows: NewStationEvent[]): Promise<StationEventRow[]> {
  if (rows.length === 0) return [];
  return db.insert(stationEvents).values(rows).returning();
}

export async function listStationEvents(db: Db, stationId: string, limit: number): Promise<StationEventRow[]> {
  return db
    .select()
    .from(stationEvents)
    .where(eq(stationEvents.stationId, stationId))
    .orderBy(desc(stationEvents.timestamp), desc(stationEvents.id))
    .limit(limit);
}

export async function findStationEvents(db: Db, ids: readonly number[]): Promise<StationEventRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(stationEvents).where(inArray(stationEvents.id, [...ids]));
}
