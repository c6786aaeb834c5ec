// OCPP 2.0.1 block E/F use cases end to end, part 2: the EV side and the network during a
// transaction. E09 cable disconnected on the EV side (stop), E10 (suspend), E11 connection loss
// during a transaction, E15 end of the charging process, F04 remote stop of an ISO 15118 session.
// Each test checks what the CSMS answered and what it stored (via GraphQL). Part 1 (E03, E04,
// E05, E08) is session-use-cases.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { gqlData, waitUntil } from '../support/graphql-client';
import { provisionIdTokens } from '../support/id-tokens';
import { bootedStation, startTestServer, type ConnectOptions, type TestServer } from '../support/server';
import { at, kWh, meterValue, newTxId, send, txEvent } from '../support/transaction-events';

const WAIT = 10_000;
const TOKEN = { idToken: 'UC-EV-TOKEN-1', type: 'ISO14443' };
const EVSE = { id: 1, connectorId: 1 };
const TX = `query ($id: ID!, $tx: String!) { transaction(stationId: $id, transactionId: $tx) {
  active chargingState stoppedReason triggerReason energyWh meterStartWh meterStopWh endedAt lastSeqNo idToken { idToken type }
  events { seqNo eventType triggerReason offline chargingState } } }`;
const CONNECTOR = 'query ($id: ID!) { station(id: $id) { evses { id connectors { id status } activeTransaction { transactionId } } } }';
const STOP = 'mutation ($id: ID!, $tx: String!) { requestStopTransaction(stationId: $id, input: { transactionId: $tx }) { status error { code } } }';

