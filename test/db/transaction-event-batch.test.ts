// E01/E02/E06 under load: TransactionEvents of cached transactions that arrive in one turn of the
// event loop are stored by one statement, and so are Started events of new transactions, each exactly
// as alone; an event the database refuses fails alone.
// Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import type { DbOperation } from '../../src/db/instrument';
import { remoteStarts, sampledValues, transactionEvents, transactions } from '../../src/db/schema';
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

  test('E01: Started events of 12 new transactions in one turn: one statement, each stored as alone', async () => {
    const older = newTxId('older');
    await apply(STATIONS[2]!, txEvent('Started', older, { seqNo: 0, seconds: -600, evse: { id: 1, connectorId: 1 } }));
    await apply(STATIONS[4]!, txEvent('Started', newTxId('other-evse'), { seqNo: 0, seconds: -600, evse: { id: 2, connectorId: 1 } }));
    await database.db.insert(remoteStarts).values({ stationId: STATIONS[9]!, remoteStartId: 77, idToken: 'RS', idTokenType: 'Central', status: 'Accepted' });
    const ids = STATIONS.map(() => newTxId('new'));
    operations.length = 0;
    const results = await Promise.all(STATIONS.map((station, i) => apply(station, txEvent('Started', ids[i]!, {
      seqNo: 0, evse: { id: 1, connectorId: 1 }, meterValue: [meterValue(0, kWh(10 + i, 'Transaction.Begin'))],
      ...(i === 9 && { remoteStartId: 77 }),
    }))));
    assert.deepEqual(operations, ['other'], 'one statement for the 12 events');
    for (const [i, station] of STATIONS.entries()) {
      const result = results[i]!;
      assert.equal(result.duplicate, false);
      if (result.duplicate) continue;
      assert.equal(result.sampledValueIds.length, 1);
      assert.deepEqual(result.otherActiveOnEvse, i === 2 ? [older] : [], `${station}: older sessions on EVSE 1`);
      const row = await findTransaction(database.db, station, ids[i]!);
      assert.deepEqual([row?.eventCount, row?.version, row?.evseId, row?.meterStartWh], [1, 1, 1, (10 + i) * 1000]);
    }
    const [linked] = await database.db.select().from(remoteStarts).where(eq(remoteStarts.stationId, STATIONS[9]!));
    assert.equal(linked!.transactionId, ids[9]);
  });

  test('E01: two Started events of one station in one turn do not share a statement: the later sees the earlier', async () => {
    const [first, second] = [newTxId('first'), newTxId('second')];
    operations.length = 0;
    const [a, b] = await Promise.all([
      apply(STATIONS[0]!, txEvent('Started', first, { seqNo: 0, seconds: 3600, evse: { id: 3, connectorId: 1 } })),
      apply(STATIONS[0]!, txEvent('Started', second, { seqNo: 0, seconds: 3660, evse: { id: 3, connectorId: 1 } })),
    ]);
    assert.equal(operations.length, 2, 'a statement each');
    assert.deepEqual([a.duplicate, b.duplicate], [false, false]);
    if (a.duplicate || b.duplicate) return;
    assert.deepEqual([a.otherActiveOnEvse, b.otherActiveOnEvse], [[], [first]]);
  });

  test('E01: a Started whose row exists already (not cached) leaves the shared statement unchanged and is stored alone', async () => {
    const fresh = STATIONS.map(() => newTxId('fresh'));
    await database.db.insert(transactions).values({ stationId: STATIONS[5]!, transactionId: fresh[5]! });
    const results = await Promise.all(STATIONS.map((station, i) =>
      apply(station, txEvent('Started', fresh[i]!, { seqNo: 0, seconds: 7200, evse: { id: 4, connectorId: 1 } }))));
    assert.deepEqual(results.map((r) => r.duplicate), STATIONS.map(() => false));
    for (const [i, station] of STATIONS.entries()) {
      const row = await findTransaction(database.db, station, fresh[i]!);
      assert.deepEqual([row?.eventCount, row?.evseId], [1, 4], station);
    }
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
