// Transactions (block E): every TransactionEvent stored exactly once, the transaction's state
// recomputed from all its events in the same database transaction, and reconciliation closes.
import { and, asc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { TransactionEventRequest } from '../../ocpp/generated/types';
import { commitPipelines, type Db } from '../client';
import { remoteStarts, sampledValues, transactionEvents, transactions } from '../schema';
import { parseOcppTime } from '../../ocpp/rpc/date-time';
import { sampledValueRows, type NewSampledValue } from './meter-values';
import { applyWithoutReads } from './transaction-event-fast';
import { foldCacheOf, type CachedFold } from './transaction-fold-cache';
import { insertEventWithSampledValues, type NewEvent } from './transaction-event-insert';
import { reusableQuery } from './reusable-query';
import {
  ENERGY_REGISTER, foldTransaction, missingSeqNos, stateColumns, timeColumns, type EnergySample, type StoredState, type TransactionEventRow,
  type TransactionRow,
} from './transaction-fold';

export type { TransactionEventRow, TransactionRow } from './transaction-fold';
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The decision answered in idTokenInfo, kept with the event (C_08, E_16). */
export interface EventAuthorization {
  status: string;
  groupIdToken?: string | null | undefined;
}

export type ApplyResult =
  | { duplicate: true }
  | {
      duplicate: false;
      transaction: TransactionRow;
      sampledValueIds: number[];
      /** Older transactions still active on the EVSE of a Started event (ghost sessions). */
      otherActiveOnEvse: string[];
      /** seqNos missing between the lowest and highest stored (TC_E_31). */
      missingSeqNos: number[];
    };

const keyOf = (stationId: string, transactionId: string) =>
  and(eq(transactions.stationId, stationId), eq(transactions.transactionId, transactionId));

// The statements every TransactionEvent runs are built once (reusable-query.ts); `$name` placeholders.
const $stationId = sql.placeholder('stationId');
const $transactionId = sql.placeholder('transactionId');

const selectEvents = reusableQuery<TransactionEventRow[]>((h) => h
  .select()
  .from(transactionEvents)
  .where(and(eq(transactionEvents.stationId, $stationId), eq(transactionEvents.transactionId, $transactionId)))
  .orderBy(asc(transactionEvents.seqNo)));

async function storedEvents(tx: Tx, stationId: string, transactionId: string): Promise<TransactionEventRow[]> {
  return selectEvents(tx, { stationId, transactionId });
}

const sv = sampledValues;
const energyColumns = { id: sv.id, timestamp: sv.timestamp, value: sv.value, unit: sv.unit, multiplier: sv.multiplier, context: sv.context, phase: sv.phase, location: sv.location };

const selectEnergy = reusableQuery<EnergySample[]>((h) => h
  .select(energyColumns)
  .from(sv)
  .where(and(eq(sv.stationId, $stationId), eq(sv.transactionId, $transactionId), eq(sv.measurand, ENERGY_REGISTER))));

async function energySamples(tx: Tx, stationId: string, transactionId: string): Promise<EnergySample[]> {
  return selectEnergy(tx, { stationId, transactionId });
}

// Creates the row when first seen and locks it (a no-op update) like SELECT … FOR UPDATE.
const lockTransaction = reusableQuery<TransactionRow[]>((h) => h
  .insert(transactions)
  .values({ stationId: $stationId, transactionId: $transactionId })
  .onConflictDoUpdate({ target: [transactions.stationId, transactions.transactionId], set: { stationId: sql`excluded.station_id` } })
  .returning());

/** Stored energy readings plus the ones just inserted, each once, in insertion (id) order. */
function mergeEnergy(stored: EnergySample[], inserted: EnergySample[]): EnergySample[] {
  const byId = new Map<number, EnergySample>();
  for (const e of [...stored, ...inserted]) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

// Timestamps go in as ISO text through a bare placeholder: the column's encoder would fail on null.
const updateState = reusableQuery<unknown>((h) => h
  .update(transactions)
  .set(Object.fromEntries(stateColumns.map((c) => [
    c, (timeColumns as readonly string[]).includes(c) ? sql`${sql.placeholder(c)}` : sql.placeholder(c),
    // Every write of the row raises its version (transaction-fold-cache.ts).
  ]).concat([['version', sql`${transactions.version} + 1`]])) as unknown as StoredState)
  .where(keyOf($stationId as unknown as string, $transactionId as unknown as string)));

/**
 * Recomputes the row from all stored events and energy samples; `current` is the locked row. The
 * update is started, not awaited (callers pipeline more statements behind it); `row` is what it stores.
 */
function refold(
  tx: Tx, current: TransactionRow, events: TransactionEventRow[], energy: EnergySample[],
  groupOf: (startEventId: number | null) => string | null,
): { row: TransactionRow; stored: Promise<unknown> } {
  const { startEventId, ...state } = foldTransaction(events, mergeEnergy(energy, []), current);
  const set: StoredState = { groupIdToken: groupOf(startEventId), updatedAt: new Date(), ...state };
  const values: Record<string, unknown> = { stationId: current.stationId, transactionId: current.transactionId, ...set };
  for (const column of timeColumns) values[column] = set[column]?.toISOString() ?? null;
  return { row: Object.assign({}, current, set, { version: current.version + 1 }), stored: updateState(tx, values) };
}

/** The event as stored (transaction_events row without id and receivedAt). */
function eventRow(stationId: string, event: TransactionEventRequest, authorization: EventAuthorization | null): Required<NewEvent> {
  return {
    stationId, transactionId: event.transactionInfo.transactionId, seqNo: event.seqNo, eventType: event.eventType,
    timestamp: parseOcppTime(event.timestamp), triggerReason: event.triggerReason, offline: event.offline ?? false,
    chargingState: event.transactionInfo.chargingState ?? null, stoppedReason: event.transactionInfo.stoppedReason ?? null,
    evseId: event.evse?.id ?? null, connectorId: event.evse?.connectorId ?? null, idToken: event.idToken?.idToken ?? null,
    idTokenType: event.idToken?.type ?? null, numberOfPhasesUsed: event.numberOfPhasesUsed ?? null,
    cableMaxCurrent: event.cableMaxCurrent ?? null, reservationId: event.reservationId ?? null,
    remoteStartId: event.transactionInfo.remoteStartId ?? null, timeSpentCharging: event.transactionInfo.timeSpentCharging ?? null,
    authorizationStatus: authorization?.status ?? null,
  };
}

/**
 * E01–E15: stores one TransactionEvent exactly once and recomputes its transaction, atomically. A
 * repeated (station, transactionId, seqNo) changes nothing: `{ duplicate: true }`. An event for a
 * transaction not seen Started (Updated/Ended first) creates it. With the transaction's fold inputs
 * in memory, or of a new transaction's Started, this is one statement (transaction-event-fast.ts);
 * otherwise one database transaction that reads them, and leaves them in memory for the next event.
 */
export async function applyTransactionEvent(
  db: Db, stationId: string, event: TransactionEventRequest, authorization: EventAuthorization | null,
): Promise<ApplyResult> {
  const row = eventRow(stationId, event, authorization);
  // Samples before the EVSE is known go to the first EVSE an earlier event named, else 0 (the
  // statement reads the locked row); the fold moves them once it is known (J02).
  const samples = sampledValueRows(event.meterValue, { stationId, evseId: 0, transactionId: row.transactionId, transactionEventId: null });
  const cache = foldCacheOf(db);
  const cached = cache.get(stationId, row.transactionId);
  const fast = await applyWithoutReads(db, cache, cached, row, samples, authorization?.groupIdToken ?? null);
  if (fast) return { duplicate: false, ...fast };
  const pipelined = commitPipelines(db);
  const { stored } = await db.transaction(async (tx) => {
    const { stored } = await applyTransactionEventIn(tx, row, samples, authorization);
    // PostgreSQL: the last statements and the COMMIT go out together (one round trip fewer). Should
    // one of them fail, the transaction is aborted, its COMMIT answers ROLLBACK, and `stored` rejects.
    // Order: each statement above was started synchronously and reaches postgres.js one microtask
    // later; the COMMIT is queued several microtasks after this callback returns (and one more here).
    if (pipelined) await Promise.resolve();
    else await stored;
    return { stored };
  });
  const { fold, ...result } = await stored;
  if (fold) cache.remember(fold);
  return result;
}

/** The work of applyTransactionEvent inside an open database transaction; `fold` is what it stored. */
async function applyTransactionEventIn(
  tx: Tx, row: Required<NewEvent>, samples: NewSampledValue[], authorization: EventAuthorization | null,
): Promise<{ stored: Promise<ApplyResult & { fold?: CachedFold }> }> {
  const { stationId, transactionId } = row;
  // One round trip, in this order on one connection: the lock (it creates the row the event's foreign
  // key needs), the event with its samples, the events (this one included) and the stored energy
  // readings (the new ones included; merged by id all the same).
  const [[current], inserted, events, storedEnergy] = await Promise.all([
    lockTransaction(tx, { stationId, transactionId }),
    insertEventWithSampledValues(tx, row, samples, row.evseId),
    storedEvents(tx, stationId, transactionId),
    energySamples(tx, stationId, transactionId),
  ]);
  if (!inserted) return { stored: Promise.resolve({ duplicate: true }) };
  const insertedSamples = inserted.samples;
  const sampledValueIds = insertedSamples.map((r) => r.id);
  const energy = mergeEnergy(storedEnergy, insertedSamples.filter((r) => r.measurand === ENERGY_REGISTER));
  const groupOf = (startEventId: number | null) =>
    startEventId === null ? null : startEventId === inserted.id ? (authorization?.groupIdToken ?? null) : current!.groupIdToken;
  const { row: transaction, stored: updated } = refold(tx, current!, events, energy, groupOf);

  // The statements below depend only on the folded state: they go out behind the update, awaited together.
  const pending: Promise<unknown>[] = [updated];
  // Once the EVSE is known every stored sample is on it, so only a new or changed EVSE moves any.
  const samplesEvseId = row.evseId ?? current!.evseId ?? 0;
  const samplesOnEvse = current!.evseId === transaction.evseId && (samples.length === 0 || samplesEvseId === transaction.evseId);
  if (transaction.evseId !== null && !samplesOnEvse) {
    // Samples stored before the EVSE was known move to it (J02).
    pending.push(tx
      .update(sampledValues)
      .set({ evseId: transaction.evseId })
      .where(and(eq(sampledValues.stationId, stationId), eq(sampledValues.transactionId, transactionId), ne(sampledValues.evseId, transaction.evseId)))
      .execute());
  }
  let otherActiveOnEvse: string[] = [];
  if (row.eventType === 'Started' && transaction.evseId !== null && transaction.startedAt !== null) {
    // Only older ones: a late offline replay of an old Started must not put a newer session in doubt.
    pending.push(tx
      .select({ transactionId: transactions.transactionId })
      .from(transactions)
      .where(and(
        eq(transactions.stationId, stationId), eq(transactions.evseId, transaction.evseId), eq(transactions.active, true),
        ne(transactions.transactionId, transactionId), lt(transactions.startedAt, transaction.startedAt),
      ))
      .then((others) => { otherActiveOnEvse = others.map((o) => o.transactionId); }));
  }
  if (transaction.remoteStartId !== null) {
    // F01/F02: the RequestStartTransaction that caused it points to this transaction.
    pending.push(tx
      .update(remoteStarts)
      .set({ transactionId })
      .where(and(eq(remoteStarts.stationId, stationId), eq(remoteStarts.remoteStartId, transaction.remoteStartId), isNull(remoteStarts.transactionId)))
      .execute());
  }
  const stored = Promise.all(pending).then(() => ({
    duplicate: false as const, transaction, sampledValueIds, otherActiveOnEvse, missingSeqNos: missingSeqNos(events.map((e) => e.seqNo)),
    fold: { row: transaction, events, energy },
  }));
  stored.catch(() => {}); // awaited by the caller once the COMMIT is answered; never an unhandled rejection meanwhile
  return { stored };
}

/**
 * Closes an active transaction the station did not end (ghost session): ended at the last thing
 * heard of it, with the reason and who closed it. Undefined when it was not active. A later Ended
 * from the station still wins (the fold prefers the station's own events).
 */
export async function closeTransaction(
  db: Db, stationId: string, transactionId: string, reason: string, endedBy: string,
): Promise<TransactionRow | undefined> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(transactions).where(keyOf(stationId, transactionId)).for('update');
    if (!current || !current.active) return undefined;
    const events = await storedEvents(tx, stationId, transactionId);
    const [lastSample] = await tx
      .select({ at: sql<Date>`max(${sampledValues.timestamp})`.mapWith(sampledValues.timestamp) })
      .from(sampledValues)
      .where(and(eq(sampledValues.stationId, stationId), eq(sampledValues.transactionId, transactionId)));
    const times = [...events.map((e) => e.timestamp.getTime()), lastSample?.at?.getTime() ?? 0, current.startedAt?.getTime() ?? 0];
    const endedAt = new Date(Math.max(...times) || Date.now());
    const closed = { ...current, active: false, endedAt, stoppedReason: reason, endedBy };
    const { row, stored } = refold(tx, closed, events, await energySamples(tx, stationId, transactionId), () => current.groupIdToken);
    await stored;
    return row;
  });
}

