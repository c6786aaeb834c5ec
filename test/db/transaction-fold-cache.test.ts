// E01–E06 without reads: a Started of a new transaction, and any later event of a transaction whose
// fold inputs are in memory, is stored by one statement (no database transaction); a row changed
// since it was cached (E14 reconciliation, N10 clearCsmsData) is never overwritten from memory.
// Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/client';
import { instrumentDatabase, type DbOperation } from '../../src/db/instrument';
import { and, eq } from 'drizzle-orm';
import { remoteStarts, stations } from '../../src/db/schema';
import { forgetIdToken } from '../../src/db/queries/customer-data';
import { applyTransactionEvent, closeTransaction, findTransaction } from '../../src/db/queries/transactions';
import type { TransactionEventRequest } from '../../src/ocpp/generated/types';
import { openTestDatabase } from '../support/database';
import { kWh, meterValue, newTxId, txEvent } from '../support/transaction-events';

const STATION = 'CS-FOLD';
const token = { idToken: 'FOLD-TOKEN-1', type: 'ISO14443' };

describe('TransactionEvent folded from memory (one statement per event)', () => {
  let database: Database;
  const operations: DbOperation[] = [];

  before(async () => {
    database = await openTestDatabase();
    await database.db.insert(stations).values({ id: STATION });
    instrumentDatabase(database, { queryStarted: () => {}, queryFinished: (operation) => operations.push(operation) });
  });
  after(() => database.close());

  const apply = (event: ReturnType<typeof txEvent>) => applyTransactionEvent(database.db, STATION, event as TransactionEventRequest, null);
  /** The database operations one call made. */
  async function operationsOf(run: () => Promise<unknown>): Promise<DbOperation[]> {
    operations.length = 0;
    await run();
    return [...operations];
  }

  test('E01/E02/E06: Started, Updated and Ended of a session are one statement each, and fold like the full path', async () => {
    const id = newTxId();
    const started = txEvent('Started', id, { seqNo: 0, evse: { id: 1, connectorId: 1 }, idToken: token, meterValue: [meterValue(0, kWh(10, 'Transaction.Begin'))] });
    assert.deepEqual(await operationsOf(() => apply(started)), ['other'], 'Started: one statement');
    const updated = txEvent('Updated', id, { seqNo: 1, evse: { id: 1 }, chargingState: 'Charging', meterValue: [meterValue(60, kWh(12))] });
    assert.deepEqual(await operationsOf(() => apply(updated)), ['other'], 'Updated: one statement');
    const ended = txEvent('Ended', id, { seqNo: 2, stoppedReason: 'EVDisconnected', meterValue: [meterValue(120, kWh(15, 'Transaction.End'))] });
    assert.deepEqual(await operationsOf(() => apply(ended)), ['other'], 'Ended: one statement');
    const row = await findTransaction(database.db, STATION, id);
    assert.equal(row?.active, false);
    assert.equal(row?.evseId, 1);
    assert.equal(row?.idToken, token.idToken);
    assert.equal(row?.meterStartWh, 10_000);
    assert.equal(row?.meterStopWh, 15_000);
    assert.equal(row?.energyWh, 5_000);
    assert.equal(row?.eventCount, 3);
    assert.equal(row?.stoppedReason, 'EVDisconnected');
    assert.equal(row?.version, 3);
    // A repeated seqNo is a duplicate whatever path it takes, and changes nothing.
    assert.equal((await apply(updated)).duplicate, true);
    assert.equal((await findTransaction(database.db, STATION, id))?.version, 3);
  });

  test('an Updated of a transaction not in memory takes the database transaction and fills the memory', async () => {
    const id = newTxId();
    const first = txEvent('Updated', id, { seqNo: 3, evse: { id: 2 }, meterValue: [meterValue(0, kWh(1))] });
    assert.deepEqual(await operationsOf(() => apply(first)), ['transaction']);
    const next = txEvent('Updated', id, { seqNo: 4, evse: { id: 2 }, meterValue: [meterValue(60, kWh(2))] });
    assert.deepEqual(await operationsOf(() => apply(next)), ['other']);
    assert.equal((await findTransaction(database.db, STATION, id))?.energyWh, 1_000);
  });

  test('E14: a transaction closed by reconciliation after it was cached stays closed on a late Updated', async () => {
    const id = newTxId();
    await apply(txEvent('Started', id, { seqNo: 0, evse: { id: 3, connectorId: 1 } }));
    await apply(txEvent('Updated', id, { seqNo: 1, evse: { id: 3 } }));
    await closeTransaction(database.db, STATION, id, 'PowerLoss', 'Reconciled');
    const late = await apply(txEvent('Updated', id, { seqNo: 2, evse: { id: 3 } }));
    assert.equal(late.duplicate, false);
    const row = await findTransaction(database.db, STATION, id);
    assert.equal(row?.active, false, 'still closed');
    assert.equal(row?.endedBy, 'Reconciled');
    assert.equal(row?.eventCount, 3);
  });

  test('N10: idTokens anonymised after the transaction was cached are not restored by the next event', async () => {
    const id = newTxId();
    const anonymous = { idToken: 'FOLD-FORGET-ME', type: 'ISO14443' };
    await apply(txEvent('Started', id, { seqNo: 0, evse: { id: 4, connectorId: 1 }, idToken: anonymous }));
    await apply(txEvent('Updated', id, { seqNo: 1, evse: { id: 4 } }));
    await forgetIdToken(database.db, anonymous.idToken, anonymous.type, -1);
    await apply(txEvent('Updated', id, { seqNo: 2, evse: { id: 4 } }));
    const row = await findTransaction(database.db, STATION, id);
    assert.equal(row?.idToken, null);
    assert.equal(row?.eventCount, 3);
  });

  test('F01/F02: the remote start is linked by the one statement, on the event that first carries its remoteStartId', async () => {
    const id = newTxId();
    await database.db.insert(remoteStarts).values({ stationId: STATION, remoteStartId: 77, evseId: 6, idToken: token.idToken, idTokenType: token.type, status: 'Accepted' });
    await apply(txEvent('Started', id, { seqNo: 0, evse: { id: 6, connectorId: 1 } }));
    const updated = txEvent('Updated', id, { seqNo: 1, evse: { id: 6 }, remoteStartId: 77, triggerReason: 'RemoteStart' });
    assert.deepEqual(await operationsOf(() => apply(updated)), ['other']);
    const [link] = await database.db.select().from(remoteStarts).where(and(eq(remoteStarts.stationId, STATION), eq(remoteStarts.remoteStartId, 77)));
    assert.equal(link?.transactionId, id);
    assert.equal((await findTransaction(database.db, STATION, id))?.remoteStartId, 77);
  });

  test('E01: a Started of a new transaction reports the older session still active on its EVSE', async () => {
    const older = newTxId();
    const newer = newTxId();
    await apply(txEvent('Started', older, { seqNo: 0, seconds: 0, evse: { id: 5, connectorId: 1 } }));
    const result = await apply(txEvent('Started', newer, { seqNo: 0, seconds: 600, evse: { id: 5, connectorId: 1 } }));
    assert.equal(result.duplicate, false);
    assert.deepEqual(!result.duplicate && result.otherActiveOnEvse, [older]);
  });
});
