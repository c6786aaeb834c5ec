// A TransactionEvent whose transaction's fold inputs are known without reading: cached in memory
// (transaction-fold-cache.ts), or none yet (a Started of a new transaction). Folded before anything
// is sent, then stored with ONE statement, atomic on its own: it locks the row at the cached version
// (or creates it), inserts the event and its samples, and writes the folded state; or changes
// nothing when the version moved or the row exists (the caller then takes the full path). No
// database transaction stays open across turns of the event loop, and nothing is read back.
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import { remoteStarts, transactionEvents, transactions } from '../schema';
import { sampleRowsJson, type NewSampledValue } from './meter-values';
import { eventColumns, parseInsertedSamples, samplesOfEvent, type NewEvent } from './transaction-event-insert';
import {
  ENERGY_REGISTER, foldTransaction, missingSeqNos, stateColumns, timeColumns, type EnergySample, type StoredState,
  type TransactionEventRow, type TransactionRow,
} from './transaction-fold';
import type { CachedFold, FoldCache } from './transaction-fold-cache';
import { reusableSql, type Handle } from './reusable-query';
import { cachedEventBatcher, newTransactionBatcher, type NewApplyRow } from './transaction-event-batch';

type Columns = Record<string, AnyPgColumn>;
const eventTable = transactionEvents as unknown as Columns;
const transactionTable = transactions as unknown as Columns;

/** `$prefix+key` cast to the column's type: parameters of a SELECT list have no type of their own. */
const typed = (prefix: string, key: string, column: AnyPgColumn): SQL =>
  sql`${sql.placeholder(prefix + key)}::${sql.raw(column.getSQLType())}`;
const name = (column: AnyPgColumn) => sql.identifier(column.name);

interface FastRow {
  /** 1 when the row was locked at the cached version (or created), else 0 and nothing was written. */
  locked: number;
  event_id: number | string | null;
  samples: Parameters<typeof parseInsertedSamples>[0];
  version: number | null;
  /** New transactions: older ones still active on the same EVSE (ghost sessions). */
  others?: string | string[] | null;
}

const rowKey = sql`${name(transactions.stationId)} = ${sql.placeholder('stationId')} and ${name(transactions.transactionId)} = ${sql.placeholder('transactionId')}`;
const stateValue = (c: string) => typed('t_', c, transactionTable[c]!);

/** The event (from `lk`, the row's lock or creation), its samples and the remote start it links: CTEs `ev`, `s`, `rs`. */
function eventAndSamples(h: Handle): SQL {
  const eventNames = sql.join(eventColumns.map((c) => name(eventTable[c]!)), sql`, `);
  const eventValues = sql.join(eventColumns.map((c) => typed('e_', c, eventTable[c]!)), sql`, `);
  const samples = samplesOfEvent(h, sql`${sql.placeholder('sampleEvseId')}::integer`);
  const r = remoteStarts;
  // F01/F02: the RequestStartTransaction that caused it points to this transaction (a no-op without one).
  return sql`ev as (
      insert into ${transactionEvents} (${eventNames}) select ${eventValues} from lk on conflict do nothing returning ${name(transactionEvents.id)}),
    s as (${samples.getSQL()}),
    rs as (
      update ${r} set ${name(r.transactionId)} = ${sql.placeholder('transactionId')}
      where ${name(r.stationId)} = ${sql.placeholder('stationId')} and ${name(r.remoteStartId)} = ${stateValue('remoteStartId')}
      and ${name(r.transactionId)} is null and exists (select 1 from ev))`;
}
const insertedSamples = sql`(select coalesce(json_agg(s order by s.id), '[]'::json) from s) as samples`;

