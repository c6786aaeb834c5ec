// B05/B06 end to end: getVariables/setVariables split per the station's ItemsPerMessage and
// BytesPerMessage (from its stored device model, or a per-station override) and merged in order;
// accepted writes update the stored model, a WriteOnly value is never stored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { variableAttributes } from '../../src/db/schema';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { startTestServer, type TestServer } from '../support/server';
import { gqlData } from '../support/graphql-client';
import { ERROR } from '../graphql/documents';

const GET = `mutation ($id: ID!, $data: [GetVariableDataInput!]!) { getVariables(stationId: $id, input: { getVariableData: $data }) {
  getVariableResult { attributeStatus attributeType attributeValue component { name evse { id } } variable { name instance } } ${ERROR} } }`;
const SET = `mutation ($id: ID!, $data: [SetVariableDataInput!]!) { setVariables(stationId: $id, input: { setVariableData: $data }) {
  setVariableResult { attributeStatus component { name } variable { name } } ${ERROR} } }`;
const VALUE = `query ($id: ID!, $c: String, $v: String) { station(id: $id) { variables(filter: { component: $c, variable: $v }) {
  variable { name instance } attributes { type value } } } }`;

/** Ten readable variables of the simulator, in a fixed order. */
const TEN: Array<[string, string, string?]> = [
  ['OCPPCommCtrlr', 'HeartbeatInterval'], ['OCPPCommCtrlr', 'OfflineThreshold'], ['AuthCtrlr', 'Enabled'],
  ['TxCtrlr', 'EVConnectionTimeOut'], ['ClockCtrlr', 'TimeSource'], ['ChargingStation', 'Model'],
  ['OCPPCommCtrlr', 'MessageTimeout', 'Default'], ['AuthCacheCtrlr', 'LifeTime'], ['SampledDataCtrlr', 'TxUpdatedInterval'],
  ['NoSuchCtrlr', 'Whatever'],
];
const data = (list = TEN) => list.map(([c, v, i]) => ({ component: { name: c }, variable: { name: v, ...(i && { instance: i }) } }));
const callsOf = (station: SimulatedStation, action: string) => station.receivedCalls.filter((c) => c.action === action).map((c) => c.payload);

