// TransactionEvents of cached transactions, and Started events of new ones (transaction-event-fast.ts),
// from many stations, stored by one statement per kind: PostgreSQL pays executor start-up, commit and
// a protocol exchange per statement, and for the one-event statement that was half of its cost (issue
// 5 profile). The events that reach the CSMS in one turn of the event loop go out together
// (statement-batcher.ts); each is applied exactly as alone (locked at the cached version or created,
// or nothing written), and each caller gets its own row.
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

/** The same for a Started of a new transaction, with the older sessions still active on its EVSE. */
export interface NewApplyRow extends CachedApplyRow {
  others: string | string[] | null;
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

/** The CTEs after `lk` (the items whose row is locked or created, by `i`): the event, its samples, the remote start it links. */
function eventCtes(): SQL {
  const sv = sampledValues;
  const r = remoteStarts;
  const eventNames = sql.join(eventColumns.map((c) => name(eventTable[c]!)), sql`, `);
  const eventValues = sql.join(eventColumns.map((c) => field(`e_${c}`)), sql`, `);
  return sql`ev as (
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
      and ${r}.${name(r.transactionId)} is null)`;
}

const insertedSamples = sql`(select coalesce(json_agg(x order by x.id), '[]'::json) from (
    select s.id, s."timestamp", s.value, s.unit, s.multiplier, s.context, s.phase, s.location, s.measurand
    from s where s.transaction_event_id = evb.id) x) as samples`;

const applyBatch = reusableSql<CachedApplyRow & { i: number }>((): SQL => {
  const t = transactions;
  const assignments = sql.join(stateColumns.map((c) => sql`${name(transactionTable[c]!)} = ${field(`t_${c}`)}`), sql`, `);
  // Rows are locked in key order, so two statements never wait on each other in a cycle.
  return sql`with b as (
      select b.* from ${batchRows(record)}),
    lk as (
      select b.i from ${t} join b on ${sameRow('transactions')} and ${t}.${name(t.version)} = b.version
      order by ${t}.${name(t.stationId)}, ${t}.${name(t.transactionId)} for update of ${t}),
    ${eventCtes()},
    upd as (
      update ${t} set ${assignments}, ${name(t.version)} = ${t}.${name(t.version)} + 1 from evb join b on b.i = evb.i
      where ${sameRow('transactions')} returning b.i, ${t}.${name(t.version)} as version)
    select b.i, case when lk.i is null then 0 else 1 end as locked, evb.id as event_id, upd.version, ${insertedSamples}
    from b left join lk on lk.i = b.i left join evb on evb.i = b.i left join upd on upd.i = b.i`;
});

// Started events of transactions not stored yet: each row is created with its folded state (nothing
// is written for one that exists), and the older sessions still active on its EVSE are read (E01).
const createBatch = reusableSql<NewApplyRow & { i: number }>((): SQL => {
  const t = transactions;
  const columns = sql.join(stateColumns.map((c) => name(transactionTable[c]!)), sql`, `);
  const values = sql.join(stateColumns.map((c) => field(`t_${c}`)), sql`, `);
  // Rows are created in key order, so two statements never wait on each other in a cycle.
  return sql`with b as (
      select b.* from ${batchRows(record)}),
    created as (
      insert into ${t} (${name(t.stationId)}, ${name(t.transactionId)}, ${columns}, ${name(t.version)})
      select ${field('stationId')}, ${field('transactionId')}, ${values}, 1 from b order by ${field('stationId')}, ${field('transactionId')}
      on conflict do nothing returning ${name(t.stationId)}, ${name(t.transactionId)}),
    lk as (select b.i from created join b on ${sameRow('created')}),
    ${eventCtes()},
    others as (
      select b.i, json_agg(${t}.${name(t.transactionId)}) as ids from evb join b on b.i = evb.i join ${t}
      on ${t}.${name(t.stationId)} = ${field('stationId')} and ${t}.${name(t.evseId)} = ${field('t_evseId')} and ${t}.${name(t.active)}
      and ${t}.${name(t.transactionId)} <> ${field('transactionId')} and ${t}.${name(t.startedAt)} < ${field('t_startedAt')}
      group by b.i)
    select b.i, case when lk.i is null then 0 else 1 end as locked, evb.id as event_id, 1 as version, ${insertedSamples},
      coalesce(others.ids, '[]'::json) as others
    from b left join lk on lk.i = b.i left join evb on evb.i = b.i left join others on others.i = b.i`;
});

type Single<Row> = (db: Db, values: Record<string, unknown>) => Promise<Row | undefined>;

/** Two events of one transaction never share a statement: the second is applied after the first. */
const transactionKey = (values: Record<string, unknown>) => `${values.stationId as string}\u0000${values.transactionId as string}`;

/**
 * Applies cached events (each given the one-event statement's parameters) together with the others
 * of this turn; `single` is the one-event statement.
 */
export function cachedEventBatcher(single: Single<CachedApplyRow>) {
  const apply = batched<CachedApplyRow>({ maxItems: MAX_EVENTS_PER_STATEMENT, many: (db, batch) => applyBatch(db, { batch }), one: single });
  return (db: Db, values: Record<string, unknown>) => apply(db, transactionKey(values), values);
}

/**
 * The same for Started events of transactions not stored yet. One station's share no statement: a
 * later Started must see the earlier one among the sessions active on its EVSE, as it would alone.
 */
export function newTransactionBatcher(single: Single<NewApplyRow>) {
  const apply = batched<NewApplyRow>({ maxItems: MAX_EVENTS_PER_STATEMENT, many: (db, batch) => createBatch(db, { batch }), one: single });
  return (db: Db, values: Record<string, unknown>) => apply(db, values.stationId as string, values);
}