// A cached transaction: the row is locked only at the version the cache holds.
const applyToCached = reusableSql<FastRow>((h) => {
  const assignments = sql.join(stateColumns.map((c) => sql`${name(transactionTable[c]!)} = ${stateValue(c)}`), sql`, `);
  return sql`with lk as (
      select 1 from ${transactions} where ${rowKey} and ${name(transactions.version)} = ${sql.placeholder('version')}::integer for update),
    ${eventAndSamples(h)},
    upd as (
      update ${transactions} set ${assignments}, ${name(transactions.version)} = ${name(transactions.version)} + 1
      where ${rowKey} and exists (select 1 from ev) returning ${name(transactions.version)})
    select (select count(*) from lk)::integer as locked, (select id from ev) as event_id, ${insertedSamples},
      (select version from upd) as version`;
});

const applyCachedBatched = cachedEventBatcher(async (db, values) => (await applyToCached(db, values))[0]);

// A Started of a transaction not stored yet: the row is created with the folded state (nothing is
// written when it exists), and the older sessions still active on its EVSE are read (E01).
const applyToNew = reusableSql<FastRow>((h) => {
  const t = transactions;
  const columns = sql.join(stateColumns.map((c) => name(transactionTable[c]!)), sql`, `);
  const values = sql.join(stateColumns.map(stateValue), sql`, `);
  return sql`with lk as (
      insert into ${t} (${name(t.stationId)}, ${name(t.transactionId)}, ${columns}, ${name(t.version)})
      values (${sql.placeholder('stationId')}, ${sql.placeholder('transactionId')}, ${values}, 1)
      on conflict do nothing returning 1),
    ${eventAndSamples(h)},
    others as (
      select ${name(t.transactionId)} from ${t} where ${name(t.stationId)} = ${sql.placeholder('stationId')}
      and ${name(t.evseId)} = ${stateValue('evseId')} and ${name(t.active)} and ${name(t.transactionId)} <> ${sql.placeholder('transactionId')}
      and ${name(t.startedAt)} < ${stateValue('startedAt')} and exists (select 1 from ev))
    select (select count(*) from lk)::integer as locked, (select id from ev) as event_id, ${insertedSamples},
      1 as version, (select coalesce(json_agg(${name(t.transactionId)}), '[]'::json) from others) as others`;
});

const applyNewBatched = newTransactionBatcher(async (db, values) => (await applyToNew(db, values))[0] as NewApplyRow | undefined);

// Parameter names, built once: a key made per event is a new string to hash for every property.
const eventKeys = eventColumns.map((c) => [`e_${c}`, c] as const);
const stateKeys = stateColumns.map((c) => [`t_${c}`, c] as const);
const timeKeys = timeColumns.map((c) => [`t_${c}`, c] as const);

/** Stands for the new event's id in the fold: every stored event's id is smaller. */
const PENDING_EVENT_ID = Number.MAX_SAFE_INTEGER;

export interface FastResult {
  transaction: TransactionRow;
  sampledValueIds: number[];
  missingSeqNos: number[];
  otherActiveOnEvse: string[];
}

/** A transaction row as first created (the schema's defaults). */
function blankRow(stationId: string, transactionId: string): TransactionRow {
  return {
    stationId, transactionId, evseId: null, connectorId: null, active: true, startedAt: null, endedAt: null, idToken: null,
    idTokenType: null, groupIdToken: null, stopIdToken: null, stopIdTokenType: null, chargingState: null, triggerReason: null,
    stoppedReason: null, endedBy: null, meterStartWh: null, meterStopWh: null, energyWh: null, remoteStartId: null,
    reservationId: null, numberOfPhasesUsed: null, cableMaxCurrent: null, lastSeqNo: null, eventCount: 0, updatedAt: new Date(), version: 0,
  };
}

/**
 * Stores `event` with a fold computed from memory, or answers undefined without having stored
 * anything. It applies to an event of a cached transaction (not a Started, not a duplicate seqNo),
 * and to a Started of a transaction not cached (stored only if the row does not exist yet); not to
 * a fold that moves samples to a newly known EVSE, nor when the row changed since it was cached.
 * The caller then takes the full path.
 */
