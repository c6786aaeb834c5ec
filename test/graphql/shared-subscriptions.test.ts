// graphql-ws subscribers running the same operation with the same variables under the same access
// scope share one graphql execution (one bus listener), yet each gets its own results, completes on
// its own, and is cut off with an error rather than buffered without bound when it stops reading.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { after, afterEach, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { createApiKey } from '../../src/graphql/api-keys';
import { subscribe, subscribeReady, waitUntil, type TestSubscription } from '../support/graphql-client';
import { bootedStation, startTestServer, type TestServer } from '../support/server';
import { kWh, meterValue, newTxId, send, txEvent } from '../support/transaction-events';
import { CONNECTOR_EVENTS } from './documents';

const METER = `subscription ($s: ID, $e: Int, $t: String) { meterValuesReceived(stationId: $s, evseId: $e, transactionId: $t) {
  stationId evseId transactionId sampledValues { value } } }`;
const DRIVER_TOKEN = { idToken: 'SHARE-DRIVER', type: 'ISO14443' };
const OTHER_TOKEN = { idToken: 'SHARE-OTHER', type: 'ISO14443' };

describe('shared graphql-ws subscription executions', { timeout: 120_000 }, () => {
  let server: TestServer;
  let station1: SimulatedStation;
  let station2: SimulatedStation;
  let idle: number;
  const open: TestSubscription[] = [];
  const listeners = () => server.app.services.bus.subscriberCount;
  const openSubscriptions = async () =>
    (await server.app.metrics!.registry.getSingleMetric('chargegraph_graphql_subscriptions_open')!.get()).values[0]?.value ?? 0;

  /** A subscriber that starts a new execution: it adds a bus listener. */
  const listen = async (key: string, query: string, variables: Record<string, unknown>) => {
    const sub = await subscribeReady(server, key, query, variables);
    open.push(sub);
    return sub;
  };
  /**
   * A subscriber that joins a running execution: the server counts it as open (which happens right
   * before graphql-ws hands it to the multicaster, with no I/O in between) and no bus listener is added.
   */
  const join = async (key: string, query: string, variables: Record<string, unknown>) => {
    const [busBefore, openBefore] = [listeners(), await openSubscriptions()];
    const sub = subscribe(server.httpUrl, key, query, variables);
    open.push(sub);
    await waitUntil(async () => (await openSubscriptions()) > openBefore, 10_000, 'the server to accept the subscription');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(listeners(), busBefore, 'joining a running execution adds no bus listener');
    return sub;
  };
  const meterValues = (station: SimulatedStation, evseId: number, value: number) =>
    station.call('MeterValues', { evseId, meterValue: [meterValue(value, kWh(value))] });
  const valueOf = async (sub: TestSubscription) => (await sub.nextData(5000)).meterValuesReceived.sampledValues[0].value as number;

  before(async () => {
    server = await startTestServer();
    station1 = await bootedStation(server, 'SHR-1');
    station2 = await bootedStation(server, 'SHR-2');
    idle = listeners();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.dispose()));
    // Else the next test could join an execution that is still ending.
    await waitUntil(async () => listeners() === idle && (await openSubscriptions()) === 0, 5000, 'every subscription to end');
  });
  after(() => server.close());

  test('two clients with the same document, variables and key share one execution and both get every event', async () => {
    const baseline = listeners();
    const a = await listen(server.adminKey, METER, { s: 'SHR-1' });
    assert.equal(listeners(), baseline + 1);
    const b = await join(server.adminKey, METER, { s: 'SHR-1' });
    for (const v of [1, 2, 3]) await meterValues(station1, 1, v);
    for (const sub of [a, b]) assert.deepEqual([await valueOf(sub), await valueOf(sub), await valueOf(sub)], [1, 2, 3]);
    assert.equal(listeners(), baseline + 1, 'one graphql execution for both');
  });

  test('staff keys share by role: another admin key joins, a viewer key runs its own execution', async () => {
    const otherAdmin = (await createApiKey(server.app.services, 'second admin', 'admin')).key;
    const viewer = (await createApiKey(server.app.services, 'watcher', 'viewer')).key;
    const baseline = listeners();
    const a = await listen(server.adminKey, METER, { s: 'SHR-1' });
    const b = await join(otherAdmin, METER, { s: 'SHR-1' });
    const c = await listen(viewer, METER, { s: 'SHR-1' });
    assert.equal(listeners(), baseline + 2);
    await meterValues(station1, 1, 7);
    for (const sub of [a, b, c]) assert.equal(await valueOf(sub), 7);
  });

  test('one client completing leaves the other receiving; after both complete no bus listener is left', async () => {
    const baseline = listeners();
    const a = await listen(server.adminKey, METER, { s: 'SHR-1' });
    const b = await join(server.adminKey, METER, { s: 'SHR-1' });
    await meterValues(station1, 1, 1);
    assert.equal(await valueOf(a), 1);
    assert.equal(await valueOf(b), 1);

    const openNow = await openSubscriptions();
    await a.dispose();
    await waitUntil(async () => (await openSubscriptions()) === openNow - 1, 5000, 'the first client to complete');
    await meterValues(station1, 1, 2);
    assert.equal(await valueOf(b), 2, 'the other client still receives');
    assert.equal(listeners(), baseline + 1, 'the execution runs on for the remaining client');

    await b.dispose();
    await waitUntil(() => listeners() === baseline, 5000, 'the bus listener to go away once the last client completed');
    const c = await listen(server.adminKey, METER, { s: 'SHR-1' });
    await meterValues(station1, 1, 3);
    assert.equal(await valueOf(c), 3, 'a later client starts a fresh execution');
  });

  test('different variables run separate executions, each with its own events', async () => {
    const baseline = listeners();
    const one = await listen(server.adminKey, METER, { s: 'SHR-1' });
    const two = await listen(server.adminKey, METER, { s: 'SHR-2' });
    const evse2 = await listen(server.adminKey, METER, { s: 'SHR-1', e: 2 });
    assert.equal(listeners(), baseline + 3);
    await meterValues(station2, 1, 20);
    await meterValues(station1, 1, 10);
    await meterValues(station1, 2, 12);
    assert.deepEqual([await valueOf(one), await valueOf(one)], [10, 12]);
    assert.equal(await valueOf(two), 20);
    assert.equal(await valueOf(evse2), 12);
    await one.expectNothing(200);
    await two.expectNothing(50);
    await evse2.expectNothing(50);
  });

  test('a driver key shares only with itself and still sees only its own transactions', async () => {
    const driverKey = (await createApiKey(server.app.services, 'app', 'driver', [DRIVER_TOKEN])).key;
    const otherDriverKey = (await createApiKey(server.app.services, 'app 2', 'driver', [DRIVER_TOKEN])).key;
    const station = await bootedStation(server, 'SHR-D', { evses: 2 });
    const baseline = listeners();
    const staff = await listen(server.adminKey, METER, { s: 'SHR-D' });
    const driver = await listen(driverKey, METER, { s: 'SHR-D' });
    const sameKey = await join(driverKey, METER, { s: 'SHR-D' });
    const sameTokensOtherKey = await listen(otherDriverKey, METER, { s: 'SHR-D' });
    assert.equal(listeners(), baseline + 3, 'admin, driver key 1 (two clients) and driver key 2');

    const [other, mine] = [newTxId('other'), newTxId('mine')];
    const started = (id: string, evseId: number, idToken: typeof DRIVER_TOKEN, value: number) =>
      txEvent('Started', id, { seqNo: 0, evse: { id: evseId, connectorId: 1 }, idToken, triggerReason: 'Authorized', meterValue: [meterValue(0, kWh(value))] });
    await send(station, started(other, 2, OTHER_TOKEN, 1));
    await meterValues(station, 0, 2);
    await send(station, started(mine, 1, DRIVER_TOKEN, 3));

    const seen = async (sub: TestSubscription) => {
      const { transactionId, sampledValues } = (await sub.nextData(5000)).meterValuesReceived;
      return `${transactionId}=${sampledValues[0].value}`;
    };
    assert.deepEqual([await seen(staff), await seen(staff), await seen(staff)], [`${other}=1`, 'null=2', `${mine}=3`]);
    for (const sub of [driver, sameKey, sameTokensOtherKey]) {
      assert.equal(await seen(sub), `${mine}=3`);
      await sub.expectNothing(100);
    }
  });

  test('each event is executed with fresh per-request caches: nested fields show the events stored so far', async () => {
    const TX_EVENTS = `subscription ($s: ID, $t: String) { transactionUpdated(stationId: $s, transactionId: $t) { lastSeqNo events { seqNo } } }`;
    const id = newTxId('share');
    const sub = await listen(server.adminKey, TX_EVENTS, { s: 'SHR-1', t: id });
    await send(station1, txEvent('Started', id, { seqNo: 0, evse: { id: 1, connectorId: 1 }, chargingState: 'EVConnected' }));
    assert.deepEqual((await sub.nextData(5000)).transactionUpdated.events.map((e: { seqNo: number }) => e.seqNo), [0]);
    await send(station1, txEvent('Updated', id, { seqNo: 1, chargingState: 'Charging' }));
    assert.deepEqual((await sub.nextData(5000)).transactionUpdated.events.map((e: { seqNo: number }) => e.seqNo), [0, 1]);
  });

  test('a refused subscription (errors, no iterator) is answered as is to every client and not kept', async () => {
    const driverKey = (await createApiKey(server.app.services, 'app 3', 'driver', [DRIVER_TOKEN])).key;
    const baseline = listeners();
    const subs = [subscribe(server.httpUrl, driverKey, CONNECTOR_EVENTS, {}), subscribe(server.httpUrl, driverKey, CONNECTOR_EVENTS, {})];
    open.push(...subs);
    for (const sub of subs) {
      const item = await sub.next(5000);
      const errors = item.kind === 'error' || item.kind === 'next' ? item.errors : undefined;
      assert.equal(errors?.[0]?.extensions?.code, 'NOT_FOUND', JSON.stringify(item));
    }
    const again = subscribe(server.httpUrl, driverKey, CONNECTOR_EVENTS, {});
    open.push(again);
    const item = await again.next(5000);
    assert.ok(item.kind === 'error' || item.kind === 'next');
    assert.equal(listeners(), baseline);
  });

  test('a client that stops reading is ended with an error once 1,000 results wait for it; the others are not held up', async () => {
    const baseline = listeners();
    const fast = await listen(server.adminKey, METER, { s: 'SHR-SLOW' });

    // A raw graphql-transport-ws client on the same execution that stops reading its socket.
    const openBefore = await openSubscriptions();
    const slow = new WebSocket(`${server.httpUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const received: Array<{ type: string; id?: string; payload?: any }> = [];
    slow.on('message', (data) => received.push(JSON.parse(String(data))));
    await once(slow, 'open');
    slow.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${server.adminKey}` } }));
    await waitUntil(() => received.some((m) => m.type === 'connection_ack'), 5000, 'connection_ack');
    slow.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: METER, variables: { s: 'SHR-SLOW' } } }));
    await waitUntil(async () => (await openSubscriptions()) > openBefore, 5000, 'the slow subscription to be accepted');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(listeners(), baseline + 1, 'the slow client joined the running execution');
    slow.pause();

    // Large results fill the socket buffers fast (here ~250 of them fit); beyond those, 1,000 more
    // must wait for the slow client before it is cut off.
    const padding = randomBytes(12 * 1024).toString('base64');
    const total = 1600;
    for (let i = 0; i < total; i++) {
      server.app.services.bus.publish({ type: 'meter-values', stationId: 'SHR-SLOW', evseId: 1, transactionId: `${i}:${padding}`, sampledValueIds: [] });
      const { transactionId } = (await fast.nextData(5000)).meterValuesReceived;
      assert.equal(Number(transactionId.split(':')[0]), i, 'the reading client gets every result, in order');
    }

    await fast.dispose();
    await waitUntil(() => listeners() === baseline, 5000, 'the execution to end: the slow client was detached from it');

    slow.resume();
    await waitUntil(() => received.some((m) => m.type === 'error' || m.type === 'complete'), 10_000, 'the slow client to be ended');
    const results = received.filter((m) => m.type === 'next').map((m) => Number(m.payload.data.meterValuesReceived.transactionId.split(':')[0]));
    assert.deepEqual(results, results.map((_, i) => i), 'what reached the slow client came in order, without gaps');
    assert.ok(results.length < total - 1000, `the slow client got ${results.length} of ${total}`);
    const end = received.at(-1)!;
    assert.equal(end.type, 'error', JSON.stringify(end).slice(0, 300));
    assert.equal(end.payload[0].extensions.code, 'SUBSCRIPTION_BACKLOG_EXCEEDED');
    slow.close();
  });
});
