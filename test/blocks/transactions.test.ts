// Issue 3 §2 at the message level: E01–E15 TransactionEvent flows, exactly-once storage whatever
// the network does (duplicates, out of order, offline replays, Updated first, TC_E_53 seqNo restart),
// TC_E_31 seqNo gaps, idTokenInfo never Accepted for an invalid token, and storage failures.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { CallErrorResponse, type SimulatedStation } from '../../src/cli/simulator/station';
import { sampledValuesOfTransaction } from '../../src/db/queries/meter-values';
import { eventsOfTransactions, findTransaction } from '../../src/db/queries/transactions';
import { remoteStarts } from '../../src/db/schema';
import { waitUntil } from '../support/graphql-client';
import { provisionIdTokens } from '../support/id-tokens';
import { startTestServer, type TestServer } from '../support/server';
import { at, kWh, meterValue, newTxId, send, session, txEvent } from '../support/transaction-events';

const GAP_MS = 500;

describe('E Transactions: TransactionEvent storage and state', () => {
  let server: TestServer;
  let station: SimulatedStation;
  const db = () => server.app.database.db;
  const tx = (id: string, stationId = 'TX-1') => findTransaction(db(), stationId, id);
  const events = (id: string, stationId = 'TX-1') => eventsOfTransactions(db(), [{ stationId, transactionId: id }]);
  /** The stored state without what differs between two transactions (ids, bookkeeping times). */
  const comparable = async (id: string) => {
    const { transactionId: _t, updatedAt: _u, ...rest } = (await tx(id))!;
    return rest;
  };

  before(async () => {
    server = await startTestServer({ TRANSACTION_GAP_CHECK_MS: String(GAP_MS) });
    await server.provisionStation('TX-1');
    station = await server.connectStation('TX-1');
    assert.equal((await station.boot()).status, 'Accepted');
    await provisionIdTokens(server, [
      { idToken: 'GOOD-1', group: 'G1' }, { idToken: 'GOOD-2', group: 'G1' }, { idToken: 'OTHER-1', group: 'G2' },
      { idToken: 'BLOCKED-1', status: 'Blocked', group: 'G1' },
    ]);
  });
  after(() => server.close());

  test('E01/E02/E06 Started → Updated → Ended: answered, stored, state folded with energy in Wh', async () => {
    const id = newTxId();
    const [started, updated, ended] = session(id, 1);
    assert.deepEqual(await send(station, { ...started!, numberOfPhasesUsed: 3, cableMaxCurrent: 32, reservationId: 7 }), {});
    let t = (await tx(id))!;
    assert.equal(t.active, true);
    assert.equal(t.startedAt?.toISOString(), at(0));
    assert.deepEqual([t.evseId, t.connectorId, t.chargingState, t.triggerReason], [1, 1, 'EVConnected', 'CablePluggedIn']);
    assert.equal(t.meterStartWh, 10_000);
    assert.equal(t.meterStopWh, null, 'no stop reading while active');
    assert.deepEqual(await send(station, updated!), {});
    t = (await tx(id))!;
    assert.equal(t.energyWh, 1500, 'live energy while charging');
    assert.deepEqual(await send(station, ended!), {});
    t = (await tx(id))!;
    assert.deepEqual(
      { active: t.active, endedAt: t.endedAt?.toISOString(), stoppedReason: t.stoppedReason, endedBy: t.endedBy, chargingState: t.chargingState },
      { active: false, endedAt: at(600), stoppedReason: 'EVDisconnected', endedBy: null, chargingState: 'Idle' },
    );
    assert.deepEqual([t.meterStartWh, t.meterStopWh, t.energyWh], [10_000, 22_345, 12_345]);
    assert.deepEqual([t.numberOfPhasesUsed, t.cableMaxCurrent, t.reservationId, t.lastSeqNo, t.eventCount], [3, 32, 7, 2, 3]);
    assert.deepEqual((await events(id)).map((e) => [e.seqNo, e.eventType]), [[0, 'Started'], [1, 'Updated'], [2, 'Ended']]);
  });

  test('E06: an Ended without stoppedReason records Local; a remoteStartId links its RequestStartTransaction (F01)', async () => {
    const id = newTxId();
    await db().insert(remoteStarts).values({ stationId: 'TX-1', remoteStartId: 4242, evseId: 1, idToken: 'GOOD-1', idTokenType: 'ISO14443', status: 'Accepted' });
    await send(station, txEvent('Started', id, { seqNo: 0, evse: { id: 11 }, remoteStartId: 4242, triggerReason: 'RemoteStart' }));
    await send(station, txEvent('Ended', id, { seqNo: 1 }));
    const t = (await tx(id))!;
    assert.deepEqual([t.stoppedReason, t.remoteStartId, t.active], ['Local', 4242, false]);
    const [link] = await db().select().from(remoteStarts).where(sql`${remoteStarts.remoteStartId} = 4242`);
    assert.equal(link?.transactionId, id);
  });

  test('duplicates (same seqNo) are answered normally and stored once; nothing is reapplied or republished', async () => {
    const id = newTxId();
    const published: number[] = [];
    const off = server.app.services.bus.on('transaction-updated', (e) => e.transactionId === id && published.push(e.seqNo ?? -1));
    try {
      const [started, updated] = session(id, 12, { idToken: 'GOOD-1', type: 'ISO14443' });
      const first = await send(station, started!);
      assert.equal(first.idTokenInfo.status, 'Accepted');
      assert.deepEqual(await send(station, started!), first, 'the repeat gets the same answer');
      await send(station, updated!);
      await send(station, { ...updated!, meterValue: [meterValue(60, kWh(99))] }); // same seqNo, other content
      assert.equal((await events(id)).length, 2);
      assert.equal((await sampledValuesOfTransaction(db(), 'TX-1', id, {}, 100)).length, 2, 'samples stored once');
      assert.equal((await tx(id))!.energyWh, 1500, 'the duplicate did not change the state');
      assert.deepEqual(published, [0, 1]);
    } finally {
      off();
    }
  });

  test('E12 out-of-order and offline=true replays converge to the same state as in-order delivery', async () => {
    const inOrder = newTxId('a');
    const shuffled = newTxId('b');
    for (const e of session(inOrder, 2)) await send(station, e);
    const replay = session(shuffled, 2).map((e) => ({ ...e, offline: true }));
    for (const i of [2, 0, 1]) await send(station, replay[i]!);
    const a = await comparable(inOrder);
    const b = await comparable(shuffled);
    assert.deepEqual(b, a);
    assert.deepEqual((await events(shuffled)).map((e) => [e.seqNo, e.offline]), [[0, true], [1, true], [2, true]]);
  });

  test('an Updated before any Started creates the transaction; the late Started completes it', async () => {
    const id = newTxId();
    await send(station, txEvent('Updated', id, { seqNo: 1, seconds: 120, chargingState: 'Charging', evse: { id: 3, connectorId: 1 } }));
    let t = (await tx(id))!;
    assert.deepEqual([t.active, t.startedAt?.toISOString(), t.evseId, t.chargingState], [true, at(120), 3, 'Charging']);
    await send(station, txEvent('Started', id, { seqNo: 0, seconds: 60, chargingState: 'EVConnected' }));
    t = (await tx(id))!;
    assert.deepEqual([t.startedAt?.toISOString(), t.chargingState, t.lastSeqNo], [at(60), 'Charging', 1], 'Started time; latest state by seqNo');
  });

  test('TC_E_53 (E01.FR.07): seqNo restarting at 0 for a new transaction is normal and asks nothing', async () => {
    station.clearReceivedCalls();
    const first = newTxId();
    const second = newTxId();
    for (const e of session(first, 13)) await send(station, e);
    for (const e of session(second, 13)) await send(station, e);
    assert.equal((await events(second)).length, 3);
    assert.equal((await tx(second))!.energyWh, 12_345);
    await new Promise((r) => setTimeout(r, GAP_MS * 3));
    assert.ok(!station.receivedCalls.some((c) => c.action === 'GetTransactionStatus'), 'no GetTransactionStatus');
  });

  test('TC_E_31: a seqNo gap not filled in time triggers GetTransactionStatus; one filled in time does not', async () => {
    station.clearReceivedCalls();
    station.handle('GetTransactionStatus', () => ({ ongoingIndicator: true, messagesInQueue: false }));
    try {
      const filled = newTxId();
      const [s0, s1, s2] = session(filled, 14);
      await send(station, s0!);
      await send(station, s2!);
      await send(station, s1!);
      const gap = newTxId();
      const [g0, , g2] = session(gap, 15);
      await send(station, g0!);
      await send(station, { ...g2!, eventType: 'Updated' as const });
      const call = await station.waitForCall('GetTransactionStatus', 8000);
      assert.deepEqual(call, { transactionId: gap });
      await new Promise((r) => setTimeout(r, GAP_MS * 2));
      assert.ok(!station.receivedCalls.some((c) => c.action === 'GetTransactionStatus'), 'asked once, and only about the gap');
      assert.equal((await tx(gap))!.active, true, 'the station says it is ongoing');
    } finally {
      station.handle('GetTransactionStatus');
    }
  });

  test('TC_E_31: when the station says the transaction with a gap has ended, it is closed (E14.FR.03)', async () => {
    station.handle('GetTransactionStatus', () => ({ ongoingIndicator: false, messagesInQueue: false }));
    try {
      const id = newTxId();
      const [s0] = session(id, 16);
      await send(station, s0!);
      await send(station, txEvent('Updated', id, { seqNo: 3, seconds: 300, meterValue: [meterValue(300, kWh(15))] }));
      await waitUntil(async () => (await tx(id))?.active === false, 8000, 'the gap check to close it');
      const t = (await tx(id))!;
      assert.deepEqual([t.endedBy, t.stoppedReason, t.endedAt?.toISOString(), t.meterStopWh, t.energyWh], ['Reconciled', 'Other', at(300), 15_000, 5000]);
    } finally {
      station.handle('GetTransactionStatus');
    }
  });

  test('C_08/C_20/E_16: idTokenInfo answers the authorization; an invalid token is never Accepted', async () => {
    let evseId = 20;
    const status = async (idToken: string, type = 'ISO14443') => {
      const id = newTxId();
      const response = await send(station, txEvent('Started', id, { seqNo: 0, evse: { id: evseId++ }, idToken: { idToken, type }, triggerReason: 'Authorized' }));
      return [response.idTokenInfo?.status, (await events(id))[0]!.authorizationStatus];
    };
    assert.deepEqual(await status('NOT-KNOWN'), ['Unknown', 'Unknown']);
    assert.deepEqual(await status('BLOCKED-1'), ['Blocked', 'Blocked']);
    assert.deepEqual(await status('GOOD-1', 'eMAID'), ['Unknown', 'Unknown'], 'same value, other type');
    assert.deepEqual(await status('good-1'), ['Accepted', 'Accepted'], 'case-insensitive value');
    const plain = newTxId();
    assert.deepEqual(await send(station, txEvent('Started', plain, { seqNo: 0, evse: { id: evseId++ } })), {}, 'no idToken, no idTokenInfo');
  });

  test('E07/C09: a stop by another token is Accepted only for the same group; the stop token is recorded', async () => {
    const stopWith = async (idToken: string) => {
      const id = newTxId();
      const start = await send(station, txEvent('Started', id, { seqNo: 0, evse: { id: 6 }, idToken: { idToken: 'GOOD-1', type: 'ISO14443' }, triggerReason: 'Authorized' }));
      assert.equal(start.idTokenInfo.groupIdToken.idToken, 'G1');
      const stop = await send(station, txEvent('Ended', id, { seqNo: 1, idToken: { idToken, type: 'ISO14443' }, triggerReason: 'StopAuthorized', stoppedReason: 'Local' }));
      const t = (await tx(id))!;
      return [stop.idTokenInfo.status, t.idToken, t.stopIdToken, t.groupIdToken];
    };
    assert.deepEqual(await stopWith('GOOD-2'), ['Accepted', 'GOOD-1', 'GOOD-2', 'G1']);
    assert.deepEqual(await stopWith('OTHER-1'), ['Invalid', 'GOOD-1', 'OTHER-1', 'G1']);
    assert.deepEqual(await stopWith('GOOD-1'), ['Accepted', 'GOOD-1', 'GOOD-1', 'G1'], 'stopped by its own token');
  });

  test('E13: a storage failure answers InternalError and acknowledges nothing; the retry is stored once', async () => {
    const id = `FAIL-${newTxId()}`;
    await db().execute(sql.raw(`CREATE FUNCTION cg_fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.transaction_id LIKE 'FAIL-%' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$`));
    await db().execute(sql.raw('CREATE TRIGGER cg_fail BEFORE INSERT ON transaction_events FOR EACH ROW EXECUTE FUNCTION cg_fail_insert()'));
    const [started] = session(id, 17);
    try {
      await assert.rejects(send(station, started!), (err: unknown) => err instanceof CallErrorResponse && err.code === 'InternalError' && !/disk/.test(err.description));
      assert.equal(await tx(id), undefined, 'no transaction row');
      assert.equal((await sampledValuesOfTransaction(db(), 'TX-1', id, {}, 10)).length, 0, 'no sampled values');
    } finally {
      await db().execute(sql.raw('DROP TRIGGER cg_fail ON transaction_events'));
      await db().execute(sql.raw('DROP FUNCTION cg_fail_insert()'));
    }
    assert.deepEqual(await send(station, started!), {});
    assert.equal((await events(id)).length, 1);
    assert.equal((await tx(id))!.meterStartWh, 10_000);
  });
});

