// Issue 2 §5 subscriptions end to end: simulator ⇄ server ⇄ graphql-ws subscriber on 127.0.0.1.
// Reset → Disconnected/Connected/Booted; ChangeAvailability → connectorStatusChanged; NotifyEvent →
// stationEvents; every subscription filtered by stationId.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { startTestServer, type TestServer } from '../support/server';
import { gqlData, subscribeReady, waitUntil, type TestSubscription } from '../support/graphql-client';
import { CONNECTION_EVENTS, CONNECTOR_EVENTS, ERROR, STATION_EVENTS } from '../graphql/documents';

const CHANGE = `mutation ($id: ID!, $input: ChangeAvailabilityInput!) { changeAvailability(stationId: $id, input: $input) { status ${ERROR} } }`;

describe('subscriptions over graphql-ws', () => {
  let server: TestServer;
  const open: TestSubscription[] = [];
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const listen = async (query: string, variables?: Record<string, unknown>) => {
    const sub = await subscribeReady(server, server.adminKey, query, variables);
    open.push(sub);
    return sub;
  };
  async function booted(id: string, evses = 1): Promise<SimulatedStation> {
    await server.provisionStation(id);
    const station = await server.connectStation(id, { evses });
    await station.start();
    return station;
  }
  /** The next `count` connector events, as "evse/connector=status" sorted. */
  async function connectorEvents(sub: TestSubscription, count: number) {
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      const { connectorStatusChanged: e } = await sub.nextData(10_000);
      assert.ok(Math.abs(Date.parse(e.timestamp) - Date.now()) < 5000 && e.timestamp.endsWith('Z'));
      seen.push(`${e.stationId}:${e.evseId}/${e.connectorId}=${e.status}`);
    }
    return seen.sort();
  }

  before(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.dispose()));
  });
  after(() => server.close());

  test('B11 reset Immediate: the station reconnects and boots with RemoteReset (Disconnected, Connected, Booted)', async () => {
    const station = await booted('RST-1');
    const sub = await listen(CONNECTION_EVENTS, { id: 'RST-1' });
    const reset = (await api(`mutation { reset(stationId: "RST-1", input: { type: Immediate }) { status ${ERROR} } }`)).reset;
    assert.deepEqual(reset, { status: 'Accepted', error: null });
    const kinds: Array<[string, string | null]> = [];
    for (let i = 0; i < 3; i++) {
      const { stationConnectionChanged: e } = await sub.nextData(10_000);
      assert.equal(e.stationId, 'RST-1');
      assert.ok(e.at.endsWith('Z'));
      kinds.push([e.kind, e.registrationStatus]);
    }
    assert.deepEqual(kinds, [['Disconnected', 'Accepted'], ['Connected', 'Accepted'], ['Booted', 'Accepted']]);
    const s = (await api('{ station(id: "RST-1") { online bootHistory(first: 1) { reason status } } }')).station;
    assert.deepEqual(s, { online: true, bootHistory: [{ reason: 'RemoteReset', status: 'Accepted' }] });
    await waitUntil(() => station.registration === 'Accepted', 10_000, 'the simulator to see its boot accepted');
  });

  test('G03/G04 changeAvailability of the station, an EVSE and a connector → connectorStatusChanged', async () => {
    await booted('AV-1', 2);
    const sub = await listen(CONNECTOR_EVENTS, { id: 'AV-1' });
    const change = async (input: Record<string, unknown>) => assert.deepEqual((await api(CHANGE, { id: 'AV-1', input })).changeAvailability, { status: 'Accepted', error: null });

    await change({ operationalStatus: 'Inoperative' });
    assert.deepEqual(await connectorEvents(sub, 2), ['AV-1:1/1=Unavailable', 'AV-1:2/1=Unavailable']);
    await change({ operationalStatus: 'Operative' });
    assert.deepEqual(await connectorEvents(sub, 2), ['AV-1:1/1=Available', 'AV-1:2/1=Available']);
    await change({ operationalStatus: 'Inoperative', evse: { id: 2 } });
    assert.deepEqual(await connectorEvents(sub, 1), ['AV-1:2/1=Unavailable']);
    await change({ operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 1 } });
    assert.deepEqual(await connectorEvents(sub, 1), ['AV-1:1/1=Unavailable']);
    await sub.expectNothing(200);

    const s = (await api('{ station(id: "AV-1") { evses { id availability connectors { id status } } } }')).station;
    assert.deepEqual(s.evses, [
      { id: 1, availability: null, connectors: [{ id: 1, status: 'Unavailable' }] },
      { id: 2, availability: 'Inoperative', connectors: [{ id: 1, status: 'Unavailable' }] },
    ]);
  });

  test('N07 stationEvents delivers NotifyEvent data', async () => {
    const station = await booted('EV-1');
    const sub = await listen(STATION_EVENTS, { id: 'EV-1' });
    const timestamp = new Date().toISOString();
    await station.call('NotifyEvent', {
      generatedAt: timestamp, seqNo: 0,
      eventData: [{
        eventId: 99, timestamp, trigger: 'Alerting', actualValue: 'true', techCode: 'OVERTEMP', cleared: false,
        eventNotificationType: 'HardWiredNotification', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'Problem' },
      }],
    });
    const { stationEvents: e } = await sub.nextData(10_000);
    assert.deepEqual(e, {
      stationId: 'EV-1', eventId: 99, timestamp, trigger: 'Alerting', actualValue: 'true', techCode: 'OVERTEMP', cleared: false,
      eventNotificationType: 'HardWiredNotification', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'Problem' },
    });
  });

  test('subscriptions filtered by stationId do not receive other stations\' events', async () => {
    const a = await booted('FLT-A');
    const b = await booted('FLT-B');
    const onlyA = await listen(CONNECTOR_EVENTS, { id: 'flt-a' }); // case-insensitive station id
    const everyone = await listen(CONNECTOR_EVENTS);
    const eventsOfA = await listen(STATION_EVENTS, { id: 'FLT-A' });
    const connectionsOfA = await listen(CONNECTION_EVENTS, { id: 'FLT-A' });
    const status = (connectorStatus: string) => ({ timestamp: new Date().toISOString(), connectorStatus, evseId: 1, connectorId: 1 });

    await b.call('StatusNotification', status('Occupied'));
    await b.call('NotifyEvent', { generatedAt: new Date().toISOString(), seqNo: 0, eventData: [{
      eventId: 1, timestamp: new Date().toISOString(), trigger: 'Alerting', actualValue: 'x', eventNotificationType: 'CustomMonitor',
      component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Problem' } }] });
    await b.close();
    assert.deepEqual(await connectorEvents(everyone, 1), ['FLT-B:1/1=Occupied']);
    await onlyA.expectNothing(300);
    await eventsOfA.expectNothing(50);
    await connectionsOfA.expectNothing(50);

    await a.call('StatusNotification', status('Faulted'));
    assert.deepEqual(await connectorEvents(onlyA, 1), ['FLT-A:1/1=Faulted']);
    assert.deepEqual(await connectorEvents(everyone, 1), ['FLT-A:1/1=Faulted']);
  });

  test('a viewer key may subscribe', async () => {
    const { createApiKey } = await api('mutation { createApiKey(input: { name: "watcher", role: viewer }) { key } }');
    const station = await booted('VIEW-1');
    const sub = await subscribeReady(server, createApiKey.key, CONNECTOR_EVENTS, { id: 'VIEW-1' });
    open.push(sub);
    await station.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Reserved', evseId: 1, connectorId: 1 });
    assert.deepEqual(await connectorEvents(sub, 1), ['VIEW-1:1/1=Reserved']);
  });
});
