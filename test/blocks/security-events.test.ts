// A04 SecurityEventNotification: stored with type, time, techInfo and the critical flag, answered
// only after the row is stored (A04.FR.03), queryable per station and overall, and streamed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listSecurityEvents } from '../../src/db/queries/security-events';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { gqlData, subscribeReady } from '../support/graphql-client';
import { bootedStation, SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let station: SimulatedStation;
let other: SimulatedStation;

before(async () => {
  server = await startTestServer();
  station = await bootedStation(server, 'SEC-EV-1');
  other = await bootedStation(server, 'SEC-EV-2');
});
after(() => server?.close());

const notify = (s: SimulatedStation, type: string, techInfo?: string, timestamp = new Date().toISOString()) =>
  s.call('SecurityEventNotification', { type, timestamp, ...(techInfo !== undefined && { techInfo }) });

const EVENTS = `query ($id: ID!, $first: Int, $after: String, $critical: Boolean) {
  station(id: $id) { securityEvents(first: $first, after: $after, criticalOnly: $critical) {
    edges { cursor node { id stationId type timestamp techInfo critical source receivedAt } }
    pageInfo { hasNextPage endCursor } } } }`;

describe('A04 SecurityEventNotification', SUITE_TIMEOUT, () => {
  test('A04.FR.03: answered with an empty response after the event is stored', async () => {
    const timestamp = '2026-11-24T06:00:00.000Z';
    assert.deepEqual(await notify(station, 'TamperDetectionActivated', 'lid opened', timestamp), {});
    const [row] = await listSecurityEvents(server.app.database.db, { stationId: 'SEC-EV-1' }, undefined, 1);
    assert.equal(row?.type, 'TamperDetectionActivated');
    assert.equal(row?.techInfo, 'lid opened');
    assert.equal(row?.timestamp.toISOString(), timestamp);
    assert.equal(row?.source, 'Station');
    assert.equal(row?.critical, true);
  });

  test('SPEC-NOTES §2.7: critical types are flagged; non-critical and vendor types are stored unflagged', async () => {
    await notify(station, 'InvalidMessages');
    await notify(station, 'AcmeCabinetDoorOpened', 'vendor-specific type');
    await notify(station, 'InvalidChargingStationCertificate', 'TC_A_14_CSMS: CertificateSigned rejected');
    const rows = await listSecurityEvents(server.app.database.db, { stationId: 'SEC-EV-1' }, undefined, 3);
    assert.deepEqual(rows.map((r) => [r.type, r.critical]), [
      ['InvalidChargingStationCertificate', true],
      ['AcmeCabinetDoorOpened', false],
      ['InvalidMessages', false],
    ]);
  });

  test('queryable per station, newest first, with cursor pages and a critical-only filter', async () => {
    const first = await gqlData(server.httpUrl, server.adminKey, EVENTS, { id: 'SEC-EV-1', first: 2 });
    const page1 = first.station.securityEvents;
    assert.deepEqual(page1.edges.map((e: any) => e.node.type), ['InvalidChargingStationCertificate', 'AcmeCabinetDoorOpened']);
    assert.equal(page1.pageInfo.hasNextPage, true);
    const second = await gqlData(server.httpUrl, server.adminKey, EVENTS, { id: 'SEC-EV-1', first: 2, after: page1.pageInfo.endCursor });
    assert.deepEqual(second.station.securityEvents.edges.map((e: any) => e.node.type), ['InvalidMessages', 'TamperDetectionActivated']);
    const critical = await gqlData(server.httpUrl, server.adminKey, EVENTS, { id: 'SEC-EV-1', critical: true });
    assert.deepEqual(critical.station.securityEvents.edges.map((e: any) => e.node.type), ['InvalidChargingStationCertificate', 'TamperDetectionActivated']);
    const node = page1.edges[0].node;
    assert.equal(node.stationId, 'SEC-EV-1');
    assert.equal(node.source, 'Station');
    assert.equal(node.techInfo, 'TC_A_14_CSMS: CertificateSigned rejected');
  });

  test('the top-level securityEvents query filters by station; an unknown station has none', async () => {
    await notify(other, 'ResetOrReboot');
    const all = await gqlData(server.httpUrl, server.adminKey, '{ securityEvents(first: 100) { edges { node { stationId } } } }');
    const ids = new Set(all.securityEvents.edges.map((e: any) => e.node.stationId));
    assert.ok(ids.has('SEC-EV-1') && ids.has('SEC-EV-2'));
    const one = await gqlData(server.httpUrl, server.adminKey, '{ securityEvents(stationId: "sec-ev-2") { edges { node { type stationId } } } }');
    assert.deepEqual(one.securityEvents.edges.map((e: any) => e.node.type), ['ResetOrReboot']);
    const none = await gqlData(server.httpUrl, server.adminKey, '{ securityEvents(stationId: "NOPE") { edges { node { id } } } }');
    assert.deepEqual(none.securityEvents.edges, []);
  });

  test('streamed by the securityEvents subscription, filtered by station', async () => {
    const sub = await subscribeReady(server, server.adminKey, 'subscription ($id: ID) { securityEvents(stationId: $id) { stationId type critical techInfo } }', { id: 'SEC-EV-1' });
    try {
      await notify(other, 'StartupOfTheDevice');
      await notify(station, 'SettingSystemTime', 'clock moved 2 h');
      assert.deepEqual(await sub.nextData(), { securityEvents: { stationId: 'SEC-EV-1', type: 'SettingSystemTime', critical: true, techInfo: 'clock moved 2 h' } });
    } finally {
      await sub.dispose();
    }
  });
});
