// TransactionEvents of cached transactions (transaction-event-fast.ts) from many stations, stored by
// one statement: PostgreSQL pays executor start-up, commit and a protocol exchange per statement,
// and for the one-event statement that was half of its cost (issue 5 profile). The events that reach
// the CSMS in one turn of the event loop go out together (statement-batcher.ts); each is applied
// exactly as alone (locked at the cached version, or nothing written), and each caller gets its own row.
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import { remoteStarts, sampledValues, transactionEvents, transactions } from '../schema';
import { sampleRecord, sampleRowFrom } from './meter-values';
import { eventColumns } from './transaction-event-insert';
import { stateColumns } from './transaction-fold';
import { batched, batchRows } from '../statement-batcher';
import { reusableSql } from './reusable-query';

type Columns = Record<string, AnyPgColumn>;
const eventTable = transactionEvents as unknown as Columns;
const transactionTable = transactions as unknown as Columns;

/** What the one-event statement answers for an event (transaction-event-fast.ts). */
export interface CachedApplyRow {
  locked: number;
  event_id: number | string | null;
  samples: string | unknown[];
  version: number | null;
}

/** Events per statement at most; more in one turn go out as several statements. */
export const MAX_EVENTS_PER_STATEMENT = 64;

const name = (column: AnyPgColumn) => sql.identifier(column.name);
const field = (key: string) => sql`b.${sql.identifier(key)}`;

/** The record of one event in the batch: the one-event statement's parameters, by the same names. */
const record = sql.join([
  sql`i integer, ${sql.identifier('stationId')} text, ${sql.identifier('transactionId')} text, version integer`,
  sql`${sql.identifier('sampleEvseId')} integer, samples text`,
  ...eventColumns.map((c) => sql`${sql.identifier(`e_${c}`)} ${sql.raw(eventTable[c]!.getSQLType())}`),
  ...stateColumns.map((c) => sql`${sql.identifier(`t_${c}`)} ${sql.raw(transactionTable[c]!.getSQLType())}`),
], sql`, `);

const sameRow = (t: string) =>
  sql`${sql.identifier(t)}.${name(transactions.stationId)} = ${field('stationId')} and ${sql.identifier(t)}.${name(transactions.transactionId)} = ${field('transactionId')}`;

const applyBatch = reusableSql<CachedApplyRow & { i: number }>((): SQL => {
  const t = transactions;
  const sv = sampledValues;
  const r = remoteStarts;
  const eventNames = sql.join(eventColumns.map((c) => name(eventTable[c]!)), sql`, `);
  const eventValues = sql.join(eventColumns.map((c) => field(`e_${c}`)), sql`, `);
  const assignments = sql.join(stateColumns.map((c) => sql`${name(transactionTable[c]!)} = ${field(`t_${c}`)}`), sql`, `);
  // Rows are locked in key order, so two statements never wait on each other in a cycle.
  return sql`with b as (
      select b.* from ${batchRows(record)}),
    lk as (
      select b.i from ${t} join b on ${sameRow('transactions')} and ${t}.${name(t.version)} = b.version
      order by ${t}.${name(t.stationId)}, ${t}.${name(t.transactionId)} for update of ${t}),
    ev as (
      insert into ${transactionEvents} (${eventNames}) select ${eventValues} from b join lk on lk.i = b.i
      on conflict do nothing
      returning ${name(transactionEvents.id)}, ${name(transactionEvents.stationId)}, ${name(transactionEvents.transactionId)}, ${name(transactionEvents.seqNo)}),
    evb as (
      select b.i, ev.id from ev join b on ev.${name(transactionEvents.stationId)} = ${field('e_stationId')}
      and ev.${name(transactionEvents.transactionId)} = ${field('e_transactionId')} and ev.${name(transactionEvents.seqNo)} = ${field('e_seqNo')}),
    s as (
      insert into ${sv} select ${sampleRowFrom(field('sampleEvseId'), sql`evb.id`)}
      from evb join b on b.i = evb.i cross join json_to_recordset(${field('samples')}::json) as ${sampleRecord}
      returning ${name(sv.id)}, ${name(sv.transactionEventId)}, ${name(sv.timestamp)}, ${name(sv.value)}, ${name(sv.unit)},
        ${name(sv.multiplier)}, ${name(sv.context)}, ${name(sv.phase)}, ${name(sv.location)}, ${name(sv.measurand)}),
    rs as (
      update ${r} set ${name(r.transactionId)} = ${field('transactionId')} from evb join b on b.i = evb.i
      where ${r}.${name(r.stationId)} = ${field('stationId')} and ${r}.${name(r.remoteStartId)} = ${field('t_remoteStartId')}
      and ${r}.${name(r.transactionId)} is null),
    upd as (
      update ${t} set ${assignments}, ${name(t.version)} = ${t}.${name(t.version)} + 1 from evb join b on b.i = evb.i
      where ${sameRow('transactions')} returning b.i, ${t}.${name(t.version)} as version)
    select b.i, case when lk.i is null then 0 else 1 end as locked, evb.id as event_id, upd.version,
      (select coalesce(json_agg(x order by x.id), '[]'::json) from (
        select s.id, s."timestamp", s.value, s.unit, s.multiplier, s.context, s.phase, s.location, s.measurand
        from s where s.transaction_event_id = evb.id) x) as samples
    from b left join lk on lk.i = b.i left join evb on evb.i = b.i left join upd on upd.i = b.i`;
});

/**
 * Applies cached events (each given the one-event statement's parameters) together with the others
 * of this turn; `single` is the one-event statement.
 */
export function cachedEventBatcher(single: (db: Db, values: Record<string, unknown>) => Promise<CachedApplyRow | undefined>) {
  const apply = batched<CachedApplyRow>({ maxItems: MAX_EVENTS_PER_STATEMENT, many: (db, batch) => applyBatch(db, { batch }), one: single });
  // Two events of one transaction never share a statement: the second is applied after the first.
  return (db: Db, values: Record<string, unknown>) => apply(db, `${values.stationId as string}\u0000${values.transactionId as string}`, values);
}
