// Sampled values (block J): from MeterValues (J01, evseId 0 = main meter) and from TransactionEvents
// (J02), stored one row per sampled value with every field, queryable as a time series.
import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { MeterValueType } from '../../ocpp/generated/types';
import type { Db } from '../client';
import { sampledValues } from '../schema';
import { parseOcppTime } from '../../ocpp/rpc/date-time';
import { batched } from '../statement-batcher';
import { reusableQuery, reusableSql, type Handle } from './reusable-query';

export type SampledValueRow = typeof sampledValues.$inferSelect;
export type NewSampledValue = typeof sampledValues.$inferInsert;

export interface SampleOrigin {
  stationId: string;
  evseId: number;
  transactionId: string | null;
  transactionEventId: number | null;
}

/**
 * One row per sampled value. OCPP defaults are stored explicitly (measurand
 * Energy.Active.Import.Register, location Outlet, context Sample.Periodic, unit Wh for energy, multiplier 0).
 */
export function sampledValueRows(meterValues: MeterValueType[] | undefined, origin: SampleOrigin): NewSampledValue[] {
  const rows: NewSampledValue[] = [];
  for (const meterValue of meterValues ?? []) {
    const timestamp = parseOcppTime(meterValue.timestamp);
    for (const s of meterValue.sampledValue) {
      const measurand = s.measurand ?? 'Energy.Active.Import.Register';
      // Written out, not `...origin`: V8 (Node 20) builds a literal that spreads and then adds
      // properties on a slow path, ~7 µs for this one.
      rows.push({
        stationId: origin.stationId,
        evseId: origin.evseId,
        transactionId: origin.transactionId,
        transactionEventId: origin.transactionEventId,
        timestamp,
        value: s.value,
        measurand,
        phase: s.phase ?? null,
        location: s.location ?? 'Outlet',
        context: s.context ?? 'Sample.Periodic',
        // UnitOfMeasureType: unit defaults to Wh for Energy measurands.
        unit: s.unitOfMeasure?.unit ?? (measurand.startsWith('Energy.') ? 'Wh' : null),
        multiplier: s.unitOfMeasure?.multiplier ?? 0,
        signedMeterValue: s.signedMeterValue
          ? {
              signedMeterData: s.signedMeterValue.signedMeterData,
              signingMethod: s.signedMeterValue.signingMethod,
              encodingMethod: s.signedMeterValue.encodingMethod,
              publicKey: s.signedMeterValue.publicKey,
            }
          : null,
      });
    }
  }
  return rows;
}


const sv = sampledValues;
/** What an insert returns: the id and what the transaction fold reads of an energy reading. */
export const insertedSampleColumns = {
  id: sv.id, timestamp: sv.timestamp, value: sv.value, unit: sv.unit, multiplier: sv.multiplier, context: sv.context,
  phase: sv.phase, location: sv.location, measurand: sv.measurand,
};
export type InsertedSample = { [K in keyof typeof insertedSampleColumns]: (typeof insertedSampleColumns)[K]['_']['data'] };

// Any number of rows through one statement text, prepared once: the rows go in as one JSON
// parameter (a multi-row VALUES list is new SQL for every row count and costs more CPU to build
// than the database spends storing it). Every insertable column, in table order, as drizzle lists them.
export const sampleRecord = sql.raw(
  'v(station_id text, evse_id integer, transaction_id text, transaction_event_id bigint, "timestamp" timestamptz, value double precision, ' +
  'measurand text, phase text, location text, context text, unit text, multiplier integer, signed_meter_value jsonb)',
);
/** A sampled_values row, every column in table order, from `v` (read through `sampleRecord`): on EVSE `evseId`, of event `eventId`. */
export const sampleRowFrom = (evseId: SQL, eventId: SQL) => sql`nextval('sampled_values_id_seq'), v.station_id, ${evseId}, v.transaction_id,
  ${eventId}, v."timestamp", v.value, v.measurand, v.phase, v.location, v.context, v.unit, v.multiplier, v.signed_meter_value, now()`;
const ownEvseAndEvent = sampleRowFrom(sql`v.evse_id`, sql`v.transaction_event_id`);

