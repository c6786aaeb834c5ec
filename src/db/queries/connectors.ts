// EVSEs and connectors with their last known status (B01 StatusNotification, G01/G02).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { reusableSql } from './reusable-query';
import { batched, batchRows } from '../statement-batcher';
import { connectors, evses, stations } from '../schema';

export type ConnectorRow = typeof connectors.$inferSelect;
export type EvseRow = typeof evses.$inferSelect;

/** What storing a status read in the same statement: the connector's stored availability (G03/G04). */
export interface AppliedStatus {
  availability: string | null;
  scheduledAvailability: string | null;
  /** Whether an EVSE of the station or the station itself waits for a scheduled availability change. */
  scheduledAbove: boolean;
}

/**
 * Stores a connector status, creating the EVSE and connector when first seen, in ONE statement. A
 * status older than the stored one (a delayed message) does not overwrite it: undefined then.
 */
export async function applyConnectorStatus(
  db: Db, stationId: string, evseId: number, connectorId: number, status: string, at: Date,
): Promise<AppliedStatus | undefined> {
  const row = await storeStatus(db, stationId, { stationId, evseId, connectorId, status, time: at.toISOString() });
  if (!row || !row.applied) return undefined;
  return { availability: row.availability, scheduledAvailability: row.scheduled_availability, scheduledAbove: row.scheduled_above === true };
}

const [$station, $evse, $time] = [sql.placeholder('stationId'), sql.placeholder('evseId'), sql.placeholder('time')];
const upsertConnectorStatus = reusableSql<{ availability: string | null; scheduled_availability: string | null; scheduled_above: boolean }>(sql`
  with new_evse as (
    insert into ${evses} (station_id, evse_id) values (${$station}, ${$evse}) on conflict do nothing
  )
  insert into ${connectors} (station_id, evse_id, connector_id, status, status_at)
  values (${$station}, ${$evse}, ${sql.placeholder('connectorId')}, ${sql.placeholder('status')}, ${$time}::timestamptz)
  on conflict (station_id, evse_id, connector_id) do update set status = excluded.status, status_at = excluded.status_at
    where ${connectors.statusAt} is null or ${connectors.statusAt} <= ${$time}::timestamptz
  returning availability, scheduled_availability,
    (exists (select 1 from ${evses} e where e.station_id = ${$station} and e.scheduled_availability is not null)
      or exists (select 1 from ${stations} s where s.id = ${$station} and s.scheduled_availability is not null)) as scheduled_above`);

type StatusRow = { applied?: boolean; availability: string | null; scheduled_availability: string | null; scheduled_above: boolean };

// The statuses of many stations in one statement (statement-batcher.ts); one per station at most,
// so no connector is upserted twice by it.
const upsertConnectorStatuses = reusableSql<StatusRow & { i: number }>(sql`
  with b as (
    select b.* from ${batchRows(sql`i integer, "stationId" text, "evseId" integer, "connectorId" integer, status text, time timestamptz`)}),
  new_evse as (
    insert into ${evses} (station_id, evse_id) select "stationId", "evseId" from b on conflict do nothing),
  up as (
    insert into ${connectors} (station_id, evse_id, connector_id, status, status_at)
    select "stationId", "evseId", "connectorId", status, time from b
    on conflict (station_id, evse_id, connector_id) do update set status = excluded.status, status_at = excluded.status_at
      where ${connectors.statusAt} is null or ${connectors.statusAt} <= excluded.status_at
    returning station_id, evse_id, connector_id, availability, scheduled_availability)
  select b.i, up.station_id is not null as applied, up.availability, up.scheduled_availability,
    (exists (select 1 from ${evses} e where e.station_id = b."stationId" and e.scheduled_availability is not null)
      or exists (select 1 from ${stations} s where s.id = b."stationId" and s.scheduled_availability is not null)) as scheduled_above
  from b left join up on up.station_id = b."stationId" and up.evse_id = b."evseId" and up.connector_id = b."connectorId"`);

const storeStatus = batched<StatusRow>({
  maxItems: 64,
  many: (db, batch) => upsertConnectorStatuses(db, { batch }),
  one: async (db, values) => {
    const [row] = await upsertConnectorStatus(db, values);
    return row && { applied: true, ...row };
  },
});

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