// Read on the hot paths (Ended with a token, every Available, every boot): prepared, so a connection
// never waits for a statement description in the middle of its pipeline.
const selectTransaction = reusableQuery<TransactionRow[]>((h) => h
  .select().from(transactions).where(keyOf($stationId as unknown as string, $transactionId as unknown as string)).limit(1));

export async function findTransaction(db: Db, stationId: string, transactionId: string): Promise<TransactionRow | undefined> {
  const [row] = await selectTransaction(db, { stationId, transactionId });
  return row;
}

const activeOfStation = reusableQuery<TransactionRow[]>((h) => h
  .select().from(transactions)
  .where(and(eq(transactions.stationId, $stationId), eq(transactions.active, true)))
  .orderBy(asc(transactions.startedAt)));
const activeOfEvse = reusableQuery<TransactionRow[]>((h) => h
  .select().from(transactions)
  .where(and(eq(transactions.stationId, $stationId), eq(transactions.active, true), eq(transactions.evseId, sql.placeholder('evseId'))))
  .orderBy(asc(transactions.startedAt)));

/** Active transactions of a station, optionally of one EVSE. */
export async function activeTransactions(db: Db, stationId: string, evseId?: number): Promise<TransactionRow[]> {
  return evseId === undefined ? activeOfStation(db, { stationId }) : activeOfEvse(db, { stationId, evseId });
}

