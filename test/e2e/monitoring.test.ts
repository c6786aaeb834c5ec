// Issue 4 §8 monitoring (N02–N07), simulator ⇄ server over real sockets: SetVariableMonitoring and
// ClearVariableMonitoring split by the station's MonitoringCtrlr limits, monitors stored in the
// device model with the station's ids, NotifyMonitoringReport parts assembled, monitoring base and
// level, and a NotifyEvent linked to the monitor that raised it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MONITORING_ITEMS_PER_MESSAGE } from '../../src/cli/simulator/monitoring-controller';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { gqlData, subscribeReady, waitUntil } from '../support/graphql-client';
import { bootedStation, startTestServer, type TestServer } from '../support/server';

const STATION = 'MON-1';
const MONITORS = `query ($id: ID!) { station(id: $id) { monitoringBase monitoringLevel
  monitors { id type value severity transaction source component { name evse { id connectorId } } variable { name } } } }`;
const SET = `mutation ($id: ID!, $input: SetVariableMonitoringInput!) { setVariableMonitoring(stationId: $id, input: $input) {
  setMonitoringResult { id status type severity component { name } variable { name } } error { code } } }`;
const CLEAR = `mutation ($id: ID!, $ids: [Int!]!) { clearVariableMonitoring(stationId: $id, input: { id: $ids }) {
  clearMonitoringResult { id status } error { code } } }`;
const REPORT = `mutation ($id: ID!, $input: GetMonitoringReportInput) { getMonitoringReport(stationId: $id, input: $input) {
  status report { requestId kind status partsReceived } error { code } } }`;

type Monitor = { id: number; type: string; value: number; severity: number; transaction: boolean; source: string; component: { name: string }; variable: { name: string } };