describe('E Transactions: ghost sessions are reconciled with GetTransactionStatus (E14)', () => {
  let server: TestServer;
  const tx = (stationId: string, id: string) => findTransaction(server.app.database.db, stationId, id);
  const ended = { ongoingIndicator: false, messagesInQueue: false };
  const ongoing = { ongoingIndicator: true, messagesInQueue: false };

  async function booted(id: string) {
    await server.provisionStation(id);
    const station = await server.connectStation(id);
    assert.equal((await station.boot()).status, 'Accepted');
    return station;
  }
  const start = (station: SimulatedStation, id: string, evseId: number, seconds = 0) =>
    send(station, txEvent('Started', id, { seqNo: 0, seconds, evse: { id: evseId, connectorId: 1 }, meterValue: [meterValue(seconds, kWh(5, 'Transaction.Begin'))] }));

  before(async () => {
    server = await startTestServer({ TRANSACTION_GAP_CHECK_MS: String(GAP_MS) });
  });
  after(() => server.close());

  test('after a boot, transactions the station says have ended are closed (PowerUp → PowerLoss); ongoing ones stay', async () => {
    const station = await booted('GHOST-1');
    const gone = newTxId();
    const alive = newTxId();
    await start(station, gone, 1);
    await send(station, txEvent('Updated', gone, { seqNo: 1, seconds: 90, meterValue: [meterValue(90, kWh(6.25))] }));
    await start(station, alive, 2);
    station.handle('GetTransactionStatus', (p: { transactionId: string }) => (p.transactionId === gone ? ended : ongoing));
    await station.boot('PowerUp');
    await waitUntil(async () => (await tx('GHOST-1', gone))?.active === false, 8000, 'the boot reconciliation');
    const closed = (await tx('GHOST-1', gone))!;
    assert.deepEqual(
      [closed.endedBy, closed.stoppedReason, closed.endedAt?.toISOString(), closed.meterStopWh, closed.energyWh],
      ['Reconciled', 'PowerLoss', at(90), 6250, 1250],
    );
    await station.waitForCall('GetTransactionStatus', 5000);
    await station.waitForCall('GetTransactionStatus', 5000);
    assert.equal((await tx('GHOST-1', alive))!.active, true);

    // The station's own Ended, delivered late from its queue, still wins.
    await send(station, txEvent('Ended', gone, { seqNo: 2, seconds: 100, stoppedReason: 'Reboot', offline: true }));
    const real = (await tx('GHOST-1', gone))!;
    assert.deepEqual([real.endedBy, real.stoppedReason, real.endedAt?.toISOString()], [null, 'Reboot', at(100)]);
  });

  test('a station that cannot answer keeps its transaction open after a boot (retried at the next boot)', async () => {
    const station = await booted('GHOST-2');
    const id = newTxId();
    await start(station, id, 1);
    station.handle('GetTransactionStatus', () => {
      throw new CallErrorResponse('NotImplemented', 'this station cannot report transaction status');
    });
    await station.boot('PowerUp');
    await station.waitForCall('GetTransactionStatus', 5000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await tx('GHOST-2', id))!.active, true);
  });

  test('an EVSE reported Available with a transaction still active: asked after the settle time, closed', async () => {
    const station = await booted('GHOST-3');
    const id = newTxId();
    await start(station, id, 2);
    station.handle('GetTransactionStatus', () => ended);
    await station.call('StatusNotification', { timestamp: at(300), connectorStatus: 'Available', evseId: 2, connectorId: 1 });
    assert.equal((await tx('GHOST-3', id))!.active, true, 'not closed at once: its Ended may be on the way');
    assert.deepEqual(await station.waitForCall('GetTransactionStatus', 8000), { transactionId: id });
    await waitUntil(async () => (await tx('GHOST-3', id))?.active === false, 5000, 'the close');
    assert.deepEqual([(await tx('GHOST-3', id))!.endedBy, (await tx('GHOST-3', id))!.stoppedReason], ['Reconciled', 'Other']);
  });

  test('Available followed by the normal Ended asks nothing', async () => {
    const station = await booted('GHOST-4');
    const id = newTxId();
    await start(station, id, 1);
    await station.call('StatusNotification', { timestamp: at(300), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
    await send(station, txEvent('Ended', id, { seqNo: 1, seconds: 300, stoppedReason: 'EVDisconnected' }));
    await new Promise((r) => setTimeout(r, GAP_MS * 3));
    assert.ok(!station.receivedCalls.some((c) => c.action === 'GetTransactionStatus'));
    assert.equal((await tx('GHOST-4', id))!.endedBy, null);
  });

  test('a Started on an EVSE with another active transaction closes the old one when the station says it ended', async () => {
    const station = await booted('GHOST-5');
    const old = newTxId();
    const other = newTxId();
    await start(station, old, 3);
    station.handle('GetTransactionStatus', () => ended);
    await start(station, other, 3, 600);
    assert.deepEqual(await station.waitForCall('GetTransactionStatus', 5000), { transactionId: old });
    await waitUntil(async () => (await tx('GHOST-5', old))?.active === false, 5000, 'the close');
    assert.equal((await tx('GHOST-5', other))!.active, true);
  });

  test('... and closes it too when the station cannot answer GetTransactionStatus (one transaction per EVSE)', async () => {
    const station = await booted('GHOST-6');
    const old = newTxId();
    await start(station, old, 1);
    await start(station, newTxId(), 1, 600);
    await waitUntil(async () => (await tx('GHOST-6', old))?.active === false, 8000, 'the close');
    assert.equal((await tx('GHOST-6', old))!.endedBy, 'Reconciled');
  });
});
