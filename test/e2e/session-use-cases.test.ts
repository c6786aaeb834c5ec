// OCPP 2.0.1 block E use cases end to end, part 1: how transactions start and stop around
// authorization and the network. E03 IdToken first, E04 started while offline, E05 Id not
// accepted, E08 stopped while offline. The flows the simulator cannot express are sent as raw
// TransactionEvents; each test checks what the CSMS answered and what it stored (via GraphQL).
// Part 2 (E09, E10, E11, E15, F04) is session-use-cases-ev-side.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gqlData, waitUntil } from '../support/graphql-client';
import { provisionIdTokens } from '../support/id-tokens';
import { bootedStation, startTestServer, type ConnectOptions, type TestServer } from '../support/server';
import { at, kWh, meterValue, newTxId, send, txEvent } from '../support/transaction-events';

const WAIT = 10_000;
const GOOD = { idToken: 'UC-GOOD-1', type: 'ISO14443' };
const BLOCKED = { idToken: 'UC-BLOCKED-1', type: 'ISO14443' };
const UNKNOWN = { idToken: 'UC-NEVER-SEEN-1', type: 'ISO14443' };
const TX = `query ($id: ID!, $tx: String!) { transaction(stationId: $id, transactionId: $tx) {
  active chargingState stoppedReason triggerReason energyWh meterStartWh meterStopWh startedAt endedAt lastSeqNo
  idToken { idToken type } stopIdToken { idToken type }
  events { seqNo eventType triggerReason offline chargingState authorizationStatus idToken { idToken } } } }`;

