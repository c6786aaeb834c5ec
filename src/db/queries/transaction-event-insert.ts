// A TransactionEvent and its sampled values stored by one statement (E01–E15 exactly once, J02):
// the samples go in only when the event is new, under its id, so the statement needs no answer
// from an earlier one and rides in the same round trip as the lock and the reads behind it.
import { sql, type SQL } from 'drizzle-orm';
import { sampledValues, transactionEvents, transactions } from '../schema';
import { insertedSampleColumns, sampleRecord, sampleRowFrom, sampleRowsJson, type InsertedSample, type NewSampledValue } from './meter-values';
import { reusableSql, type Handle } from './reusable-query';

export type NewEvent = Omit<typeof transactionEvents.$inferInsert, 'id' | 'receivedAt'>;
export const eventColumns = Object.keys({
  stationId: 1, transactionId: 1, seqNo: 1, eventType: 1, timestamp: 1, triggerReason: 1, offline: 1, chargingState: 1, stoppedReason: 1,
  evseId: 1, connectorId: 1, idToken: 1, idTokenType: 1, numberOfPhasesUsed: 1, cableMaxCurrent: 1, reservationId: 1, remoteStartId: 1,
  timeSpentCharging: 1, authorizationStatus: 1,
} satisfies Record<keyof NewEvent, 1>);

interface StoredEventRow {
  event_id: number | string;
  samples: string | Array<Omit<InsertedSample, 'timestamp'> & { timestamp: string }>;
}

/**
 * The samples of the event `ev` (a CTE returning its id), from the `samples` JSON parameter, each on
 * the EVSE `evseId` (an SQL expression), returning what the fold reads of them.
 */
export function samplesOfEvent(h: Handle, evseId: SQL) {
  return h
    .insert(sampledValues)
    .select(sql`select ${sampleRowFrom(evseId, sql`ev.id`)} from ev cross join json_to_recordset(${sql.placeholder('samples')}::text::json) as ${sampleRecord}`)
    .returning(insertedSampleColumns);
}

/** The samples a statement returned as `json_agg` (text on postgres.js, parsed on PGlite). */
export function parseInsertedSamples(samples: string | Array<Omit<InsertedSample, 'timestamp'> & { timestamp: string }>): InsertedSample[] {
  const rows = typeof samples === 'string' ? (JSON.parse(samples) as Exclude<typeof samples, string>) : samples;
  // In place (the rows were just parsed): `{ ...s, timestamp }` takes V8's slow path for spreads.
  for (const s of rows) (s as unknown as InsertedSample).timestamp = new Date(s.timestamp);
  return rows as unknown as InsertedSample[];
}

// A repeated (station, transaction, seqNo) inserts nothing: no `ev` row, so no samples and no answer
// row. A sample's EVSE is the event's, else the first one an earlier event named (the transaction
// row's, locked just before), else 0; the fold moves them once the EVSE is known.
const insertEventWithSamples = reusableSql<StoredEventRow>((h) => {
  const event = h
    .insert(transactionEvents)
    .values(Object.fromEntries(eventColumns.map((c) => [c, sql.placeholder(c)])) as unknown as NewEvent)
    .onConflictDoNothing()
    .returning({ id: transactionEvents.id });
  const samples = samplesOfEvent(h, sql`coalesce(${sql.placeholder('sampleEvseId')}::integer, (select t.evse_id from ${transactions} t
        where t.station_id = v.station_id and t.transaction_id = v.transaction_id), 0)`);
  return sql`with ev as (${event.getSQL()}), s as (${samples.getSQL()})
    select ev.id as event_id, (select coalesce(json_agg(s order by s.id), '[]'::json) from s) as samples from ev`;
});

export type StoredEvent = { id: number; samples: InsertedSample[] } | undefined;

/**
 * Stores the event and its samples (their evseId and transactionEventId are set by the statement).
 * Undefined when the event was a duplicate.
 */
export async function insertEventWithSampledValues(
  handle: Handle, event: Required<NewEvent>, samples: NewSampledValue[], sampleEvseId: number | null,
): Promise<StoredEvent> {
  const values: Record<string, unknown> = { sampleEvseId, samples: sampleRowsJson(samples), ...event };
  const [row] = await insertEventWithSamples(handle, values);
  if (!row) return undefined;
  return { id: Number(row.event_id), samples: parseInsertedSamples(row.samples) };
}
