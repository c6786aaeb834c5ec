// B07/B08 end to end: NotifyReport parts assembled into the stored device model; getBaseReport
// and getReport wait for their parts and return the report record.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server';
import { gqlData } from '../support/graphql-client';
import { ERROR } from '../graphql/documents';

const VARIABLES = `query ($id: ID!, $filter: VariableFilter) { station(id: $id) { variables(filter: $filter) {
  component { name instance evse { id connectorId } } variable { name instance }
  characteristics { unit dataType minLimit maxLimit valuesList supportsMonitoring }
  attributes { type value mutability persistent constant } } } }`;
const REPORT = 'query ($id: ID!, $r: Int!) { station(id: $id) { report(requestId: $r) { kind status partsReceived completedAt } } }';
const BASE_REPORT = `mutation ($id: ID!, $base: ReportBaseEnum!) { getBaseReport(stationId: $id, input: { reportBase: $base }) {
  status report { requestId kind reportBase status partsReceived completedAt } ${ERROR} } }`;
const GET_REPORT = `mutation ($id: ID!, $input: GetReportInput!) { getReport(stationId: $id, input: $input) {
  status report { requestId kind status partsReceived completedAt } ${ERROR} } }`;

const attr = (type: string, value: string | undefined, mutability: string, persistent: boolean, constant: boolean) => ({
  type, ...(value !== undefined && { value }), mutability, persistent, constant,
});

