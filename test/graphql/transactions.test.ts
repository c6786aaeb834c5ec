// Issue 3 §5 for sessions: transactions and meter values through GraphQL (queries, filters, paging,
// getTransactionStatus), live over graphql-ws, and a driver key that sees only its own sessions.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { createApiKey } from '../../src/graphql/api-keys';
import { gql, gqlData, subscribeReady, waitUntil, type TestSubscription } from '../support/graphql-client';
import { startTestServer, type TestServer } from '../support/server';
import { at, kWh, meterValue, newTxId, send, session, txEvent } from '../support/transaction-events';

const TX_FIELDS = `transactionId stationId evseId connectorId active startedAt endedAt stoppedReason endedBy chargingState triggerReason
  meterStartWh meterStopWh energyWh durationSeconds remoteStartId idToken { idToken type } stopIdToken { idToken type } lastSeqNo`;
const TRANSACTION = `query ($s: ID!, $t: String!, $m: MeterValueFilter) { transaction(stationId: $s, transactionId: $t) { ${TX_FIELDS}
  events { seqNo eventType timestamp triggerReason offline chargingState idToken { idToken } }
  meterValues(filter: $m) { timestamp value measurand phase location context unit multiplier signedMeterValue { signingMethod } evseId transactionId } } }`;
const LIST = `query ($first: Int, $after: String, $filter: TransactionFilter) { transactions(first: $first, after: $after, filter: $filter) {
  edges { cursor node { transactionId stationId active } } pageInfo { hasNextPage endCursor } } }`;
const STATUS = `mutation ($s: ID!, $input: GetTransactionStatusInput) { getTransactionStatus(stationId: $s, input: $input) {
  ongoingIndicator messagesInQueue error { code } } }`;
const TX_UPDATES = `subscription ($s: ID, $t: String) { transactionUpdated(stationId: $s, transactionId: $t) { transactionId active chargingState energyWh lastSeqNo } }`;
const METER_UPDATES = `subscription ($s: ID, $e: Int, $t: String) { meterValuesReceived(stationId: $s, evseId: $e, transactionId: $t) {
  stationId evseId transactionId sampledValues { timestamp value measurand unit } } }`;

const DRIVER_TOKEN = { idToken: 'DRIVER-A', type: 'ISO14443' };
const OTHER_TOKEN = { idToken: 'SOMEONE-ELSE', type: 'ISO14443' };

