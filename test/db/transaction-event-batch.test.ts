// E02/E06 under load: TransactionEvents of cached transactions that arrive in one turn of the event
// loop are stored by one statement, each exactly as alone; an event the database refuses fails alone.
// Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import type { DbOperation } from '../../src/db/instrument';
import { remoteStarts, sampledValues, transactionEvents } from '../../src/db/schema';
import { applyTransactionEvent, findTransaction } from '../../src/db/queries/transactions';
import type { TransactionEventRequest } from '../../src/ocpp/generated/types';
import { openCountedDatabase } from '../support/counted-database';
import { kWh, meterValue, newTxId, txEvent } from '../support/transaction-events';

const STATIONS = Array.from({ length: 12 }, (_, i) => `CS-BATCH-${i}`);

describe('TransactionEvents of one turn share a statement', () => {
  let database: Database;
  let operations: DbOperation[];

  before(async () => {
    ({ database, operations } = await openCountedDatabase(STATIONS));
  });
  after(() => database.close());

  const apply = (station: string, event: ReturnType<typeof txEvent>) =>
    applyTransactionEvent(database.db, station, event as TransactionEventRequest, null);

  /** One started (and so cached) transaction per station. */
  async function startAll(remoteStartId?: number): Promise<string[]> {
    const ids = STATIONS.map(() => newTxId('batch'));
    for (const [i, station] of STATIONS.entries()) {
      await apply(station, txEvent('Started', ids[i]!, {
        seqNo: 0, evse: { id: 1, connectorId: 1 }, meterValue: [meterValue(0, kWh(10, 'Transaction.Begin'))],
        ...(remoteStartId !== undefined && { remoteStartId }),
      }));
    }
    return ids;
  }

  test('E02: Updated events of 12 transactions in one turn: one statement, each stored and folded as alone', async () => {
    const ids = await startAll(41);
    // A remote start the Started could not link yet (F01): the batched Updated links it.
    await database.db.insert(remoteStarts).values({ stationId: STATIONS[3]!, remoteStartId: 41, idToken: 'RS', idTokenType: 'Central', status: 'Accepted' });
    operations.length = 0;
    const results = await Promise.all(STATIONS.map((station, i) =>
      apply(station, txEvent('Updated', ids[i]!, { seqNo: 1, chargingState: 'Charging', meterValue: [meterValue(60, kWh(10 + i), kWh(20 + i))] }))));
    assert.deepEqual(operations, ['other'], 'one statement for the 12 events');
    for (const [i, station] of STATIONS.entries()) {
      const result = results[i]!;
      assert.equal(result.duplicate, false);
      if (result.duplicate) continue;
      assert.equal(result.sampledValueIds.length, 2);
      const row = await findTransaction(database.db, station, ids[i]!);
      assert.deepEqual([row?.eventCount, row?.version, row?.chargingState, row?.energyWh], [2, 2, 'Charging', (20 + i) * 1000 - 10_000]);
      const [samples] = await database.db.select({ n: count() }).from(sampledValues)
        .where(and(eq(sampledValues.stationId, station), eq(sampledValues.transactionId, ids[i]!)));
      assert.equal(samples!.n, 3);
    }
    const [linked] = await database.db.select().from(remoteStarts).where(eq(remoteStarts.stationId, STATIONS[3]!));
    assert.equal(linked!.transactionId, ids[3]);
  });

  test('E02: a repeated seqNo in a shared statement is a duplicate, the others are stored', async () => {
    const ids = await startAll();
    const results = await Promise.all(STATIONS.map((station, i) =>
      apply(station, txEvent('Updated', ids[i]!, { seqNo: i === 5 ? 0 : 1, chargingState: 'Charging' }))));
    assert.deepEqual(results.map((r) => r.duplicate), STATIONS.map((_, i) => i === 5));
    assert.equal((await findTransaction(database.db, STATIONS[5]!, ids[5]!))?.eventCount, 1);
    assert.equal((await findTransaction(database.db, STATIONS[6]!, ids[6]!))?.eventCount, 2);
  });

  test('an event the database refuses fails alone; the events that shared its statement are stored', async () => {
    const ids = await startAll();
    const settled = await Promise.allSettled(STATIONS.map((station, i) =>
      apply(station, txEvent('Updated', ids[i]!, { seqNo: 1, chargingState: 'Charging', ...(i === 7 && { numberOfPhasesUsed: 2 ** 40 }) }))));
    assert.deepEqual(settled.map((s) => s.status), STATIONS.map((_, i) => (i === 7 ? 'rejected' : 'fulfilled')));
    for (const [i, station] of STATIONS.entries()) {
      const [events] = await database.db.select({ n: count() }).from(transactionEvents)
        .where(and(eq(transactionEvents.stationId, station), eq(transactionEvents.transactionId, ids[i]!)));
      assert.equal(events!.n, i === 7 ? 1 : 2, `${station}: events stored`);
    }
  });
});
