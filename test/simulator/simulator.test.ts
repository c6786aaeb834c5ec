import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CallErrorResponse, SimulatedStation, type SimulatedStationOptions } from '../../src/cli/simulator/station';
import { FakeCsms } from './fake-csms';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('SimulatedStation', () => {
  let csms: FakeCsms;
  let station: SimulatedStation;

  async function bootedStation(options: Partial<SimulatedStationOptions> = {}) {
    station = new SimulatedStation({ url: csms.url, id: 'SIM-1', password: 'secret-password-1', ...options });
    await station.connect();
    await station.boot();
    await csms.take('BootNotification');
    return station;
  }

  beforeEach(async () => {
    csms = await FakeCsms.start();
  });

  afterEach(async () => {
    await station?.close();
    await csms.stop();
  });

  test('connects with id path, basic auth and subprotocol, and boots', async () => {
    station = new SimulatedStation({ url: csms.url, id: 'SIM 1', password: 'pw-1234', model: 'M1', vendorName: 'V1', serialNumber: 'S1' });
    await station.connect();
    const response = await station.boot();
    assert.equal(response.status, 'Accepted');
    const request = csms.requests[0]!;
    assert.equal(request.url, '/ocpp/SIM%201');
    assert.equal(request.headers.authorization, `Basic ${Buffer.from('SIM 1:pw-1234').toString('base64')}`);
    assert.equal(request.headers['sec-websocket-protocol'], 'ocpp2.0.1');
    const boot = await csms.take('BootNotification');
    assert.equal(boot.frame.length, 4);
    assert.equal(boot.frame[0], 2);
    assert.match(boot.frame[1] as string, UUID);
    assert.deepEqual(boot.payload, { reason: 'PowerUp', chargingStation: { model: 'M1', vendorName: 'V1', serialNumber: 'S1' } });
  });

  test('a refused upgrade rejects with the HTTP status', async () => {
    station = new SimulatedStation({ url: csms.url, id: 'BAD-1', password: 'x' });
    await assert.rejects(station.connect(), (error: Error & { statusCode?: number }) => {
      assert.match(error.message, /401/);
      assert.equal(error.statusCode, 401);
      return true;
    });
  });

  test('start reports every connector as Available', async () => {
    station = new SimulatedStation({ url: csms.url, id: 'SIM-2', evses: 2, connectorsPerEvse: 1 });
    await station.start();
    const first = await csms.take('StatusNotification');
    const second = await csms.take('StatusNotification');
    assert.deepEqual([first.payload.evseId, second.payload.evseId], [1, 2]);
    assert.equal(first.payload.connectorStatus, 'Available');
    assert.ok(!Number.isNaN(Date.parse(first.payload.timestamp)));
  });

  test('GetVariables answers from the device model, in request order', async () => {
    await bootedStation();
    const [, , result] = await csms.call('GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } },
        { component: { name: 'NoSuchCtrlr' }, variable: { name: 'X' } },
        { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' }, attributeType: 'MaxSet' },
      ],
    });
    const results = (result as { getVariableResult: any[] }).getVariableResult;
    assert.deepEqual(
      results.map((r) => [r.attributeStatus, r.attributeValue]),
      [['Accepted', '300'], ['Rejected', undefined], ['UnknownComponent', undefined], ['Accepted', '22000']],
    );
    const [, , more] = await csms.call('GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NoSuchVariable' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeType: 'Target' },
      ],
    });
    assert.deepEqual(
      (more as { getVariableResult: any[] }).getVariableResult.map((r) => r.attributeStatus),
      ['UnknownVariable', 'NotSupportedAttributeType'],
    );
  });

  test('GetVariables items beyond ItemsPerMessageGetVariables are Rejected', async () => {
    await bootedStation({ itemsPerMessage: { getVariables: 2 } });
    const limit = { component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage', instance: 'GetVariables' } };
    const [, , result] = await csms.call('GetVariables', { getVariableData: [limit, limit, limit] });
    assert.deepEqual(
      (result as { getVariableResult: any[] }).getVariableResult.map((r) => [r.attributeStatus, r.attributeValue]),
      [['Accepted', '2'], ['Accepted', '2'], ['Rejected', undefined]],
    );
  });

  test('SetVariables stores writable values and refuses read-only ones', async () => {
    await bootedStation();
    const [, , set] = await csms.call('SetVariables', {
      setVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '120' },
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'SecurityProfile' }, attributeValue: '2' },
      ],
    });
    assert.deepEqual((set as { setVariableResult: any[] }).setVariableResult.map((r) => r.attributeStatus), ['Accepted', 'Rejected']);
    const [, , got] = await csms.call('GetVariables', {
      getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
    });
    assert.equal((got as { getVariableResult: any[] }).getVariableResult[0].attributeValue, '120');
    assert.deepEqual(await station.waitForCall('SetVariables'), {
      setVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '120' },
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'SecurityProfile' }, attributeValue: '2' },
      ],
    });
  });

  test('GetBaseReport FullInventory streams NotifyReport parts', async () => {
    await bootedStation();
    const [, , answer] = await csms.call('GetBaseReport', { requestId: 7, reportBase: 'FullInventory' });
    assert.deepEqual(answer, { status: 'Accepted' });
    const parts = [];
    for (;;) {
      const part = (await csms.take('NotifyReport')).payload;
      parts.push(part);
      if (!part.tbc) break;
    }
    assert.ok(parts.length >= 2);
    assert.deepEqual(parts.map((p) => p.seqNo), parts.map((_, i) => i));
    assert.ok(parts.every((p, i) => p.requestId === 7 && p.tbc === (i < parts.length - 1)));
    const items = parts.flatMap((p) => p.reportData);
    const password = items.find((i) => i.variable.name === 'BasicAuthPassword');
    assert.equal(password.variableAttribute[0].mutability, 'WriteOnly');
    assert.equal('value' in password.variableAttribute[0], false);
    assert.ok(items.some((i) => i.component.name === 'Connector' && i.component.evse?.connectorId === 1));
  });

  test('GetReport filters by component and answers EmptyResultSet when nothing matches', async () => {
    await bootedStation();
    const [, , empty] = await csms.call('GetReport', { requestId: 1, componentCriteria: ['Problem'] });
    assert.deepEqual(empty, { status: 'EmptyResultSet' });
    const [, , accepted] = await csms.call('GetReport', { requestId: 2, componentVariable: [{ component: { name: 'EVSE' } }] });
    assert.deepEqual(accepted, { status: 'Accepted' });
    const report = (await csms.take('NotifyReport')).payload;
    assert.equal(report.requestId, 2);
    assert.ok(report.reportData.every((i: any) => i.component.name === 'EVSE'));
  });

  test('Reset reconnects and boots with reason RemoteReset', async () => {
    await bootedStation();
    const [, , answer] = await csms.call('Reset', { type: 'Immediate' });
    assert.deepEqual(answer, { status: 'Accepted' });
    const boot = await csms.take('BootNotification');
    assert.equal(boot.payload.reason, 'RemoteReset');
    assert.equal(csms.connectionCount, 2);
    assert.equal((await csms.take('StatusNotification')).payload.connectorStatus, 'Available');
  });

  test('TriggerMessage StatusNotification sends the status', async () => {
    await bootedStation({ evses: 2 });
    const [, , answer] = await csms.call('TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 2, connectorId: 1 } });
    assert.deepEqual(answer, { status: 'Accepted' });
    const status = await csms.take('StatusNotification');
    assert.equal(status.payload.evseId, 2);
    assert.equal(status.payload.connectorId, 1);
    assert.equal(status.payload.connectorStatus, 'Available');
  });

  test('ChangeAvailability makes connectors Unavailable', async () => {
    await bootedStation();
    const [, , answer] = await csms.call('ChangeAvailability', { operationalStatus: 'Inoperative' });
    assert.deepEqual(answer, { status: 'Accepted' });
    assert.equal((await csms.take('StatusNotification')).payload.connectorStatus, 'Unavailable');
    const [, , got] = await csms.call('GetVariables', {
      getVariableData: [{ component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' } }],
    });
    assert.equal((got as { getVariableResult: any[] }).getVariableResult[0].attributeValue, 'Unavailable');
  });

  test('unknown actions get NotImplemented; overrides may answer with a CALLERROR', async () => {
    await bootedStation();
    const unknown = await csms.call('FrobnicateWidget', {});
    assert.equal(unknown[0], 4);
    assert.equal(unknown[2], 'NotImplemented');
    station.handle('ClearCache', () => {
      throw new CallErrorResponse('SecurityError', 'not today');
    });
    const refused = await csms.call('ClearCache', {});
    assert.deepEqual(refused.slice(2, 4), ['SecurityError', 'not today']);
  });

  test('nextFrame sees unsolicited frames; odd input does not crash the station', async () => {
    await bootedStation();
    const next = station.nextFrame();
    csms.sendRaw('[3,"no-such-call",{}]');
    assert.deepEqual(await next, [3, 'no-such-call', {}]);
    csms.sendRaw('not json');
    csms.sendRaw('{"an":"object"}');
    assert.deepEqual(await station.call('Heartbeat', {}), {});
    await csms.take('Heartbeat');
    assert.ok(station.isOpen);
  });
});
