// E01–E15 / E12 (offline replays), TC_E_53 (duplicates): applyTransactionEvent on the database, property
// based. Whatever order a transaction's events arrive in, with duplicates, the stored transaction ends
// up the same as when they arrive in seqNo order, and every answer carries exactly the stored row.
// Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL (prepared statements inside transactions).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { Database } from '../../src/db/client';
import { stations } from '../../src/db/schema';
import { applyTransactionEvent, findTransaction } from '../../src/db/queries/transactions';
import type { TransactionEventRequest } from '../../src/ocpp/generated/types';
import { openTestDatabase } from '../support/database';

const BASE = Date.parse('2025-03-01T10:00:00.000Z');
const at = (s: number) => new Date(BASE + s * 1000).toISOString();

interface Spec {
  evse: boolean;
  token: 0 | 1 | 2 | null;
  stopAuthorized: boolean;
  charging: boolean;
  phases: number | null;
  energy: { value: number; unit: 'Wh' | 'kWh'; location: 'Outlet' | 'Inlet' } | null;
  skew: number;
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  evse: fc.boolean(),
  token: fc.constantFrom(0 as const, 1 as const, 2 as const, null),
  stopAuthorized: fc.boolean(),
  charging: fc.boolean(),
  phases: fc.constantFrom(1, 3, null),
  energy: fc.option(fc.record({
    value: fc.integer({ min: 0, max: 100_000 }), unit: fc.constantFrom('Wh' as const, 'kWh' as const), location: fc.constantFrom('Outlet' as const, 'Inlet' as const),
  }), { nil: null }),
  skew: fc.integer({ min: -30, max: 30 }),
});

function eventOf(transactionId: string, seqNo: number, last: number, spec: Spec): TransactionEventRequest {
  const eventType = seqNo === 0 ? 'Started' : seqNo === last ? 'Ended' : 'Updated';
  const timestamp = at(seqNo * 60 + spec.skew);
  return {
    eventType, timestamp, seqNo,
    triggerReason: spec.stopAuthorized && spec.token !== null ? 'StopAuthorized' : 'MeterValuePeriodic',
    transactionInfo: { transactionId, ...(spec.charging && { chargingState: 'Charging' }), ...(eventType === 'Ended' && { stoppedReason: 'EVDisconnected' }) },
    ...(spec.evse && { evse: { id: 1, connectorId: 1 } }),
    ...(spec.token !== null && { idToken: { idToken: `TOKEN-${spec.token}`, type: 'ISO14443' } }),
    ...(spec.phases !== null && { numberOfPhasesUsed: spec.phases }),
    ...(spec.energy && {
      meterValue: [{
        timestamp,
        sampledValue: [
          { value: spec.energy.value, location: spec.energy.location, unitOfMeasure: { unit: spec.energy.unit } },
          { value: 16, measurand: 'Current.Import', phase: 'L1' },
        ],
      }],
    }),
  } as TransactionEventRequest;
}

const withoutUpdatedAt = <T extends { updatedAt: Date }>(row: T) => ({ ...row, updatedAt: undefined });