describe('block E use cases: authorization and offline start/stop', { timeout: 120_000 }, () => {
  let server: TestServer;
  const transaction = async (id: string, tx: string) =>
    (await gqlData(server.httpUrl, server.adminKey, TX, { id, tx })).transaction;

  const booted = (id: string, options: ConnectOptions = {}) => bootedStation(server, id, options);

  before(async () => {
    server = await startTestServer();
    await provisionIdTokens(server, [{ ...GOOD }, { ...BLOCKED, status: 'Blocked' }]);
  });
  after(() => server.close());

  test('E03 start transaction – IdToken first: Authorize, Started (Authorized), then the cable', async () => {
    const station = await booted('UC-E03', { txStartPoint: 'Authorized' });
    assert.equal(await station.authorize(GOOD), 'Accepted');
    await waitUntil(() => station.transaction(1) !== undefined, WAIT, 'a transaction in the simulator');
    const tx = station.transaction(1)!.transactionId;
    await waitUntil(async () => (await transaction('UC-E03', tx)) !== null, WAIT, 'the Started event to be stored');
    const started = await transaction('UC-E03', tx);
    assert.deepEqual(started.events.map((e: any) => [e.eventType, e.triggerReason, e.authorizationStatus]), [['Started', 'Authorized', 'Accepted']]);
    assert.deepEqual([started.active, started.chargingState, started.idToken], [true, 'Idle', GOOD]);

    await station.plugIn(1); // E03: CablePluggedIn (EVConnected), then charging starts
    await waitUntil(async () => (await transaction('UC-E03', tx)).chargingState === 'Charging', WAIT, 'Charging');
    const charging = await transaction('UC-E03', tx);
    assert.deepEqual(charging.events.map((e: any) => e.triggerReason), ['Authorized', 'CablePluggedIn', 'ChargingStateChanged']);
    assert.deepEqual(charging.events.map((e: any) => e.chargingState), ['Idle', 'EVConnected', 'Charging']);
    assert.deepEqual([charging.active, charging.idToken, charging.lastSeqNo], [true, GOOD, 2]);
  });

  test('E03 EVConnectionTimeOut: authorized but never plugged in, ended with stoppedReason Timeout', async () => {
    const station = await booted('UC-E03T');
    const tx = newTxId('e03t');
    const startedAnswer = await send(station, txEvent('Started', tx, {
      seqNo: 0, triggerReason: 'Authorized', chargingState: 'Idle', idToken: GOOD, evse: { id: 1, connectorId: 1 },
      meterValue: [meterValue(0, kWh(5, 'Transaction.Begin'))],
    }));
    assert.equal(startedAnswer.idTokenInfo?.status, 'Accepted');
    const endedAnswer = await send(station, txEvent('Ended', tx, {
      seqNo: 1, seconds: 120, triggerReason: 'EVConnectTimeout', stoppedReason: 'Timeout', chargingState: 'Idle',
      meterValue: [meterValue(120, kWh(5, 'Transaction.End'))],
    }));
    assert.deepEqual(endedAnswer, {}, 'nothing to say about a token when the Ended event carries none');
    const stored = await transaction('UC-E03T', tx);
    assert.deepEqual([stored.active, stored.stoppedReason, stored.triggerReason, stored.energyWh], [false, 'Timeout', 'EVConnectTimeout', 0]);
    assert.deepEqual([stored.startedAt, stored.endedAt], [at(0), at(120)]);
  });

  test('E04 transaction started while offline: queued events delivered on reconnect, token checked, offline kept', async () => {
    const station = await booted('UC-E04');
    await station.goOffline();
    await station.goOnline();
    const tx = newTxId('e04');
    const queued = [
      txEvent('Started', tx, {
        seqNo: 0, seconds: 0, offline: true, triggerReason: 'Authorized', chargingState: 'EVConnected', idToken: GOOD,
        evse: { id: 1, connectorId: 1 }, meterValue: [meterValue(0, kWh(100, 'Transaction.Begin'))],
      }),
      txEvent('Updated', tx, { seqNo: 1, seconds: 30, offline: true, chargingState: 'Charging' }),
      txEvent('Updated', tx, { seqNo: 2, seconds: 600, offline: true, triggerReason: 'MeterValuePeriodic', meterValue: [meterValue(600, kWh(101.5))] }),
    ];
    const answers = [];
    for (const event of queued) answers.push(await send(station, event));
    // E04.FR.02 (and C_08): the CSMS still checks the token the station accepted offline.
    assert.equal(answers[0].idTokenInfo?.status, 'Accepted');
    const live = await send(station, txEvent('Updated', tx, { seqNo: 3, seconds: 660, triggerReason: 'MeterValuePeriodic', meterValue: [meterValue(660, kWh(101.7))] }));
    assert.equal(live.idTokenInfo, undefined);

    const stored = await transaction('UC-E04', tx);
    assert.deepEqual(stored.events.map((e: any) => [e.seqNo, e.offline]), [[0, true], [1, true], [2, true], [3, false]]);
    assert.equal(stored.startedAt, at(0), 'the start is when it happened offline, not when it was received');
    assert.deepEqual([stored.active, stored.chargingState, stored.idToken, stored.meterStartWh], [true, 'Charging', GOOD, 100_000]);
    assert.ok(Math.abs(stored.energyWh - 1700) < 1e-6, `energyWh ${stored.energyWh}`);
  });

  test('E04 started offline with a token the CSMS does not know: answered Unknown, transaction still recorded', async () => {
    const station = await booted('UC-E04U');
    const tx = newTxId('e04u');
    const answer = await send(station, txEvent('Started', tx, {
      seqNo: 0, offline: true, triggerReason: 'Authorized', chargingState: 'Charging', idToken: UNKNOWN, evse: { id: 1, connectorId: 1 },
    }));
    assert.equal(answer.idTokenInfo?.status, 'Unknown');
    const stored = await transaction('UC-E04U', tx);
    assert.deepEqual([stored.active, stored.events[0].offline, stored.events[0].authorizationStatus], [true, true, 'Unknown']);
  });

  test('E05 Id not accepted: unknown and blocked tokens are never answered Accepted; the station deauthorizes', async () => {
    const station = await booted('UC-E05');
    // E05 via Authorize (the token is checked before a transaction exists).
    assert.equal((await station.call('Authorize', { idToken: UNKNOWN })).idTokenInfo.status, 'Unknown');
    assert.equal((await station.call('Authorize', { idToken: BLOCKED })).idTokenInfo.status, 'Blocked');

    // E05 in a TransactionEvent: the cable started it (EVConnected), then a token was presented.
    for (const [token, status] of [[UNKNOWN, 'Unknown'], [BLOCKED, 'Blocked']] as const) {
      const tx = newTxId('e05');
      assert.deepEqual(await send(station, txEvent('Started', tx, { seqNo: 0, chargingState: 'EVConnected', evse: { id: 1, connectorId: 1 } })), {});
      const answer = await send(station, txEvent('Updated', tx, { seqNo: 1, triggerReason: 'Authorized', idToken: token }));
      assert.equal(answer.idTokenInfo?.status, status, `${token.idToken} answered ${JSON.stringify(answer)}`);
      // E05.FR: StopTxOnInvalidId=true — the station ends the transaction (Deauthorized / DeAuthorized).
      await send(station, txEvent('Ended', tx, { seqNo: 2, triggerReason: 'Deauthorized', stoppedReason: 'DeAuthorized', chargingState: 'EVConnected' }));
      const stored = await transaction('UC-E05', tx);
      assert.deepEqual([stored.active, stored.stoppedReason, stored.triggerReason], [false, 'DeAuthorized', 'Deauthorized']);
      assert.deepEqual(stored.events.map((e: any) => e.authorizationStatus), [null, status, null]);
    }

    // The same token as the very first event (Started with idToken) is not Accepted either.
    const tx = newTxId('e05s');
    const answer = await send(station, txEvent('Started', tx, { seqNo: 0, triggerReason: 'Authorized', idToken: BLOCKED, evse: { id: 1, connectorId: 1 } }));
    assert.equal(answer.idTokenInfo?.status, 'Blocked');
    // StopTxOnInvalidId=false: the station keeps the transaction but suspends the energy (SuspendedEVSE).
    await send(station, txEvent('Updated', tx, { seqNo: 1, triggerReason: 'ChargingStateChanged', chargingState: 'SuspendedEVSE' }));
    const stored = await transaction('UC-E05', tx);
    assert.deepEqual([stored.active, stored.chargingState, stored.events[0].authorizationStatus], [true, 'SuspendedEVSE', 'Blocked']);
  });

  test('E08 transaction stopped while offline: the queued Ended is applied with its own time', async () => {
    const station = await booted('UC-E08');
    const tx = newTxId('e08');
    const started = await send(station, txEvent('Started', tx, {
      seqNo: 0, triggerReason: 'Authorized', chargingState: 'Charging', idToken: GOOD, evse: { id: 1, connectorId: 1 },
      meterValue: [meterValue(0, kWh(20, 'Transaction.Begin'))],
    }));
    assert.equal(started.idTokenInfo?.status, 'Accepted');
    await station.goOffline();
    await station.goOnline();
    const stop = await send(station, txEvent('Ended', tx, {
      seqNo: 1, seconds: 900, offline: true, triggerReason: 'StopAuthorized', stoppedReason: 'Local', chargingState: 'EVConnected',
      idToken: GOOD, meterValue: [meterValue(900, kWh(27.5, 'Transaction.End'))],
    }));
    assert.equal(stop.idTokenInfo?.status, 'Accepted', 'E08: the stop token is answered (it was checked offline)');
    const stored = await transaction('UC-E08', tx);
    assert.deepEqual([stored.active, stored.stoppedReason, stored.endedAt, stored.meterStopWh, stored.energyWh], [false, 'Local', at(900), 27_500, 7_500]);
    assert.deepEqual(stored.events.map((e: any) => [e.eventType, e.offline]), [['Started', false], ['Ended', true]]);
    assert.deepEqual(stored.stopIdToken, GOOD);
  });

  test('E08 stopped offline with a token that turns out blocked: the stop stands, the answer says Blocked', async () => {
    const station = await booted('UC-E08B');
    const tx = newTxId('e08b');
    await send(station, txEvent('Started', tx, { seqNo: 0, chargingState: 'Charging', evse: { id: 1, connectorId: 1 } }));
    const stop = await send(station, txEvent('Ended', tx, {
      seqNo: 1, seconds: 300, offline: true, triggerReason: 'StopAuthorized', stoppedReason: 'Local', idToken: BLOCKED,
    }));
    assert.equal(stop.idTokenInfo?.status, 'Blocked');
    const stored = await transaction('UC-E08B', tx);
    assert.deepEqual([stored.active, stored.stoppedReason, stored.endedAt], [false, 'Local', at(300)], 'the CSMS cannot refuse a stop');
    assert.deepEqual(stored.events.at(-1).authorizationStatus, 'Blocked');
  });
});