describe('GraphQL: transactions and meter values', () => {
  let server: TestServer;
  let gq1: SimulatedStation;
  let gq2: SimulatedStation;
  let driverKey: string;
  const ids = { ended: newTxId('ended'), other: newTxId('other'), mine: newTxId('mine') };
  const open: TestSubscription[] = [];
  const api = (query: string, variables?: Record<string, unknown>, key = server.adminKey) => gqlData(server.httpUrl, key, query, variables);
  const listen = async (query: string, variables: Record<string, unknown>, key = server.adminKey) => {
    const sub = await subscribeReady(server, key, query, variables);
    open.push(sub);
    return sub;
  };
  const listed = async (filter: object, key = server.adminKey) =>
    ((await api(LIST, { filter, first: 100 }, key)).transactions.edges as Array<{ node: { transactionId: string } }>).map((e) => e.node.transactionId).sort();

  before(async () => {
    server = await startTestServer({ TRANSACTION_GAP_CHECK_MS: '500' });
    for (const id of ['GQ-1', 'GQ-2']) await server.provisionStation(id);
    gq1 = await server.connectStation('GQ-1');
    gq2 = await server.connectStation('GQ-2');
    await gq1.boot();
    await gq2.boot();
    for (const e of session(ids.ended, 1, DRIVER_TOKEN)) await send(gq1, e);
    await send(gq1, session(ids.other, 2, OTHER_TOKEN)[0]!);
    await send(gq2, session(ids.mine, 1, { idToken: 'driver-a', type: 'ISO14443' })[0]!);
    driverKey = (await createApiKey(server.app.services, 'app', 'driver', [DRIVER_TOKEN])).key;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.dispose()));
  });
  after(() => server.close());

  test('transaction(stationId, transactionId): state, energy, duration, events and meter values, all in UTC', async () => {
    const { transaction: t } = await api(TRANSACTION, { s: 'gq-1', t: ids.ended });
    assert.deepEqual(
      { ...t, events: undefined, meterValues: undefined },
      {
        transactionId: ids.ended, stationId: 'GQ-1', evseId: 1, connectorId: 1, active: false, startedAt: at(0), endedAt: at(600),
        stoppedReason: 'EVDisconnected', endedBy: null, chargingState: 'Idle', triggerReason: 'EVCommunicationLost',
        meterStartWh: 10000, meterStopWh: 22345, energyWh: 12345, durationSeconds: 600, remoteStartId: null,
        idToken: DRIVER_TOKEN, stopIdToken: null, lastSeqNo: 2, events: undefined, meterValues: undefined,
      },
    );
    assert.deepEqual(t.events.map((e: { seqNo: number; eventType: string }) => [e.seqNo, e.eventType]), [[0, 'Started'], [1, 'Updated'], [2, 'Ended']]);
    assert.equal(t.events[0].idToken.idToken, 'DRIVER-A');
    assert.deepEqual(t.meterValues.map((m: { value: number; context: string }) => [m.value, m.context]), [[10, 'Transaction.Begin'], [11.5, 'Sample.Periodic'], [22.345, 'Transaction.End']]);
    assert.ok(t.meterValues.every((m: { timestamp: string; unit: string }) => m.timestamp.endsWith('Z') && m.unit === 'kWh'));
    const window = await api(TRANSACTION, { s: 'GQ-1', t: ids.ended, m: { from: at(30), to: at(600), measurand: 'Energy.Active.Import.Register' } });
    assert.deepEqual(window.transaction.meterValues.map((m: { value: number }) => m.value), [11.5], '[from, to)');
    assert.equal((await api(TRANSACTION, { s: 'GQ-1', t: 'no-such-tx' })).transaction, null);
  });

  test('transactions: filters by station, EVSE, idToken (case-insensitive), active and start time; cursor paging', async () => {
    assert.deepEqual(await listed({ stationId: 'gq-1' }), [ids.ended, ids.other].sort());
    assert.deepEqual(await listed({ stationId: 'GQ-1', evseId: 2 }), [ids.other]);
    assert.deepEqual(await listed({ idToken: 'driver-A' }), [ids.ended, ids.mine].sort());
    assert.deepEqual(await listed({ active: true, stationId: 'GQ-1' }), [ids.other]);
    assert.deepEqual(await listed({ from: at(0), to: at(1), stationId: 'GQ-2' }), [ids.mine]);
    assert.deepEqual(await listed({ from: at(1) }), []);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { transactions: conn }: any = await api(LIST, { first: 1, after, filter: {} });
      seen.push(...conn.edges.map((e: { node: { transactionId: string } }) => e.node.transactionId));
      after = conn.pageInfo.endCursor;
      if (!conn.pageInfo.hasNextPage) break;
    }
    assert.deepEqual(seen.sort(), Object.values(ids).sort(), 'each transaction once across pages');
    const bad = await gql(server.httpUrl, server.adminKey, LIST, { after: 'garbage' });
    assert.equal(bad.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  test('Station.meterValues per EVSE (0 = main meter) and Evse.activeTransaction', async () => {
    await gq1.call('MeterValues', { evseId: 0, meterValue: [meterValue(5, { value: 7, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW' } })] });
    await gq1.call('StatusNotification', { timestamp: at(1), connectorStatus: 'Occupied', evseId: 2, connectorId: 1 });
    const { station } = await api(`{ station(id: "GQ-1") { main: meterValues(evseId: 0) { value measurand evseId transactionId timestamp }
      power: meterValues(filter: { measurand: "Power.Active.Import" }) { value } evses { id activeTransaction { transactionId } } } }`);
    assert.deepEqual(station.main, [{ value: 7, measurand: 'Power.Active.Import', evseId: 0, transactionId: null, timestamp: at(5) }]);
    assert.deepEqual(station.power, [{ value: 7 }]);
    assert.deepEqual(station.evses, [{ id: 2, activeTransaction: { transactionId: ids.other } }]);
  });

  test('getTransactionStatus: the station answers; an ended transaction is closed; offline is an error', async () => {
    gq2.handle('GetTransactionStatus', (p: { transactionId?: string }) => (p.transactionId ? { ongoingIndicator: false, messagesInQueue: true } : { messagesInQueue: false }));
    try {
      assert.deepEqual((await api(STATUS, { s: 'GQ-2' })).getTransactionStatus, { ongoingIndicator: null, messagesInQueue: false, error: null });
      const ghost = newTxId('ghost');
      await send(gq2, txEvent('Started', ghost, { seqNo: 0, evse: { id: 2 } }));
      assert.deepEqual((await api(STATUS, { s: 'GQ-2', input: { transactionId: ghost } })).getTransactionStatus, { ongoingIndicator: false, messagesInQueue: true, error: null });
      const { transaction } = await api(TRANSACTION, { s: 'GQ-2', t: ghost });
      assert.deepEqual([transaction.active, transaction.endedBy, transaction.stoppedReason], [false, 'Reconciled', 'Other']);
    } finally {
      gq2.handle('GetTransactionStatus');
    }
    await server.provisionStation('GQ-OFF');
    assert.deepEqual((await api(STATUS, { s: 'GQ-OFF', input: {} })).getTransactionStatus.error, { code: 'StationOffline' });
  });

  test('transactionUpdated and meterValuesReceived deliver each stored event and its sampled values live', async () => {
    const id = newTxId('live');
    const updates = await listen(TX_UPDATES, { s: 'gq-1', t: id });
    const values = await listen(METER_UPDATES, { s: 'GQ-1', e: 3 });
    const [started, updated] = session(id, 3);
    await send(gq1, started!);
    assert.deepEqual((await updates.nextData(5000)).transactionUpdated, { transactionId: id, active: true, chargingState: 'EVConnected', energyWh: 0, lastSeqNo: 0 });
    const first = (await values.nextData(5000)).meterValuesReceived;
    assert.deepEqual(first, { stationId: 'GQ-1', evseId: 3, transactionId: id, sampledValues: [{ timestamp: at(0), value: 10, measurand: 'Energy.Active.Import.Register', unit: 'kWh' }] });
    await send(gq1, updated!);
    await send(gq1, updated!); // duplicate: nothing new to announce
    assert.deepEqual((await updates.nextData(5000)).transactionUpdated, { transactionId: id, active: true, chargingState: 'Charging', energyWh: 1500, lastSeqNo: 1 });
    assert.equal((await values.nextData(5000)).meterValuesReceived.sampledValues[0].value, 11.5);
    await gq1.call('MeterValues', { evseId: 3, meterValue: [meterValue(90, { value: 3.5, measurand: 'Current.Import', unitOfMeasure: { unit: 'A' } })] });
    assert.deepEqual((await values.nextData(5000)).meterValuesReceived.transactionId, null);
    await send(gq2, txEvent('Updated', ids.mine, { seqNo: 1 })); // another station, another transaction
    await updates.expectNothing(500);
    await values.expectNothing(300);
    const bus = server.app.services.bus;
    const listening = bus.subscriberCount;
    await Promise.all(open.splice(0).map((s) => s.dispose()));
    await waitUntil(() => bus.subscriberCount === listening - 2, 5000, 'the bus listeners to go away on unsubscribe');
  });

  test('a driver key sees only transactions started by its idTokens; anything else is absent', async () => {
    assert.deepEqual(await listed({}, driverKey), [ids.ended, ids.mine].sort());
    assert.deepEqual(await listed({ stationId: 'GQ-1' }, driverKey), [ids.ended]);
    assert.equal((await api(TRANSACTION, { s: 'GQ-1', t: ids.other }, driverKey)).transaction, null);
    assert.equal((await api(TRANSACTION, { s: 'GQ-2', t: ids.mine }, driverKey)).transaction.idToken.idToken, 'driver-a');
    const mine = await listen(TX_UPDATES, {}, driverKey);
    const values = await listen(METER_UPDATES, {}, driverKey);
    await send(gq1, txEvent('Updated', ids.other, { seqNo: 1, meterValue: [meterValue(120, kWh(12))] }));
    await gq2.call('MeterValues', { evseId: 0, meterValue: [meterValue(120, { value: 1 })] });
    await send(gq2, txEvent('Updated', ids.mine, { seqNo: 2, chargingState: 'Charging', meterValue: [meterValue(120, kWh(10.5))] }));
    assert.equal((await mine.nextData(5000)).transactionUpdated.transactionId, ids.mine, 'only its own session');
    assert.equal((await values.nextData(5000)).meterValuesReceived.transactionId, ids.mine, 'only its own values');
    await mine.expectNothing(300);
    await values.expectNothing(300);
  });
});