const insertSampleRows = reusableQuery<InsertedSample[]>((h) => h
  .insert(sampledValues)
  .select(sql`select ${ownEvseAndEvent} from json_to_recordset(${sql.placeholder('rows')}::text::json) as ${sampleRecord}`)
  .returning(insertedSampleColumns));

/** Stores sampled values (on the database or inside a transaction), in order; ids ascend with it. */
export async function insertSampledValues(handle: Handle, rows: NewSampledValue[]): Promise<InsertedSample[]> {
  if (rows.length === 0) return [];
  return insertSampleRows(handle, { rows: sampleRowsJson(rows) });
}

/** The rows as the one JSON parameter read through `sampleRecord`. */
export function sampleRowsJson(rows: NewSampledValue[]): string {
  return JSON.stringify(rows.map((r) => ({
    station_id: r.stationId, evse_id: r.evseId, transaction_id: r.transactionId ?? null, transaction_event_id: r.transactionEventId ?? null,
    timestamp: r.timestamp.toISOString(), value: r.value, measurand: r.measurand, phase: r.phase ?? null, location: r.location,
    context: r.context, unit: r.unit ?? null, multiplier: r.multiplier ?? null, signed_meter_value: r.signedMeterValue ?? null,
  })));
}

// The MeterValues of many stations in one statement (statement-batcher.ts), one per station at most:
// each request's ids are those of its station's rows.
const insertSampleBatch = reusableSql<{ i: number; ids: string | number[] }>(sql`
  with b as (select * from json_to_recordset(${sql.placeholder('batch')}::text::json) as b(i integer, "stationId" text, rows text)),
  s as (
    insert into ${sampledValues} select ${ownEvseAndEvent} from b cross join json_to_recordset(b.rows::json) as ${sampleRecord}
    returning id, station_id)
  select b.i, (select coalesce(json_agg(s.id order by s.id), '[]'::json) from s where s.station_id = b."stationId") as ids from b`);

const storeMeterValues = batched<{ ids: string | number[] }>({
  maxItems: 64,
  many: (db, batch) => insertSampleBatch(db, { batch }),
  one: async (db, values) => ({ ids: (await insertSampleRows(db, values)).map((r) => r.id) }),
});

/** J01: stores the sampled values of one MeterValues request; returns their ids. */
export async function recordSampledValues(db: Db, rows: NewSampledValue[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const stored = await storeMeterValues(db, rows[0]!.stationId, { stationId: rows[0]!.stationId, rows: sampleRowsJson(rows) });
  const ids = typeof stored?.ids === 'string' ? (JSON.parse(stored.ids) as number[]) : (stored?.ids ?? []);
  return ids.map(Number);
}

export interface SampleFilter {
  measurand?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

function filtered(base: SQL[], filter: SampleFilter): SQL | undefined {
  const where = [...base];
  if (filter.measurand) where.push(eq(sampledValues.measurand, filter.measurand));
  if (filter.from) where.push(gte(sampledValues.timestamp, filter.from));
  if (filter.to) where.push(lt(sampledValues.timestamp, filter.to));
  return and(...where);
}

/** A transaction's samples in time order (earliest first within [from, to)). */
export async function sampledValuesOfTransaction(
  db: Db, stationId: string, transactionId: string, filter: SampleFilter, limit: number,
): Promise<SampledValueRow[]> {
  return db
    .select()
    .from(sampledValues)
    .where(filtered([eq(sampledValues.stationId, stationId), eq(sampledValues.transactionId, transactionId)], filter))
    .orderBy(asc(sampledValues.timestamp), asc(sampledValues.id))
    .limit(limit);
}

/** A station's samples (one EVSE, or all; 0 = main meter) in time order within [from, to). */
export async function sampledValuesOfStation(
  db: Db, stationId: string, evseId: number | undefined, filter: SampleFilter, limit: number,
): Promise<SampledValueRow[]> {
  const base = [eq(sampledValues.stationId, stationId)];
  if (evseId !== undefined) base.push(eq(sampledValues.evseId, evseId));
  return db
    .select()
    .from(sampledValues)
    .where(filtered(base, filter))
    .orderBy(asc(sampledValues.timestamp), asc(sampledValues.id))
    .limit(limit);
}

export async function findSampledValues(db: Db, ids: readonly number[]): Promise<SampledValueRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(sampledValues).where(inArray(sampledValues.id, [...ids])).orderBy(asc(sampledValues.id));
}
