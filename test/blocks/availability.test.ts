// Issue 2 §3: Heartbeat (G02) answers UTC time; StatusNotification (G01) and NotifyEvent
// AvailabilityState (G05/N07) update connector status, creating unknown EVSEs/connectors;
// online/last-seen are tracked without a database write per heartbeat.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { LAST_SEEN_BATCH, saveLastSeen } from '../../src/db/queries/stations';
import { stations } from '../../src/db/schema';
import { startTestServer, type TestServer } from '../support/server';
import { gqlData, waitUntil } from '../support/graphql-client';

const EVSES = 'query ($id: ID!) { station(id: $id) { evses { id connectors { id status statusAt } } } }';
const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

describe('G01/G02/G05 heartbeat, connector status, last seen', () => {
  let server: TestServer;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const evses = async (id: string) => (await api(EVSES, { id })).station.evses as Array<{ id: number; connectors: Array<{ id: number; status: string; statusAt: string }> }>;

  async function booted(id: string) {
    await server.provisionStation(id);
    const station = await server.connectStation(id);
    assert.equal((await station.boot()).status, 'Accepted');
    return station;
  }

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('G02 Heartbeat answers the current UTC time with a Z suffix', async () => {
    const station = await booted('HB-1');
    const before = Date.now();
    const { currentTime } = await station.call('Heartbeat', {});
    assert.match(currentTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const t = Date.parse(currentTime);
    assert.ok(t >= before - 1000 && t <= Date.now() + 1000, `${currentTime} is now`);
  });

  test('G01 StatusNotification updates a connector and creates EVSEs/connectors not seen before', async () => {
    const station = await booted('SN-1');
    assert.deepEqual(await evses('SN-1'), [], 'nothing known before any status');
    await station.call('StatusNotification', { timestamp: iso(-2000), connectorStatus: 'Available', evseId: 1, connectorId: 1 });
    await station.call('StatusNotification', { timestamp: iso(-1000), connectorStatus: 'Faulted', evseId: 3, connectorId: 2 });
    await station.call('StatusNotification', { timestamp: iso(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
    const known = await evses('SN-1');
    assert.deepEqual(known.map((e) => [e.id, e.connectors.map((c) => [c.id, c.status])]), [
      [1, [[1, 'Occupied']]],
      [3, [[2, 'Faulted']]],
    ]);
    // A delayed, older status does not overwrite a newer one.
    await station.call('StatusNotification', { timestamp: iso(-60_000), connectorStatus: 'Unavailable', evseId: 1, connectorId: 1 });
    assert.equal((await evses('SN-1'))[0]!.connectors[0]!.status, 'Occupied');
  });

  test('G05 NotifyEvent AvailabilityState of a Connector updates its status and creates it', async () => {
    const station = await booted('NE-1');
    const event = (eventId: number, component: object, variable: string, actualValue: string) => ({
      eventId, timestamp: iso(), trigger: 'Delta', actualValue, eventNotificationType: 'HardWiredMonitor', component, variable: { name: variable },
    });
    await station.call('NotifyEvent', {
      generatedAt: iso(), seqNo: 0,
      eventData: [
        event(1, { name: 'Connector', evse: { id: 4, connectorId: 1 } }, 'AvailabilityState', 'Reserved'),
        event(2, { name: 'Connector', evse: { id: 2, connectorId: 2 } }, 'AvailabilityState', 'Unavailable'),
        event(3, { name: 'EVSE', evse: { id: 5 } }, 'AvailabilityState', 'Faulted'), // an EVSE, not a connector
        event(4, { name: 'Connector', evse: { id: 6, connectorId: 1 } }, 'Problem', 'true'), // not AvailabilityState
      ],
    });
    const known = await evses('NE-1');
    assert.deepEqual(known.map((e) => [e.id, e.connectors.map((c) => [c.id, c.status])]), [
      [2, [[2, 'Unavailable']]],
      [4, [[1, 'Reserved']]],
    ]);
    const stored = await api('{ station(id: "NE-1") { events { eventId } } }');
    assert.deepEqual(stored.station.events.map((e: { eventId: number }) => e.eventId).sort(), [1, 2, 3, 4], 'all events stored');
  });

  test('heartbeats update lastSeen in memory without writing stations.last_seen_at per message', async () => {
    const station = await booted('SEEN-1');
    const stored = async () =>
      (await server.app.database.db.select({ at: stations.lastSeenAt }).from(stations).where(eq(stations.id, 'SEEN-1')))[0]!.at;
    const atBoot = await stored();
    assert.ok(atBoot instanceof Date, 'the boot itself is recorded');
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 30));
      await station.call('Heartbeat', {});
    }
    assert.equal((await stored())?.getTime(), atBoot.getTime(), 'no write per heartbeat');
    const { station: s } = await api('{ station(id: "SEEN-1") { online lastSeen } }');
    assert.equal(s.online, true);
    assert.ok(Date.parse(s.lastSeen) >= atBoot.getTime() + 150, `GraphQL lastSeen ${s.lastSeen} advanced past ${atBoot.toISOString()}`);
    await station.close();
    await waitUntil(() => !server.app.services.registry.isOnline('SEEN-1'), 10_000, 'the disconnect');
    const offline = (await api('{ station(id: "SEEN-1") { online lastSeen } }')).station;
    assert.equal(offline.online, false);
    assert.ok(Date.parse(offline.lastSeen) >= Date.parse(s.lastSeen), 'lastSeen kept after disconnect');
  });

  test('the last-seen flush stores every station, in batches, and never moves a time back', async () => {
    await booted('SEEN-2');
    await booted('SEEN-3');
    const db = server.app.database.db;
    const stored = async (id: string) => (await db.select({ at: stations.lastSeenAt }).from(stations).where(eq(stations.id, id)))[0]!.at!.getTime();
    const later = new Date(Date.now() + 60_000);
    // SEEN-3 last, in a batch of its own.
    const unknown = Array.from({ length: LAST_SEEN_BATCH - 1 }, (_, i): [string, Date] => [`NO-SUCH-STATION-${i}`, later]);
    await saveLastSeen(db, [['SEEN-2', later], ...unknown, ['SEEN-3', later]]);
    assert.equal(await stored('SEEN-2'), later.getTime());
    assert.equal(await stored('SEEN-3'), later.getTime());
    await saveLastSeen(db, [['SEEN-2', new Date(later.getTime() - 1000)]]);
    assert.equal(await stored('SEEN-2'), later.getTime(), 'an older time does not overwrite a newer one');
  });
});