export async function applyWithoutReads(
  db: Db, cache: FoldCache, cached: CachedFold | undefined, event: Required<NewEvent>, samples: NewSampledValue[],
  startGroupIdToken: string | null,
): Promise<FastResult | undefined> {
  const isNew = cached === undefined;
  if (isNew ? event.eventType !== 'Started' : event.eventType === 'Started' || cached.events.some((e) => e.seqNo === event.seqNo)) {
    return undefined;
  }
  const base: CachedFold = cached ?? { row: blankRow(event.stationId, event.transactionId), events: [], energy: [] };
  const current = base.row;
  // Spreads come last in these literals: a spread followed by more properties takes a slow path in
  // V8 (Node 20), microseconds per object. `event` has no id or receivedAt, `folded` no groupIdToken.
  const newEvent: TransactionEventRow = { id: PENDING_EVENT_ID, receivedAt: new Date(), ...event };
  const lastId = base.energy.reduce((max, e) => Math.max(max, e.id), 0);
  const newEnergy: EnergySample[] = samples
    .filter((s) => s.measurand === ENERGY_REGISTER)
    .map((s, i) => ({
      id: lastId + 1 + i, timestamp: s.timestamp, value: s.value, unit: s.unit ?? null, multiplier: s.multiplier ?? null,
      context: s.context ?? 'Sample.Periodic', phase: s.phase ?? null, location: s.location ?? 'Outlet',
    }));
  const events = [...base.events, newEvent];
  const { startEventId, ...folded } = foldTransaction(events, [...base.energy, ...newEnergy], current);
  const samplesEvseId = event.evseId ?? current.evseId ?? 0;
  const samplesStayPut = isNew || (folded.evseId === current.evseId && (samples.length === 0 || folded.evseId === null || samplesEvseId === folded.evseId));
  if (!samplesStayPut) return undefined;

  const groupIdToken = startEventId === null ? null : startEventId === PENDING_EVENT_ID ? startGroupIdToken : current.groupIdToken;
  const state: StoredState = { groupIdToken, updatedAt: new Date(), ...folded };
  const values: Record<string, unknown> = {
    stationId: current.stationId, transactionId: current.transactionId, version: current.version,
    sampleEvseId: samplesEvseId, samples: sampleRowsJson(samples),
  };
  for (const [key, c] of eventKeys) values[key] = (event as Record<string, unknown>)[c];
  values.e_timestamp = event.timestamp.toISOString();
  for (const [key, c] of stateKeys) values[key] = (state as unknown as Record<string, unknown>)[c];
  for (const [key, c] of timeKeys) values[key] = state[c]?.toISOString() ?? null;

  // The event shares a statement with the others of its kind in this turn of the loop.
  const result = (isNew ? await applyNewBatched(db, values) : await applyCachedBatched(db, values)) as FastRow | undefined;
  if (!result || result.locked === 0 || result.event_id === null) {
    // Nothing was written: the row moved on (or exists), or the seqNo is stored already.
    cache.forget(current.stationId, current.transactionId, cached);
    return undefined;
  }
  // Cannot happen while `lk` holds the row: the event would be stored without its state.
  if (result.version === null) throw new Error(`transaction ${current.transactionId}: event stored but its state not written`);
  const inserted = parseInsertedSamples(result.samples);
  const storedEvent = newEvent;
  storedEvent.id = Number(result.event_id);
  const storedEnergy = inserted.filter((s) => s.measurand === ENERGY_REGISTER).map(({ measurand: _, ...e }) => e);
  const transaction: TransactionRow = Object.assign({}, current, state, { version: result.version });
  cache.remember({ row: transaction, events: [...base.events, storedEvent], energy: [...base.energy, ...storedEnergy] });
  const others = typeof result.others === 'string' ? (JSON.parse(result.others) as string[]) : (result.others ?? []);
  // A copy: the cached row must not change with what a caller does to its result.
  return {
    transaction: { ...transaction }, sampledValueIds: inserted.map((s) => s.id),
    missingSeqNos: missingSeqNos(events.map((e) => e.seqNo)), otherActiveOnEvse: others,
  };
}