describe('block E use cases: EV side and connection loss', { timeout: 120_000 }, () => {
  let server: TestServer;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const transaction = async (id: string, tx: string) => (await api(TX, { id, tx })).transaction;
  const evse1 = async (id: string) => (await api(CONNECTOR, { id })).station.evses[0];

  const booted = (id: string, options: ConnectOptions = {}) => bootedStation(server, id, options);

  /** Started (Transaction.Begin 10 kWh, authorized) and Updated Charging, both answered. */
  async function charging(station: SimulatedStation, tx: string): Promise<void> {
    const started = await send(station, txEvent('Started', tx, {
      seqNo: 0, triggerReason: 'Authorized', chargingState: 'EVConnected', idToken: TOKEN, evse: EVSE,
      meterValue: [meterValue(0, kWh(10, 'Transaction.Begin'))],
    }));
    assert.equal(started.idTokenInfo?.status, 'Accepted');
    assert.deepEqual(await send(station, txEvent('Updated', tx, { seqNo: 1, chargingState: 'Charging' })), {});
  }

  before(async () => {
    server = await startTestServer();
    await provisionIdTokens(server, [TOKEN]);
  });
  after(() => server.close());

  test('E09 EV-side cable disconnected, StopTxOnEVSideDisconnect=true: Ended EVCommunicationLost/EVDisconnected', async () => {
    const station = await booted('UC-E09');
    await station.plugIn(1);
    assert.equal(await station.authorize(TOKEN), 'Accepted');
    await waitUntil(() => station.transaction(1)?.chargingState === 'Charging', WAIT, 'the simulator to charge');
    const tx = station.transaction(1)!.transactionId;
    await waitUntil(async () => (await transaction('UC-E09', tx))?.chargingState === 'Charging', WAIT, 'Charging stored');
    assert.equal((await evse1('UC-E09')).activeTransaction?.transactionId, tx);

    await station.unplug(1);
    await waitUntil(async () => (await transaction('UC-E09', tx)).active === false, WAIT, 'the Ended event');
    const stored = await transaction('UC-E09', tx);
    assert.deepEqual(stored.events.at(-1), { seqNo: stored.lastSeqNo, eventType: 'Ended', triggerReason: 'EVCommunicationLost', offline: false, chargingState: 'Idle' });
    assert.deepEqual([stored.stoppedReason, stored.chargingState, stored.idToken], ['EVDisconnected', 'Idle', TOKEN]);
    await waitUntil(async () => (await evse1('UC-E09')).connectors[0].status === 'Available', WAIT, 'the connector Available');
    assert.equal((await evse1('UC-E09')).activeTransaction, null);
  });

  test('E10 EV-side cable disconnected, StopTxOnEVSideDisconnect=false: suspended (Idle), resumed when reconnected', async () => {
    const station = await booted('UC-E10');
    const tx = newTxId('e10');
    await charging(station, tx);
    const lost = await send(station, txEvent('Updated', tx, {
      seqNo: 2, seconds: 300, triggerReason: 'EVCommunicationLost', chargingState: 'Idle', meterValue: [meterValue(300, kWh(12))],
    }));
    assert.deepEqual(lost, {});
    let stored = await transaction('UC-E10', tx);
    assert.deepEqual([stored.active, stored.chargingState, stored.triggerReason, stored.stoppedReason], [true, 'Idle', 'EVCommunicationLost', null]);
    assert.equal((await evse1('UC-E10')).activeTransaction?.transactionId, tx, 'still the active transaction of the EVSE');

    // The EV is connected again: the same transaction continues.
    await send(station, txEvent('Updated', tx, { seqNo: 3, seconds: 400, triggerReason: 'CablePluggedIn', chargingState: 'EVConnected' }));
    await send(station, txEvent('Updated', tx, { seqNo: 4, seconds: 410, triggerReason: 'ChargingStateChanged', chargingState: 'Charging' }));
    stored = await transaction('UC-E10', tx);
    assert.deepEqual([stored.active, stored.chargingState], [true, 'Charging']);
    await send(station, txEvent('Ended', tx, {
      seqNo: 5, seconds: 900, triggerReason: 'StopAuthorized', stoppedReason: 'Local', idToken: TOKEN,
      meterValue: [meterValue(900, kWh(15, 'Transaction.End'))],
    }));
    stored = await transaction('UC-E10', tx);
    assert.deepEqual(stored.events.map((e: any) => e.chargingState), ['EVConnected', 'Charging', 'Idle', 'EVConnected', 'Charging', null]);
    assert.deepEqual([stored.active, stored.stoppedReason, stored.energyWh], [false, 'Local', 5000]);
  });

  test('E11 connection loss during a transaction: queued events delivered after reconnect, stored exactly once', async () => {
    const station = await booted('UC-E11', { meterIntervalMs: 200 });
    await station.plugIn(1);
    await station.authorize(TOKEN);
    await waitUntil(() => station.transaction(1)?.chargingState === 'Charging', WAIT, 'the simulator to charge');
    const tx = station.transaction(1)!.transactionId;
    await waitUntil(async () => (await transaction('UC-E11', tx))?.events.some((e: any) => e.triggerReason === 'MeterValuePeriodic'), WAIT, 'a periodic sample online');

    await station.goOffline();
    await waitUntil(() => station.sessions.outbox.pending >= 3, WAIT, 'samples queued while offline');
    const beforeReconnect = (await transaction('UC-E11', tx)).lastSeqNo;
    await station.goOnline();
    await waitUntil(() => station.sessions.outbox.pending === 0, WAIT, 'the queue to drain');
    await station.close(); // no more samples: the stored state can be compared
    const made = station.transaction(1)!.seqNo; // events the station made (seqNo of the next one)
    const stored = await transaction('UC-E11', tx);
    const seqNos = stored.events.map((e: any) => e.seqNo);
    // An event in flight when the network dropped may have been stored already; it is sent again
    // with the same seqNo and must not be stored twice.
    assert.deepEqual(seqNos, Array.from({ length: made }, (_, i) => i), 'every seqNo the station made, exactly once');
    assert.ok(stored.lastSeqNo >= beforeReconnect + 2, `${stored.lastSeqNo} after ${beforeReconnect}`);
    const offline = stored.events.filter((e: any) => e.offline);
    assert.ok(offline.length >= 2 && offline.every((e: any) => e.seqNo > beforeReconnect - 1), JSON.stringify(stored.events));
    assert.deepEqual([stored.active, stored.chargingState], [true, 'Charging'], 'the transaction went on while offline');

    // The ack of the last replayed event was lost: the station sends it again; answered, not stored twice.
    const replayStation = await server.connectStation('UC-E11', { meterIntervalMs: 0 });
    assert.equal((await replayStation.boot()).status, 'Accepted');
    const again = await send(replayStation, txEvent('Updated', tx, { seqNo: stored.lastSeqNo, offline: true, triggerReason: 'MeterValuePeriodic', meterValue: [meterValue(0, kWh(999))] }));
    assert.deepEqual(again, {});
    const after = await transaction('UC-E11', tx);
    assert.deepEqual([after.events.length, after.lastSeqNo, after.energyWh], [stored.events.length, stored.lastSeqNo, stored.energyWh]);
  });

  test('E15 end of charging process: the EV stops drawing energy (SuspendedEV), the transaction stays open', async () => {
    const station = await booted('UC-E15');
    const tx = newTxId('e15');
    await charging(station, tx);
    await send(station, txEvent('Updated', tx, { seqNo: 2, seconds: 1200, triggerReason: 'MeterValuePeriodic', meterValue: [meterValue(1200, kWh(30))] }));
    // The battery is full: the EV suspends; the station reports it (ChargingStateChanged → SuspendedEV).
    assert.deepEqual(await send(station, txEvent('Updated', tx, {
      seqNo: 3, seconds: 1500, triggerReason: 'ChargingStateChanged', chargingState: 'SuspendedEV', meterValue: [meterValue(1500, kWh(31))],
    })), {});
    let stored = await transaction('UC-E15', tx);
    assert.deepEqual([stored.active, stored.chargingState, stored.triggerReason, stored.energyWh], [true, 'SuspendedEV', 'ChargingStateChanged', 21_000]);
    await send(station, txEvent('Updated', tx, { seqNo: 4, seconds: 1800, triggerReason: 'MeterValuePeriodic', meterValue: [meterValue(1800, kWh(31))] }));
    stored = await transaction('UC-E15', tx);
    assert.deepEqual([stored.chargingState, stored.energyWh], ['SuspendedEV', 21_000], 'a periodic event without chargingState keeps SuspendedEV');

    // The driver comes back and unplugs: Ended, EVDisconnected.
    await send(station, txEvent('Ended', tx, {
      seqNo: 5, seconds: 3600, triggerReason: 'EVCommunicationLost', stoppedReason: 'EVDisconnected', chargingState: 'Idle',
      meterValue: [meterValue(3600, kWh(31, 'Transaction.End'))],
    }));
    stored = await transaction('UC-E15', tx);
    assert.deepEqual([stored.active, stored.stoppedReason, stored.endedAt, stored.meterStopWh, stored.energyWh], [false, 'EVDisconnected', at(3600), 31_000, 21_000]);
    assert.deepEqual(stored.events.map((e: any) => e.chargingState), ['EVConnected', 'Charging', null, 'SuspendedEV', null, 'Idle']);
  });

  test('F04 remote stop of an ISO 15118 session: RequestStopTransaction, the EV winds down, Ended Remote', async () => {
    const station = await booted('UC-F04');
    const tx = newTxId('f04');
    await charging(station, tx);
    const requests: any[] = [];
    station.handle('RequestStopTransaction', (payload) => {
      requests.push(payload);
      return { status: 'Accepted' };
    });
    assert.deepEqual((await api(STOP, { id: 'UC-F04', tx })).requestStopTransaction, { status: 'Accepted', error: null });
    assert.deepEqual(requests, [{ transactionId: tx }]);
    assert.equal((await transaction('UC-F04', tx)).active, true, 'only the Ended event ends it');

    // F04: the station asks the EV to stop (ISO 15118 PowerDelivery), reports the state change, then ends.
    await send(station, txEvent('Updated', tx, { seqNo: 2, seconds: 600, triggerReason: 'RemoteStop', chargingState: 'EVConnected' }));
    await send(station, txEvent('Ended', tx, {
      seqNo: 3, seconds: 610, triggerReason: 'RemoteStop', stoppedReason: 'Remote', chargingState: 'EVConnected',
      meterValue: [meterValue(610, kWh(18, 'Transaction.End'))],
    }));
    const stored = await transaction('UC-F04', tx);
    assert.deepEqual([stored.active, stored.stoppedReason, stored.triggerReason, stored.energyWh], [false, 'Remote', 'RemoteStop', 8000]);
    // F03.FR.08/F04: a station that no longer knows the transaction answers Rejected; the API says so.
    station.handle('RequestStopTransaction', () => ({ status: 'Rejected' }));
    assert.deepEqual((await api(STOP, { id: 'UC-F04', tx })).requestStopTransaction.status, 'Rejected');
    assert.equal((await transaction('UC-F04', tx)).stoppedReason, 'Remote', 'nothing changed');
  });
});