const power = { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } };
const stationState = { component: { name: 'ChargingStation' }, variable: { name: 'AvailabilityState' } };
const connectorState = { component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' } };

describe('monitoring (N02–N07)', { timeout: 120_000 }, () => {
  let server: TestServer;
  let station: SimulatedStation;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const stored = async () => (await api(MONITORS, { id: STATION })).station as { monitoringBase: string | null; monitoringLevel: number | null; monitors: Monitor[] };
  const ids = async () => (await stored()).monitors.map((m) => m.id);
  let custom: number[] = [];

  before(async () => {
    server = await startTestServer();
    station = await bootedStation(server, STATION);
    // The CSMS learns MonitoringCtrlr.ItemsPerMessage/BytesPerMessage from the station's device model.
    const base = await api(`mutation { getBaseReport(stationId: "${STATION}", input: { reportBase: FullInventory }) { report { status } } }`);
    assert.equal(base.getBaseReport.report.status, 'Complete');
  });
  after(() => server.close());

  test('N04.FR.09 setVariableMonitoring is split by ItemsPerMessage; results merged in order; accepted monitors stored with their ids', async () => {
    const data = [
      { ...power, type: 'UpperThreshold', value: 20000, severity: 3 },
      { ...power, type: 'LowerThreshold', value: 100, severity: 6 },
      { ...power, type: 'UpperThreshold', value: 50000, severity: 4 }, // beyond maxLimit: Rejected (N04.FR.06)
      { ...stationState, type: 'Delta', value: 1, severity: 2 },
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, type: 'Delta', value: 1, severity: 5 },
      { ...connectorState, type: 'Delta', value: 1, severity: 7, transaction: true },
    ];
    station.clearReceivedCalls();
    const results = (await api(SET, { id: STATION, input: { setMonitoringData: data } })).setVariableMonitoring;
    assert.equal(results.error, null);
    const first = await station.waitForCall('SetVariableMonitoring', 100);
    const second = await station.waitForCall('SetVariableMonitoring', 100);
    assert.deepEqual([first.setMonitoringData.length, second.setMonitoringData.length], [MONITORING_ITEMS_PER_MESSAGE, 6 - MONITORING_ITEMS_PER_MESSAGE]);
    const statuses = results.setMonitoringResult.map((r: { status: string }) => r.status);
    assert.deepEqual(statuses, ['Accepted', 'Accepted', 'Rejected', 'Accepted', 'UnsupportedMonitorType', 'Accepted']);
    assert.deepEqual(results.setMonitoringResult.map((r: { variable: { name: string } }) => r.variable.name), data.map((d) => d.variable.name));
    custom = results.setMonitoringResult.filter((r: { status: string }) => r.status === 'Accepted').map((r: { id: number }) => r.id);
    assert.equal(new Set(custom).size, 4);

    const monitors = (await stored()).monitors;
    assert.deepEqual(monitors.map((m) => m.id).sort((a, b) => a - b), [...custom].sort((a, b) => a - b));
    const upper = monitors.find((m) => m.id === custom[0])!;
    assert.deepEqual({ ...upper, component: upper.component.name }, {
      id: custom[0], type: 'UpperThreshold', value: 20000, severity: 3, transaction: false, source: 'SetVariableMonitoring',
      component: 'EVSE', variable: { name: 'Power' },
    });
    assert.equal(monitors.find((m) => m.id === custom[3])!.transaction, true);
    const byVariable = await api(`{ station(id: "${STATION}") { variables(filter: { component: "EVSE", variable: "Power" }) { monitors { id } } } }`);
    assert.deepEqual(byVariable.station.variables[0].monitors.map((m: { id: number }) => m.id), custom.slice(0, 2));
  });

  test('N02 getMonitoringReport without criteria: parts assembled, stored monitors replaced by the station\'s list', async () => {
    station.clearReceivedCalls();
    const payload = (await api(REPORT, { id: STATION })).getMonitoringReport;
    assert.equal(payload.status, 'Accepted');
    assert.deepEqual([payload.report.kind, payload.report.status], ['GetMonitoringReport', 'Complete']);
    assert.ok(payload.report.partsReceived >= 2, `parts: ${payload.report.partsReceived}`);
    const sent = await station.waitForCall('GetMonitoringReport', 100);
    assert.equal(sent.requestId, payload.report.requestId);
    assert.deepEqual((await ids()).sort((a, b) => a - b), [1, 2, ...custom].sort((a, b) => a - b), 'the factory monitors 1 and 2 join the custom ones');
    const factory = (await stored()).monitors.find((m) => m.id === 1)!;
    assert.deepEqual([factory.type, factory.source, factory.component.name], ['Periodic', 'NotifyMonitoringReport', 'ChargingStation']);
  });

  test('N02.FR.12 getMonitoringReport ThresholdMonitoring reports only thresholds and keeps the other stored monitors', async () => {
    station.clearReceivedCalls();
    const payload = (await api(REPORT, { id: STATION, input: { monitoringCriteria: ['ThresholdMonitoring'] } })).getMonitoringReport;
    assert.equal(payload.report.status, 'Complete');
    assert.deepEqual((await station.waitForCall('GetMonitoringReport', 100)).monitoringCriteria, ['ThresholdMonitoring']);
    assert.equal((await ids()).length, 2 + custom.length);
    const none = (await api(REPORT, { id: STATION, input: { componentVariable: [{ component: { name: 'OCPPCommCtrlr' } }] } })).getMonitoringReport;
    assert.deepEqual([none.status, none.report.status], ['EmptyResultSet', 'EmptyResultSet']);
    assert.equal((await ids()).length, 2 + custom.length, 'an empty filtered report removes nothing');
  });

  test('N05 setMonitoringLevel and N07 a NotifyEvent linked to the monitor that raised it', async () => {
    const level = await api(`mutation { setMonitoringLevel(stationId: "${STATION}", input: { severity: 4 }) { status error { code } } }`);
    assert.deepEqual(level.setMonitoringLevel, { status: 'Accepted', error: null });
    const wrong = await api(`mutation { setMonitoringLevel(stationId: "${STATION}", input: { severity: 12 }) { status } }`);
    assert.equal(wrong.setMonitoringLevel.status, 'Rejected', 'N05.FR.02');
    assert.equal((await stored()).monitoringLevel, 4);

    // The Delta monitor on ChargingStation.AvailabilityState (severity 2) trips; the Connector one (severity 7) is above the level.
    const live = await subscribeReady(server, server.adminKey, `subscription ($id: ID) { stationEvents(stationId: $id) {
      variableMonitoringId monitor { id severity } } }`, { id: STATION });
    const change = await api(`mutation { changeAvailability(stationId: "${STATION}", input: { operationalStatus: Inoperative }) { status } }`);
    assert.equal(change.changeAvailability.status, 'Accepted');
    const EVENTS = `{ station(id: "${STATION}") { events { variableMonitoringId trigger actualValue eventNotificationType
      monitor { id type severity component { name } variable { name } events { eventId variableMonitoringId } } } } }`;
    let events: any[] = [];
    await waitUntil(async () => (events = (await api(EVENTS)).station.events).some((e: any) => e.variableMonitoringId !== null), 10_000, 'the NotifyEvent');
    const linked = events.filter((e: any) => e.variableMonitoringId !== null);
    assert.deepEqual(linked.map((e: any) => e.variableMonitoringId), [custom[2]]);
    const [event] = linked;
    assert.deepEqual([event.trigger, event.actualValue, event.eventNotificationType], ['Delta', 'Unavailable', 'CustomMonitor']);
    assert.deepEqual({ ...event.monitor, events: event.monitor.events.map((e: any) => e.variableMonitoringId) }, {
      id: custom[2], type: 'Delta', severity: 2, component: { name: 'ChargingStation' }, variable: { name: 'AvailabilityState' }, events: [custom[2]],
    });
    try {
      let pushed = (await live.nextData(10_000)).stationEvents;
      while (pushed.variableMonitoringId === null) pushed = (await live.nextData(10_000)).stationEvents;
      assert.deepEqual(pushed, { variableMonitoringId: custom[2], monitor: { id: custom[2], severity: 2 } }, 'the subscription shows the monitor too');
    } finally {
      await live.dispose();
    }
    await api(`mutation { changeAvailability(stationId: "${STATION}", input: { operationalStatus: Operative }) { status } }`);
  });

  test('N06.FR.04 clearVariableMonitoring is split by ItemsPerMessage; Accepted and NotFound ids leave the store', async () => {
    station.clearReceivedCalls();
    const clearIds = [...custom.slice(0, 3), 9999, 2];
    const payload = (await api(CLEAR, { id: STATION, ids: clearIds })).clearVariableMonitoring;
    assert.equal(payload.error, null);
    const calls = [await station.waitForCall('ClearVariableMonitoring', 100), await station.waitForCall('ClearVariableMonitoring', 100)];
    assert.deepEqual(calls.map((c) => c.id), [clearIds.slice(0, 3), clearIds.slice(3)]);
    assert.deepEqual(payload.clearMonitoringResult, [
      ...custom.slice(0, 3).map((id) => ({ id, status: 'Accepted' })),
      { id: 9999, status: 'NotFound' },
      { id: 2, status: 'Rejected' }, // hardwired (N06.FR.03)
    ]);
    assert.deepEqual((await ids()).sort((a, b) => a - b), [1, 2, custom[3]!].sort((a, b) => a - b));
  });

  test('N03 setMonitoringBase HardWiredOnly drops custom monitors; the background report leaves only the hardwired one', async () => {
    const payload = await api(`mutation { setMonitoringBase(stationId: "${STATION}", input: { monitoringBase: HardWiredOnly }) { status error { code } } }`);
    assert.deepEqual(payload.setMonitoringBase, { status: 'Accepted', error: null });
    await waitUntil(async () => JSON.stringify(await ids()) === '[2]', 10_000, 'only the hardwired monitor');
    assert.equal((await stored()).monitoringBase, 'HardWiredOnly');

    await api(`mutation { setMonitoringBase(stationId: "${STATION}", input: { monitoringBase: All }) { status } }`);
    await waitUntil(async () => JSON.stringify((await ids()).sort()) === '[1,2]', 10_000, 'the preconfigured monitor to come back');
    assert.equal((await stored()).monitoringBase, 'All');
  });
});