describe('applyTransactionEvent: any arrival order converges (E12, TC_E_53)', () => {
  let database: Database;
  let n = 0;
  before(async () => {
    database = await openTestDatabase();
    await database.db.insert(stations).values([{ id: 'CS-ORDERED' }, { id: 'CS-SHUFFLED' }]);
  });
  after(() => database.close());

  test('E12.FR.02 shuffled and duplicated events store the same transaction as in-order ones; the answer is the stored row', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(specArb, { minLength: 1, maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 3 }),
      fc.integer(),
      async (specs, duplicates, shuffleSeed) => {
        const transactionId = `tx-${++n}`;
        const last = specs.length - 1;
        const events = specs.map((spec, seqNo) => eventOf(transactionId, seqNo, last, spec));
        const authorization = (e: TransactionEventRequest) => (e.idToken ? { status: 'Accepted', groupIdToken: `G-${e.idToken.idToken}` } : null);
        for (const e of events) await applyTransactionEvent(database.db, 'CS-ORDERED', e, authorization(e));

        const arrival = events.map((e, i) => ({ e, key: (Math.imul(i + 1, 2654435761) ^ shuffleSeed) >>> 0 })).sort((a, b) => a.key - b.key).map((x) => x.e);
        for (const d of duplicates) arrival.splice(d % (arrival.length + 1), 0, events[d % events.length]!);
        const seen = new Set<number>();
        for (const e of arrival) {
          const result = await applyTransactionEvent(database.db, 'CS-SHUFFLED', e, authorization(e));
          assert.equal(result.duplicate, seen.has(e.seqNo), `seqNo ${e.seqNo}: duplicate only when already stored`);
          seen.add(e.seqNo);
          if (!result.duplicate) {
            const stored = await findTransaction(database.db, 'CS-SHUFFLED', transactionId);
            assert.deepEqual(result.transaction, stored, 'the answer carries exactly what is stored');
          }
        }
        const ordered = await findTransaction(database.db, 'CS-ORDERED', transactionId);
        const shuffled = await findTransaction(database.db, 'CS-SHUFFLED', transactionId);
        assert.ok(ordered && shuffled);
        assert.deepEqual(withoutUpdatedAt({ ...shuffled, stationId: 'CS-ORDERED' }), withoutUpdatedAt(ordered));
        assert.equal(shuffled.eventCount, events.length);
      },
    ), { numRuns: 40 });
  });

  // A Started of a new transaction is one statement (transaction-event-fast.ts); an Updated of a
  // transaction never seen takes the database transaction whose last statements go with the COMMIT.
  for (const [eventType, transactionId] of [['Started', 'TX-TAIL-1'], ['Updated', 'TX-TAIL-2']] as const) {
    test(`a failing write of the state (${eventType} of a new transaction) stores nothing of the event and rejects`, async () => {
      await database.db.insert(stations).values({ id: 'CS-TAIL' }).onConflictDoNothing();
      await database.db.execute(sql.raw(`
        create function fail_tail() returns trigger language plpgsql as $$
        begin if new.transaction_id like 'TX-TAIL%' and new.event_count > 0 then raise exception 'tail failure'; end if; return new; end $$`));
      await database.db.execute(sql.raw('create trigger fail_tail before insert or update on transactions for each row execute function fail_tail()'));
      const event: TransactionEventRequest = {
        eventType, timestamp: at(0), seqNo: 0, triggerReason: eventType === 'Started' ? 'CablePluggedIn' : 'MeterValuePeriodic',
        transactionInfo: { transactionId }, evse: { id: 1, connectorId: 1 },
        meterValue: [{ timestamp: at(0), sampledValue: [{ value: 10 }] }],
      };
      const count = async (table: string) => {
        const result = await database.db.execute(sql.raw(`select count(*)::int as n from ${table} where transaction_id = '${transactionId}'`));
        return ((Array.isArray(result) ? result : (result as { rows: unknown[] }).rows)[0] as { n: number }).n;
      };
      try {
        await assert.rejects(applyTransactionEvent(database.db, 'CS-TAIL', event, null), (err: Error) => /tail failure/.test(`${err.message} ${(err.cause as Error | undefined)?.message}`));
        assert.equal(await findTransaction(database.db, 'CS-TAIL', transactionId), undefined, 'the created transaction row was rolled back');
        assert.equal(await count('transaction_events'), 0, 'no event stored');
        assert.equal(await count('sampled_values'), 0, 'no sample stored');
      } finally {
        await database.db.execute(sql.raw('drop trigger fail_tail on transactions'));
        await database.db.execute(sql.raw('drop function fail_tail()'));
      }
      const retried = await applyTransactionEvent(database.db, 'CS-TAIL', event, null);
      assert.equal(retried.duplicate, false, 'the retry is stored');
      assert.equal((await findTransaction(database.db, 'CS-TAIL', transactionId))?.eventCount, 1);
      assert.equal(await count('sampled_values'), 1, 'its sample stored once');
    });
  }
});
