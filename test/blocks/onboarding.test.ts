// Issue 2 §4 onboarding (seed C-50.1/AQ-2): after the first accepted boot of a station without a
// stored device model the CSMS requests a FullInventory by itself (REQUEST_FULL_INVENTORY_ON_FIRST_BOOT).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server';
import { gqlData, waitUntil } from '../support/graphql-client';

const MODEL = `query ($id: ID!) { station(id: $id) {
  reports { kind reportBase status partsReceived completedAt }
  variables(first: 100) { component { name evse { id connectorId } } variable { name instance } attributes { type value } } } }`;

async function modelOf(server: TestServer, id: string) {
  return (await gqlData(server.httpUrl, server.adminKey, MODEL, { id })).station;
}

describe('B07 onboarding: FullInventory on the first accepted boot', () => {
  let enabled: TestServer;
  let disabled: TestServer;

  before(async () => {
    [enabled, disabled] = await Promise.all([
      startTestServer({ REQUEST_FULL_INVENTORY_ON_FIRST_BOOT: 'true' }),
      startTestServer({ REQUEST_FULL_INVENTORY_ON_FIRST_BOOT: 'false' }),
    ]);
  });
  after(() => Promise.all([enabled.close(), disabled.close()]));

  test('the first accepted boot triggers GetBaseReport FullInventory and the device model is stored', async () => {
    await enabled.provisionStation('ONB-1');
    const station = await enabled.connectStation('ONB-1', { reportPartSize: 15 });
    await station.boot();
    const request = await station.waitForCall('GetBaseReport', 10_000);
    assert.equal(request.reportBase, 'FullInventory');
    assert.equal(typeof request.requestId, 'number');
    const expected = station.model.reportItems().length;
    await waitUntil(async () => (await modelOf(enabled, 'ONB-1')).reports[0]?.status === 'Complete', 10_000, 'the report to complete');
    const s = await modelOf(enabled, 'ONB-1');
    assert.equal(s.reports.length, 1);
    assert.equal(s.reports[0].kind, 'GetBaseReport');
    assert.equal(s.reports[0].reportBase, 'FullInventory');
    assert.equal(s.reports[0].partsReceived, Math.ceil(expected / 15));
    assert.equal(s.variables.length, Math.min(100, expected));
    const items = s.variables.find((v: any) => v.component.name === 'DeviceDataCtrlr' && v.variable.name === 'ItemsPerMessage' && v.variable.instance === 'GetVariables');
    assert.deepEqual(items?.attributes, [{ type: 'Actual', value: '4' }]);
    assert.ok(s.variables.some((v: any) => v.component.name === 'Connector' && v.component.evse?.connectorId === 1));

    // A later boot of a station that already has a device model asks for nothing.
    station.clearReceivedCalls();
    await station.boot('RemoteReset');
    await assert.rejects(station.waitForCall('GetBaseReport', 400), /no GetBaseReport CALL/);
  });

  test('a station first Pending is onboarded when its first Accepted boot comes', async () => {
    await enabled.provisionStation('ONB-2', { bootPolicy: 'Pending' });
    const station = await enabled.connectStation('ONB-2');
    assert.equal((await station.boot()).status, 'Pending');
    await assert.rejects(station.waitForCall('GetBaseReport', 300), /no GetBaseReport CALL/, 'not while Pending');
    await gqlData(enabled.httpUrl, enabled.adminKey, 'mutation { updateStation(id: "ONB-2", input: { bootPolicy: Accepted }) { station { id } } }');
    assert.equal((await station.boot()).status, 'Accepted');
    assert.equal((await station.waitForCall('GetBaseReport', 10_000)).reportBase, 'FullInventory');
  });

  test('nothing is requested when REQUEST_FULL_INVENTORY_ON_FIRST_BOOT=false', async () => {
    await disabled.provisionStation('ONB-3');
    const station = await disabled.connectStation('ONB-3');
    assert.equal((await station.boot()).status, 'Accepted');
    await assert.rejects(station.waitForCall('GetBaseReport', 500), /no GetBaseReport CALL/);
    const s = await modelOf(disabled, 'ONB-3');
    assert.deepEqual([s.reports, s.variables], [[], []]);
  });
});
