// EVSEs and connectors with their last known status (B01 StatusNotification, G01/G02).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { connectors, evses } from '../schema';

export type ConnectorRow = typeof connectors.$inferSelect;
export type EvseRow = typeof evses.$inferSelect;

/**
 * Stores a connector status, creating the EVSE and connector when first seen. A status older than
 * the stored one (a delayed message) does not overwrite it. Returns whether the status was applied.
 */
export async function applyConnectorStatus(
  db: Db, stationId: string, evseId: number, connectorId: number, status: string, at: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.insert(evses).values({ stationId, evseId }).onConflictDoNothing();
    const rows = await tx
      .insert(connectors)
      .values({ stationId, evseId, connectorId, status, statusAt: at })
      .onConflictDoUpdate({
        target: [connectors.stationId, connectors.evseId, connectors.connectorId],
        set: { status, statusAt: at },
        setWhere: sql`${connectors.statusAt} is null or ${connectors.statusAt} <= ${at.toISOString()}::timestamptz`,
      })
      .returning({ evseId: connectors.evseId });
    return rows.length > 0;
  });
}

export async function evsesOfStations(db: Db, stationIds: readonly string[]): Promise<EvseRow[]> {
  if (stationIds.length === 0) return [];
  return db.select().from(evses).where(inArray(evses.stationId, [...stationIds])).orderBy(asc(evses.evseId));
}

export async function connectorsOfStations(db: Db, stationIds: readonly string[]): Promise<ConnectorRow[]> {
  if (stationIds.length === 0) return [];
  return db
    .select()
    .from(connectors)
    .where(inArray(connectors.stationId, [...stationIds]))
    .orderBy(asc(connectors.evseId), asc(connectors.connectorId));
}

export async function findConnector(db: Db, stationId: string, evseId: number, connectorId: number) {
  const [row] = await db
    .select()
    .from(connectors)
    .where(and(eq(connectors.stationId, stationId), eq(connectors.evseId, evseId), eq(connectors.connectorId, connectorId)));
  return row;
}