/** Active transactions of several stations (batch loading of Evse.activeTransaction). */
export async function activeTransactionsOfStations(db: Db, stationIds: readonly string[]): Promise<TransactionRow[]> {
  if (stationIds.length === 0) return [];
  return db.select().from(transactions).where(and(inArray(transactions.stationId, [...stationIds]), eq(transactions.active, true)));
}

/** The seqNos still missing for a transaction (TC_E_31 re-check when the gap timer fires). */
export async function missingSeqNosOf(db: Db, stationId: string, transactionId: string): Promise<number[]> {
  const rows = await db
    .select({ seqNo: transactionEvents.seqNo })
    .from(transactionEvents)
    .where(and(eq(transactionEvents.stationId, stationId), eq(transactionEvents.transactionId, transactionId)));
  return missingSeqNos(rows.map((r) => r.seqNo));
}

export interface TransactionKey {
  stationId: string;
  transactionId: string;
}

/** Events of several transactions in seqNo order (batch loading of Transaction.events). */
export async function eventsOfTransactions(db: Db, keys: readonly TransactionKey[]): Promise<TransactionEventRow[]> {
  if (keys.length === 0) return [];
  const e = transactionEvents;
  return db
    .select()
    .from(e)
    .where(or(...keys.map((k) => and(eq(e.stationId, k.stationId), eq(e.transactionId, k.transactionId)))))
    .orderBy(asc(e.stationId), asc(e.transactionId), asc(e.seqNo));
}