describe('B07/B08 device model reports', () => {
  let server: TestServer;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);

  async function booted(id: string, reportPartSize: number) {
    await server.provisionStation(id);
    const station = await server.connectStation(id, { evses: 2, reportPartSize });
    await station.boot();
    return station;
  }

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('B07 NotifyReport in several parts (seqNo, tbc) is assembled into components, variables, attributes, characteristics', async () => {
    const station = await booted('NR-1', 10);
    const part = (seqNo: number, tbc: boolean, reportData: unknown[]) =>
      station.call('NotifyReport', { requestId: 4242, generatedAt: new Date().toISOString(), seqNo, tbc, reportData });
    await part(0, true, [{
      component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' },
      variableAttribute: [attr('Actual', '0', 'ReadOnly', false, false), attr('MaxSet', '22000', 'ReadWrite', true, false)],
      variableCharacteristics: { unit: 'W', dataType: 'decimal', minLimit: 0, maxLimit: 22000, supportsMonitoring: true },
    }]);
    assert.deepEqual((await api(REPORT, { id: 'NR-1', r: 4242 })).station.report, { kind: 'Unsolicited', status: 'Receiving', partsReceived: 1, completedAt: null });
    await part(1, true, [{
      component: { name: 'Connector', evse: { id: 1, connectorId: 2 } }, variable: { name: 'ConnectorType' },
      variableAttribute: [attr('Actual', 'cType2', 'ReadOnly', true, true)],
      variableCharacteristics: { dataType: 'string', supportsMonitoring: false },
    }, {
      component: { name: 'TxCtrlr' }, variable: { name: 'TxStartPoint' },
      variableAttribute: [attr('Actual', 'PowerPathClosed', 'ReadWrite', true, false), attr('Target', 'EVConnected', 'ReadWrite', true, false)],
      variableCharacteristics: { dataType: 'MemberList', valuesList: 'EVConnected,Authorized,PowerPathClosed', supportsMonitoring: false },
    }]);
    await part(2, false, [{
      component: { name: 'SampledDataCtrlr', instance: 'Main' }, variable: { name: 'TxUpdatedInterval', instance: 'Fast' },
      variableAttribute: [attr('MinSet', '5', 'ReadOnly', true, true), attr('Actual', '60', 'ReadWrite', true, false)],
      variableCharacteristics: { unit: 's', dataType: 'integer', minLimit: 5, maxLimit: 3600, supportsMonitoring: false },
    }, {
      component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' },
      variableAttribute: [attr('Actual', 'a-leaked-secret-value', 'WriteOnly', true, false)],
      variableCharacteristics: { dataType: 'string', maxLimit: 40, supportsMonitoring: false },
    }]);
    const report = (await api(REPORT, { id: 'NR-1', r: 4242 })).station.report;
    assert.deepEqual([report.status, report.partsReceived, typeof report.completedAt], ['Complete', 3, 'string']);

    const byName = async (component: string) => (await api(VARIABLES, { id: 'NR-1', filter: { component } })).station.variables;
    const [evse] = await byName('evse');
    assert.deepEqual(evse.component, { name: 'EVSE', instance: null, evse: { id: 1, connectorId: null } });
    assert.deepEqual(evse.characteristics, { unit: 'W', dataType: 'decimal', minLimit: 0, maxLimit: 22000, valuesList: null, supportsMonitoring: true });
    const byType = (v: { attributes: Array<{ type: string }> }) => Object.fromEntries(v.attributes.map((a) => [a.type, a]));
    assert.deepEqual(byType(evse), {
      Actual: { type: 'Actual', value: '0', mutability: 'ReadOnly', persistent: false, constant: false },
      MaxSet: { type: 'MaxSet', value: '22000', mutability: 'ReadWrite', persistent: true, constant: false },
    });
    const [connector] = await byName('Connector');
    assert.deepEqual(connector.component.evse, { id: 1, connectorId: 2 });
    assert.deepEqual(connector.attributes, [{ type: 'Actual', value: 'cType2', mutability: 'ReadOnly', persistent: true, constant: true }]);
    const [tx] = await byName('TxCtrlr');
    assert.equal(tx.characteristics.valuesList, 'EVConnected,Authorized,PowerPathClosed');
    assert.deepEqual(Object.keys(byType(tx)).sort(), ['Actual', 'Target']);
    const [sampled] = await byName('SampledDataCtrlr');
    assert.deepEqual([sampled.component.instance, sampled.variable], ['Main', { name: 'TxUpdatedInterval', instance: 'Fast' }]);
    assert.deepEqual(byType(sampled).MinSet, { type: 'MinSet', value: '5', mutability: 'ReadOnly', persistent: true, constant: true });
    assert.deepEqual([sampled.characteristics.minLimit, sampled.characteristics.maxLimit, sampled.characteristics.unit], [5, 3600, 's']);
    const [secret] = await byName('SecurityCtrlr');
    assert.deepEqual(secret.attributes, [{ type: 'Actual', value: null, mutability: 'WriteOnly', persistent: true, constant: false }]);
  });

  test('B07 getBaseReport waits for every part of Configuration/Full/SummaryInventory and returns the report', async () => {
    const station = await booted('GBR-1', 4);
    for (const base of ['SummaryInventory', 'ConfigurationInventory', 'FullInventory']) {
      station.clearReceivedCalls();
      const payload = (await api(BASE_REPORT, { id: 'GBR-1', base })).getBaseReport;
      const request = await station.waitForCall('GetBaseReport', 100);
      assert.deepEqual([request.reportBase, request.requestId], [base, payload.report.requestId]);
      const include = { SummaryInventory: (v: any) => v.variable.name === 'AvailabilityState', ConfigurationInventory: (v: any) => v.attributes.some((a: any) => a.mutability !== 'ReadOnly'), FullInventory: () => true }[base]!;
      const items = station.model.variables.filter(include).length;
      assert.equal(payload.status, 'Accepted', base);
      assert.equal(payload.error, null);
      assert.deepEqual(
        [payload.report.kind, payload.report.reportBase, payload.report.status, payload.report.partsReceived],
        ['GetBaseReport', base, 'Complete', Math.ceil(items / 4)],
        base,
      );
      assert.ok(payload.report.partsReceived > 1 && payload.report.completedAt);
    }
    const stored = (await api(VARIABLES, { id: 'GBR-1', filter: { component: 'Connector' } })).station.variables;
    assert.deepEqual(stored.map((v: any) => v.variable.name).sort(), ['Available', 'AvailabilityState', 'ConnectorType', 'SupplyPhases', 'Available', 'AvailabilityState', 'ConnectorType', 'SupplyPhases'].sort());
    const reports = (await api('{ station(id: "GBR-1") { reports { reportBase status } } }')).station.reports;
    assert.deepEqual(reports.map((r: any) => r.reportBase).sort(), ['ConfigurationInventory', 'FullInventory', 'SummaryInventory']);
  });

  test('B08 getReport by componentVariable and componentCriteria; EmptyResultSet passes through', async () => {
    const station = await booted('GR-1', 3);
    const one = (await api(GET_REPORT, { id: 'GR-1', input: { componentVariable: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] } })).getReport;
    assert.deepEqual([one.status, one.report.kind, one.report.status, one.report.partsReceived, one.error], ['Accepted', 'GetReport', 'Complete', 1, null]);
    const sent = await station.waitForCall('GetReport', 100);
    assert.deepEqual(sent.componentVariable, [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }]);
    const stored = (await api(VARIABLES, { id: 'GR-1' })).station.variables;
    assert.deepEqual(stored.map((v: any) => `${v.component.name}.${v.variable.name}=${v.attributes[0].value}`), ['OCPPCommCtrlr.HeartbeatInterval=300']);

    const evse = (await api(GET_REPORT, { id: 'GR-1', input: { componentVariable: [{ component: { name: 'EVSE', evse: { id: 2 } } }], componentCriteria: ['Available'] } })).getReport;
    assert.equal(evse.report.status, 'Complete');
    assert.deepEqual((await station.waitForCall('GetReport', 100)).componentCriteria, ['Available']);
    const evse2 = (await api(VARIABLES, { id: 'GR-1', filter: { component: 'EVSE' } })).station.variables;
    assert.deepEqual(new Set(evse2.map((v: any) => v.component.evse.id)), new Set([2]));
    assert.equal(evse.report.partsReceived, Math.ceil(evse2.length / 3));

    const empty = (await api(GET_REPORT, { id: 'GR-1', input: { componentCriteria: ['Problem'] } })).getReport;
    assert.deepEqual([empty.status, empty.report.status, empty.report.partsReceived, empty.error], ['EmptyResultSet', 'EmptyResultSet', 0, null]);
    const unknown = (await api(GET_REPORT, { id: 'GR-1', input: { componentVariable: [{ component: { name: 'NoSuchCtrlr' } }] } })).getReport;
    assert.equal(unknown.status, 'EmptyResultSet');
  });
});
