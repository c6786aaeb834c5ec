// TransactionEvents of cached transactions (transaction-event-fast.ts) from many stations, stored by
// one statement: PostgreSQL pays executor start-up, commit and a protocol exchange per statement,
// and for the one-event statement that was half of its cost (issue 5 profile). The events that reach
// the CSMS in one turn of the event loop go out together at the end of it; each is applied exactly
// as alone (locked at the cached version, or nothing written), and each caller gets its own row.
// If the statement fails, every event of it runs on its own, so an error reaches only its station.
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import { remoteStarts, sampledValues, transactionEvents, transactions } from '../schema';
import { eventColumns } from './transaction-event-insert';
import { stateColumns } from './transaction-fold';
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
  const sampleColumns = sql.join([sv.id, sv.stationId, sv.evseId, sv.transactionId, sv.transactionEventId, sv.timestamp, sv.value, sv.measurand,
    sv.phase, sv.location, sv.context, sv.unit, sv.multiplier, sv.signedMeterValue, sv.receivedAt].map(name), sql`, `);
  // Rows are locked in key order, so two statements never wait on each other in a cycle.
  return sql`with b as (
      select * from json_to_recordset(${sql.placeholder('batch')}::text::json) as b(${record})),
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
      insert into ${sv} (${sampleColumns})
      select nextval('sampled_values_id_seq'), v.station_id, ${field('sampleEvseId')}, v.transaction_id, evb.id, v."timestamp", v.value,
        v.measurand, v.phase, v.location, v.context, v.unit, v.multiplier, v.signed_meter_value, now()
      from evb join b on b.i = evb.i
      cross join json_to_recordset(${field('samples')}::json) as v(station_id text, transaction_id text, "timestamp" timestamptz,
        value double precision, measurand text, phase text, location text, context text, unit text, multiplier integer, signed_meter_value jsonb)
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

type Single = (db: Db, values: Record<string, unknown>) => Promise<CachedApplyRow[]>;

interface Waiting {
  values: Record<string, unknown>;
  resolve(row: CachedApplyRow | undefined): void;
  reject(error: unknown): void;
}

class Batcher {
  private waiting: Waiting[] = [];
  private keys = new Set<string>();
  private scheduled = false;

  constructor(private readonly db: Db, private readonly single: Single) {}

  apply(values: Record<string, unknown>): Promise<CachedApplyRow | undefined> {
    return new Promise((resolve, reject) => {
      const key = `${values.stationId as string}\u0000${values.transactionId as string}`;
      // Two events of one transaction never share a statement: the second is applied after the first.
      if (this.keys.has(key) || this.waiting.length >= MAX_EVENTS_PER_STATEMENT) this.send();
      this.waiting.push({ values, resolve, reject });
      this.keys.add(key);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.send();
        });
      }
    });
  }

  private send(): void {
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    this.keys = new Set();
    void (batch.length === 1 ? this.alone(batch[0]!) : this.together(batch));
  }

  private async alone(w: Waiting): Promise<void> {
    try {
      const [row] = await this.single(this.db, w.values);
      w.resolve(row);
    } catch (error) {
      w.reject(error);
    }
  }

  private async together(batch: Waiting[]): Promise<void> {
    let rows: Array<CachedApplyRow & { i: number }>;
    try {
      const records = batch.map((w, i) => Object.assign({ i }, w.values));
      rows = await applyBatch(this.db, { batch: JSON.stringify(records) });
    } catch {
      await Promise.all(batch.map((w) => this.alone(w)));
      return;
    }
    const byIndex = new Map(rows.map((row) => [Number(row.i), row]));
    batch.forEach((w, i) => w.resolve(byIndex.get(i)));
  }
}

const batchers = new WeakMap<Db, Batcher>();

/** Applies one cached event's values (the one-event statement's parameters) with the others of this turn. */
export function applyCachedInBatch(db: Db, values: Record<string, unknown>, single: Single): Promise<CachedApplyRow | undefined> {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new Batcher(db, single)));
  return batcher.apply(values);
}
