// Transactions (block E): every TransactionEvent stored exactly once, the transaction's state
// recomputed from all its events in the same database transaction, and reconciliation closes.
import { and, asc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { TransactionEventRequest } from '../../ocpp/generated/types';
import type { Db } from '../client';
import { remoteStarts, sampledValues, transactionEvents, transactions } from '../schema';
import { parseOcppTime, sampledValueRows } from './meter-values';
import {
  ENERGY_REGISTER, foldTransaction, missingSeqNos, type EnergySample, type TransactionEventRow, type TransactionRow,
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

async function lockTransaction(tx: Tx, stationId: string, transactionId: string): Promise<TransactionRow> {
  const [row] = await tx.select().from(transactions).where(keyOf(stationId, transactionId)).for('update');
  return row!;
}

async function storedEvents(tx: Tx, stationId: string, transactionId: string): Promise<TransactionEventRow[]> {
  return tx
    .select()
    .from(transactionEvents)
    .where(and(eq(transactionEvents.stationId, stationId), eq(transactionEvents.transactionId, transactionId)))
    .orderBy(asc(transactionEvents.seqNo));
}

async function energySamples(tx: Tx, stationId: string, transactionId: string): Promise<EnergySample[]> {
  const s = sampledValues;
  return tx
    .select({ id: s.id, timestamp: s.timestamp, value: s.value, unit: s.unit, multiplier: s.multiplier, context: s.context, phase: s.phase, location: s.location })
    .from(s)
    .where(and(eq(s.stationId, stationId), eq(s.transactionId, transactionId), eq(s.measurand, ENERGY_REGISTER)));
}

/** Recomputes the row from all stored events and energy samples; `current` is the locked row. */
async function refold(tx: Tx, current: TransactionRow, events: TransactionEventRow[], groupOf: (startEventId: number | null) => string | null) {
  const { startEventId, ...state } = foldTransaction(events, await energySamples(tx, current.stationId, current.transactionId), current);
  const [row] = await tx
    .update(transactions)
    .set({ ...state, groupIdToken: groupOf(startEventId), updatedAt: new Date() })
    .where(keyOf(current.stationId, current.transactionId))
    .returning();
  return row!;
}

/**
 * E01–E15: stores one TransactionEvent exactly once and recomputes its transaction, in ONE database
 * transaction. A repeated (station, transactionId, seqNo) changes nothing: `{ duplicate: true }`.
 * An event for a transaction not seen Started (Updated/Ended first) creates it.
 */
export async function applyTransactionEvent(
  db: Db, stationId: string, event: TransactionEventRequest, authorization: EventAuthorization | null,
): Promise<ApplyResult> {
  const { transactionId } = event.transactionInfo;
  return db.transaction(async (tx) => {
    await tx.insert(transactions).values({ stationId, transactionId }).onConflictDoNothing();
    const current = await lockTransaction(tx, stationId, transactionId);
    const [inserted] = await tx
      .insert(transactionEvents)
      .values({
        stationId, transactionId, seqNo: event.seqNo, eventType: event.eventType, timestamp: parseOcppTime(event.timestamp),
        triggerReason: event.triggerReason, offline: event.offline ?? false, chargingState: event.transactionInfo.chargingState ?? null,
        stoppedReason: event.transactionInfo.stoppedReason ?? null, evseId: event.evse?.id ?? null, connectorId: event.evse?.connectorId ?? null,
        idToken: event.idToken?.idToken ?? null, idTokenType: event.idToken?.type ?? null, numberOfPhasesUsed: event.numberOfPhasesUsed ?? null,
        cableMaxCurrent: event.cableMaxCurrent ?? null, reservationId: event.reservationId ?? null,
        remoteStartId: event.transactionInfo.remoteStartId ?? null, timeSpentCharging: event.transactionInfo.timeSpentCharging ?? null,
        authorizationStatus: authorization?.status ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: transactionEvents.id });
    if (!inserted) return { duplicate: true };

    const events = await storedEvents(tx, stationId, transactionId);
    const samples = sampledValueRows(event.meterValue, {
      stationId, evseId: event.evse?.id ?? current.evseId ?? events.find((e) => e.evseId !== null)?.evseId ?? 0,
      transactionId, transactionEventId: inserted.id,
    });
    const sampledValueIds = samples.length === 0 ? [] : (await tx.insert(sampledValues).values(samples).returning({ id: sampledValues.id })).map((r) => r.id);
    const groupOf = (startEventId: number | null) =>
      startEventId === null ? null : startEventId === inserted.id ? (authorization?.groupIdToken ?? null) : current.groupIdToken;
    const transaction = await refold(tx, current, events, groupOf);

    if (transaction.evseId !== null) {
      // Samples stored before the EVSE was known move to it (J02).
      await tx
        .update(sampledValues)
        .set({ evseId: transaction.evseId })
        .where(and(eq(sampledValues.stationId, stationId), eq(sampledValues.transactionId, transactionId), ne(sampledValues.evseId, transaction.evseId)));
    }
    let otherActiveOnEvse: string[] = [];
    if (event.eventType === 'Started' && transaction.evseId !== null && transaction.startedAt !== null) {
      // Only older ones: a late offline replay of an old Started must not put a newer session in doubt.
      const others = await tx
        .select({ transactionId: transactions.transactionId })
        .from(transactions)
        .where(and(
          eq(transactions.stationId, stationId), eq(transactions.evseId, transaction.evseId), eq(transactions.active, true),
          ne(transactions.transactionId, transactionId), lt(transactions.startedAt, transaction.startedAt),
        ));
      otherActiveOnEvse = others.map((o) => o.transactionId);
    }
    if (transaction.remoteStartId !== null) {
      // F01/F02: the RequestStartTransaction that caused it points to this transaction.
      await tx
        .update(remoteStarts)
        .set({ transactionId })
        .where(and(eq(remoteStarts.stationId, stationId), eq(remoteStarts.remoteStartId, transaction.remoteStartId), isNull(remoteStarts.transactionId)));
    }
    return { duplicate: false, transaction, sampledValueIds, otherActiveOnEvse, missingSeqNos: missingSeqNos(events.map((e) => e.seqNo)) };
  });
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
    return refold(tx, closed, events, () => current.groupIdToken);
  });
}

export async function findTransaction(db: Db, stationId: string, transactionId: string): Promise<TransactionRow | undefined> {
  const [row] = await db.select().from(transactions).where(keyOf(stationId, transactionId)).limit(1);
  return row;
}

/** Active transactions of a station, optionally of one EVSE. */
export async function activeTransactions(db: Db, stationId: string, evseId?: number): Promise<TransactionRow[]> {
  const where = [eq(transactions.stationId, stationId), eq(transactions.active, true)];
  if (evseId !== undefined) where.push(eq(transactions.evseId, evseId));
  return db.select().from(transactions).where(and(...where)).orderBy(asc(transactions.startedAt));
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
