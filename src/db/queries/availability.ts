// Stored availability (G03/G04) of a station, its EVSEs and connectors: the current operational
// status and a scheduled change of each level.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { connectors, evses, stations } from '../schema';
import { reusableQuery } from './reusable-query';

export interface StoredLevel {
  availability: string | null;
  scheduledAvailability: string | null;
}

export interface StoredAvailability {
  station: StoredLevel;
  evses: Array<{ evseId: number } & StoredLevel>;
  connectors: Array<{ evseId: number; connectorId: number; status: string | null } & StoredLevel>;
}

export async function loadAvailability(db: Db, stationId: string): Promise<StoredAvailability> {
  const [station] = await db
    .select({ availability: stations.availability, scheduledAvailability: stations.scheduledAvailability })
    .from(stations)
    .where(eq(stations.id, stationId));
  const evseRows = await db
    .select({ evseId: evses.evseId, availability: evses.availability, scheduledAvailability: evses.scheduledAvailability })
    .from(evses)
    .where(eq(evses.stationId, stationId))
    .orderBy(asc(evses.evseId));
  const connectorRows = await db
    .select({
      evseId: connectors.evseId, connectorId: connectors.connectorId, status: connectors.status,
      availability: connectors.availability, scheduledAvailability: connectors.scheduledAvailability,
    })
    .from(connectors)
    .where(eq(connectors.stationId, stationId))
    .orderBy(asc(connectors.evseId), asc(connectors.connectorId));
  return { station: station ?? { availability: null, scheduledAvailability: null }, evses: evseRows, connectors: connectorRows };
}

export interface AvailabilityWrite extends StoredLevel {
  evseId: number | null;
  connectorId: number | null;
}

const updateConnectorLevel = reusableQuery<unknown>((h) => h
  .update(connectors)
  .set({ availability: sql`${sql.placeholder('availability')}`, scheduledAvailability: sql`${sql.placeholder('scheduledAvailability')}` })
  .where(and(
    eq(connectors.stationId, sql.placeholder('stationId')), eq(connectors.evseId, sql.placeholder('evseId')),
    eq(connectors.connectorId, sql.placeholder('connectorId')),
  )));

/** One connector's level when its row exists (a StatusNotification just stored it): one prepared statement. */
export async function saveConnectorAvailability(db: Db, stationId: string, evseId: number, connectorId: number, level: StoredLevel): Promise<void> {
  await updateConnectorLevel(db, { stationId, evseId, connectorId, availability: level.availability, scheduledAvailability: level.scheduledAvailability });
}

/** Writes each level in one transaction, creating EVSEs and connectors not seen before. */
export async function saveAvailability(db: Db, stationId: string, writes: readonly AvailabilityWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await db.transaction(async (tx) => {
    for (const { evseId, connectorId, ...level } of writes) {
      if (evseId === null) {
        await tx.update(stations).set(level).where(eq(stations.id, stationId));
        continue;
      }
      if (connectorId === null) {
        await tx
          .insert(evses)
          .values({ stationId, evseId, ...level })
          .onConflictDoUpdate({ target: [evses.stationId, evses.evseId], set: level });
        continue;
      }
      await tx.insert(evses).values({ stationId, evseId }).onConflictDoNothing();
      await tx
        .insert(connectors)
        .values({ stationId, evseId, connectorId, ...level })
        .onConflictDoUpdate({ target: [connectors.stationId, connectors.evseId, connectors.connectorId], set: level });
    }
  });
}
