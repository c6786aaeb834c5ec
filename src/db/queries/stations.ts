// Stations: provisioning, authentication lookups, boot records, last-seen.
import { and, asc, desc, eq, gt, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { bootNotifications, stations } from '../schema';
import { foldCacheOf } from './transaction-fold-cache';
import { reusableQuery, reusableSql } from './reusable-query';

export type StationRow = typeof stations.$inferSelect;
export type NewStation = typeof stations.$inferInsert;
export type BootRow = typeof bootNotifications.$inferSelect;

// Every command and station lookup reads it: built once, prepared.
const stationById = reusableQuery<StationRow[]>((h) =>
  h.select().from(stations).where(sql`lower(${stations.id}) = lower(${sql.placeholder('id')})`).limit(1));

export async function findStation(db: Db, id: string): Promise<StationRow | undefined> {
  const [row] = await stationById(db, { id });
  return row;
}

export async function findStationsByIds(db: Db, ids: readonly string[]): Promise<StationRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(stations).where(inArray(stations.id, [...ids]));
}

export async function insertStation(db: Db, values: NewStation): Promise<StationRow> {
  const [row] = await db.insert(stations).values(values).returning();
  return row!;
}

export async function updateStationFields(db: Db, id: string, values: Partial<NewStation>): Promise<StationRow | undefined> {
  const [row] = await db
    .update(stations)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(stations.id, id))
    .returning();
  return row;
}

export async function deleteStationById(db: Db, id: string): Promise<boolean> {
  const rows = await db.delete(stations).where(eq(stations.id, id)).returning({ id: stations.id });
  foldCacheOf(db).forgetStation(id);
  return rows.length > 0;
}

export interface StationFilter {
  ids?: string[] | undefined;
  registrationStatus?: string | undefined;
  text?: string | undefined;
}

export async function listStations(db: Db, filter: StationFilter, after: string | undefined, limit: number): Promise<StationRow[]> {
  const where: SQL[] = [];
  if (filter.ids) where.push(inArray(stations.id, filter.ids));
  if (filter.registrationStatus === 'None') where.push(isNull(stations.registrationStatus));
  else if (filter.registrationStatus) where.push(eq(stations.registrationStatus, filter.registrationStatus));
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(stations.id, pattern), ilike(stations.model, pattern), ilike(stations.vendorName, pattern))!);
  }
  if (after !== undefined) where.push(gt(stations.id, after));
  return db.select().from(stations).where(and(...where)).orderBy(asc(stations.id)).limit(limit);
}

export interface BootReport {
  reason: string;
  model: string;
  vendorName: string;
  serialNumber?: string | undefined;
  firmwareVersion?: string | undefined;
  iccid?: string | undefined;
  imsi?: string | undefined;
}

// The boot's history row and the station's reported fields, in ONE prepared statement (atomic on
// its own): as a transaction it was four round trips in every boot of a storm.
const storeBoot = reusableSql(sql`with history as (
    insert into ${bootNotifications} (station_id, reason, model, vendor_name, serial_number, firmware_version, iccid, imsi, status, received_at)
    values (${sql.placeholder('stationId')}, ${sql.placeholder('reason')}, ${sql.placeholder('model')}, ${sql.placeholder('vendorName')},
      ${sql.placeholder('serialNumber')}::text, ${sql.placeholder('firmwareVersion')}::text, ${sql.placeholder('iccid')}::text,
      ${sql.placeholder('imsi')}::text, ${sql.placeholder('status')}, ${sql.placeholder('at')}::timestamptz))
  update ${stations} set registration_status = ${sql.placeholder('status')}, model = ${sql.placeholder('model')},
    vendor_name = ${sql.placeholder('vendorName')}, serial_number = coalesce(${sql.placeholder('serialNumber')}::text, serial_number),
    firmware_version = ${sql.placeholder('firmwareVersion')}::text, iccid = ${sql.placeholder('iccid')}::text,
    imsi = ${sql.placeholder('imsi')}::text, last_boot_at = ${sql.placeholder('at')}::timestamptz,
    last_seen_at = ${sql.placeholder('at')}::timestamptz, updated_at = ${sql.placeholder('at')}::timestamptz
  where id = ${sql.placeholder('stationId')}`);

/** Stores a BootNotification and the answer given; a serial number not reported keeps the stored one. */
export async function recordBoot(db: Db, stationId: string, boot: BootReport, status: string, at: Date): Promise<void> {
  await storeBoot(db, {
    stationId, reason: boot.reason, model: boot.model, vendorName: boot.vendorName, serialNumber: boot.serialNumber ?? null,
    firmwareVersion: boot.firmwareVersion ?? null, iccid: boot.iccid ?? null, imsi: boot.imsi ?? null, status, at: at.toISOString(),
  });
}

export async function bootHistory(db: Db, stationId: string, limit: number): Promise<BootRow[]> {
  return db
    .select()
    .from(bootNotifications)
    .where(eq(bootNotifications.stationId, stationId))
    .orderBy(desc(bootNotifications.receivedAt), desc(bootNotifications.id))
    .limit(limit);
}

/** Stations per last-seen statement: PGlite runs a statement on the event loop, ~15 µs a station. */
export const LAST_SEEN_BATCH = 500;

/**
 * The stations seen since the last flush (no write per heartbeat), LAST_SEEN_BATCH per statement.
 * Each list goes in as one JSON parameter: a parameter pair per station took ~100 ms of CPU to build
 * for 5,000 stations and would pass the protocol's 65,535-parameter limit past 32,767 stations.
 */
export async function saveLastSeen(db: Db, seen: Array<[string, Date]>): Promise<void> {
  for (let start = 0; start < seen.length; start += LAST_SEEN_BATCH) {
    const list = JSON.stringify(seen.slice(start, start + LAST_SEEN_BATCH).map(([id, at]) => ({ id, at: at.toISOString() })));
    await db.execute(sql`
      update ${stations} set last_seen_at = v.at
      from json_to_recordset(${list}::text::json) as v(id text, at timestamptz)
      where ${stations.id} = v.id and (${stations.lastSeenAt} is null or ${stations.lastSeenAt} < v.at)`);
  }
}