describe('B05/B06 getVariables and setVariables', () => {
  let server: TestServer;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);

  /** A booted station whose device model the CSMS has stored (so it knows ItemsPerMessage/BytesPerMessage). */
  async function known(id: string, options: Parameters<TestServer['connectStation']>[1] = {}) {
    await server.provisionStation(id);
    const station = await server.connectStation(id, { reportPartSize: 100, ...options });
    await station.boot();
    const { getBaseReport } = await api(`mutation { getBaseReport(stationId: "${id}", input: { reportBase: FullInventory }) { report { status } } }`);
    assert.equal(getBaseReport.report.status, 'Complete');
    station.clearReceivedCalls();
    return station;
  }

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('B06 getVariables is split by the station ItemsPerMessage (4) and merged back in request order', async () => {
    const station = await known('GV-1');
    const { getVariables } = await api(GET, { id: 'GV-1', data: data() });
    assert.equal(getVariables.error, null);
    assert.deepEqual(callsOf(station, 'GetVariables').map((p) => p.getVariableData.length), [4, 4, 2]);
    const results = getVariables.getVariableResult;
    assert.deepEqual(results.map((r: any) => [r.component.name, r.variable.name]), TEN.map(([c, v]) => [c, v]));
    assert.deepEqual(results.map((r: any) => r.attributeStatus), [...Array(9).fill('Accepted'), 'UnknownComponent']);
    assert.equal(results[0].attributeValue, '300');
    assert.equal(results[5].attributeValue, 'SimCharger');
    assert.equal(results[6].variable.instance, 'Default');
  });

  test('B06 updateStation itemsPerMessageGetVariables overrides the split', async () => {
    const station = await known('GV-2');
    await api('mutation { updateStation(id: "GV-2", input: { itemsPerMessageGetVariables: 3 }) { station { id } } }');
    const { getVariables } = await api(GET, { id: 'GV-2', data: data() });
    assert.deepEqual(callsOf(station, 'GetVariables').map((p) => p.getVariableData.length), [3, 3, 3, 1]);
    assert.equal(getVariables.getVariableResult.length, 10);
    assert.deepEqual(getVariables.getVariableResult.slice(0, 9).map((r: any) => r.attributeStatus), Array(9).fill('Accepted'));
  });

  test('B06 getVariables is split by the station BytesPerMessage, and by its override', async () => {
    const station = await known('GV-3', { itemsPerMessage: { getVariables: 50 }, bytesPerMessage: { getVariables: 400 } });
    await api(GET, { id: 'GV-3', data: data() });
    const calls = callsOf(station, 'GetVariables');
    assert.ok(calls.length > 1, `split into ${calls.length}`);
    for (const p of calls) assert.ok(Buffer.byteLength(JSON.stringify(p)) <= 400, `payload of ${JSON.stringify(p).length} bytes`);
    assert.deepEqual(calls.flatMap((p) => p.getVariableData), data(), 'every element once, in order');

    station.clearReceivedCalls();
    await api('mutation { updateStation(id: "GV-3", input: { bytesPerMessageGetVariables: 100000 }) { station { id } } }');
    await api(GET, { id: 'GV-3', data: data() });
    assert.deepEqual(callsOf(station, 'GetVariables').map((p) => p.getVariableData.length), [10]);
  });

  test('B05 setVariables: Accepted updates the stored value, Rejected leaves it; split like getVariables', async () => {
    const station = await known('SV-1');
    const writes = [
      ['OCPPCommCtrlr', 'HeartbeatInterval', '77'], ['ChargingStation', 'Model', 'Hacked'], ['OCPPCommCtrlr', 'OfflineThreshold', '-5'],
      ['TxCtrlr', 'EVConnectionTimeOut', '90'], ['AuthCtrlr', 'Enabled', 'false'],
    ].map(([c, v, value]) => ({ component: { name: c }, variable: { name: v }, attributeValue: value }));
    const { setVariables } = await api(SET, { id: 'SV-1', data: writes });
    assert.deepEqual(setVariables.setVariableResult.map((r: any) => [r.variable.name, r.attributeStatus]), [
      ['HeartbeatInterval', 'Accepted'], ['Model', 'Rejected'], ['OfflineThreshold', 'Rejected'], ['EVConnectionTimeOut', 'Accepted'], ['Enabled', 'Accepted'],
    ]);
    assert.deepEqual(callsOf(station, 'SetVariables').map((p) => p.setVariableData.length), [4, 1]);
    const stored = async (c: string, v: string) =>
      (await api(VALUE, { id: 'SV-1', c, v })).station.variables[0].attributes.find((a: any) => a.type === 'Actual').value;
    assert.equal(await stored('OCPPCommCtrlr', 'HeartbeatInterval'), '77');
    assert.equal(await stored('TxCtrlr', 'EVConnectionTimeOut'), '90');
    assert.equal(await stored('AuthCtrlr', 'Enabled'), 'false');
    assert.equal(await stored('ChargingStation', 'Model'), 'SimCharger', 'a Rejected write is not stored');
    assert.equal(await stored('OCPPCommCtrlr', 'OfflineThreshold'), '60');
    assert.equal(station.model.read({ name: 'OCPPCommCtrlr' }, 'HeartbeatInterval'), '77', 'the station has it too');
  });

  test('B05 a written BasicAuthPassword (WriteOnly) is never stored', async () => {
    const station = await known('SV-2');
    const { rotateStationPassword } = await api('mutation { rotateStationPassword(stationId: "SV-2") { status error { code } } }');
    assert.deepEqual(rotateStationPassword, { status: 'Accepted', error: null });
    const [frame] = station.rawFrames.filter((f) => f.includes('"SetVariables"'));
    const secret = JSON.parse(frame!)[3].setVariableData[0].attributeValue as string;
    assert.equal(secret.length, 40, 'the station received the new password');
    const attributes = (await api(VALUE, { id: 'SV-2', c: 'SecurityCtrlr', v: 'BasicAuthPassword' })).station.variables[0].attributes;
    assert.deepEqual(attributes.map((a: any) => [a.type, a.value]), [['Actual', null]]);
    const rows = await server.app.database.db.select().from(variableAttributes).where(eq(variableAttributes.value, secret));
    assert.deepEqual(rows, [], 'not in the database');
    const read = (await api(GET, { id: 'SV-2', data: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] })).getVariables;
    assert.deepEqual([read.getVariableResult[0].attributeStatus, read.getVariableResult[0].attributeValue], ['Rejected', null]);
  });
});
