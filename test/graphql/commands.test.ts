// Issue 2 §4/§5 commands: reset (B11/B12), triggerMessage (F06) for every requestedMessage,
// setNetworkProfile (B09), clearCache (C11), dataTransfer both ways (P01/P02), sendOcppCall, and
// how a failed call shows in payload.error (StationOffline, Timeout, CallError, InvalidResponse).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CallErrorResponse, type SimulatedStation } from '../../src/cli/simulator/station';
import { startTestServer, type TestServer } from '../support/server';
import { gql, gqlData, waitUntil } from '../support/graphql-client';
import { ERROR, NETWORK_PROFILE } from './documents';

const RAW = `mutation ($id: ID!, $action: String!, $payload: JSON!) { sendOcppCall(stationId: $id, action: $action, payload: $payload) { response ${ERROR} } }`;

describe('commands', () => {
  let server: TestServer;
  let station: SimulatedStation;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const raw = (id: string, action: string, payload: unknown) => gql(server.httpUrl, server.adminKey, RAW, { id, action, payload });

  before(async () => {
    server = await startTestServer({ OCPP_CALL_TIMEOUT_MS: '1500' });
    await server.provisionStation('CMD-1');
    station = await server.connectStation('CMD-1', { evses: 2 });
    await station.start();
  });
  after(() => server.close());

  test('B12 reset OnIdle of the station and B11 reset of one EVSE', async () => {
    station.clearReceivedCalls();
    const evse = (await api(`mutation { reset(stationId: "CMD-1", input: { type: Immediate, evseId: 2 }) { status ${ERROR} } }`)).reset;
    assert.deepEqual(evse, { status: 'Accepted', error: null });
    assert.deepEqual(await station.waitForCall('Reset', 100), { type: 'Immediate', evseId: 2 });
    assert.ok(station.isOpen, 'an EVSE reset keeps the connection');

    const whole = (await api(`mutation { reset(stationId: "CMD-1", input: { type: OnIdle }) { status ${ERROR} } }`)).reset;
    assert.deepEqual(whole, { status: 'Accepted', error: null });
    assert.deepEqual(await station.waitForCall('Reset', 100), { type: 'OnIdle' });
    const reasons = async () => (await api('{ station(id: "CMD-1") { bootHistory { reason } } }')).station.bootHistory.map((b: { reason: string }) => b.reason);
    await waitUntil(async () => (await reasons())[0] === 'RemoteReset', 10_000, 'the station to reboot');
    await waitUntil(() => station.isOpen && station.registration === 'Accepted', 10_000, 'the station to be back');
  });

  test('F06 triggerMessage for every MessageTriggerEnum value returns the station status', async () => {
    const { __type } = await api('{ __type(name: "MessageTriggerEnum") { enumValues { name } } }');
    const values: string[] = __type.enumValues.map((v: { name: string }) => v.name);
    assert.equal(values.length, 11);
    const supported = new Set(['BootNotification', 'LogStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues', 'StatusNotification', 'SignChargingStationCertificate', 'SignV2GCertificate']);
    for (const value of values) {
      station.clearReceivedCalls();
      const payload = (await api(`mutation ($m: MessageTriggerEnum!) { triggerMessage(stationId: "CMD-1", input: { requestedMessage: $m, evse: { id: 1 } }) { status ${ERROR} } }`, { m: value })).triggerMessage;
      // TransactionEvent is supported, but there is no transaction running to report (F06).
      const expected = value === 'TransactionEvent' ? 'Rejected' : supported.has(value) ? 'Accepted' : 'NotImplemented';
      assert.deepEqual(payload, { status: expected, error: null }, value);
      assert.deepEqual(await station.waitForCall('TriggerMessage', 100), { requestedMessage: value, evse: { id: 1 } });
    }
    await waitUntil(async () => (await api('{ station(id: "CMD-1") { bootHistory(first: 1) { reason } } }')).station.bootHistory[0].reason === 'Triggered', 10_000, 'the triggered boot');
  });

  test('A01.FR.02 setVariables refuses BasicAuthPassword (only rotateStationPassword sets it) and sends nothing', async () => {
    station.clearReceivedCalls();
    const input = { setVariableData: [{ attributeValue: 'x'.repeat(40), component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] };
    const result = await gql(server.httpUrl, server.adminKey, `mutation ($input: SetVariablesInput!) { setVariables(stationId: "CMD-1", input: $input) { ${ERROR} } }`, { input });
    assert.equal(result.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    await assert.rejects(station.waitForCall('SetVariables', 300));
  });

  test('B09 setNetworkProfile stores the profile in the requested slot', async () => {
    const payload = (await api(`mutation { setNetworkProfile(stationId: "CMD-1", input: { configurationSlot: 2, connectionData: ${NETWORK_PROFILE} }) { status ${ERROR} } }`)).setNetworkProfile;
    assert.deepEqual(payload, { status: 'Accepted', error: null });
    assert.deepEqual(station.networkProfiles.get(2), {
      ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: 'wss://csms.example.com/ocpp', messageTimeout: 30, securityProfile: 2, ocppInterface: 'Wired0',
    });
  });

  test('C11 clearCache and P01 dataTransfer to the station', async () => {
    station.clearReceivedCalls();
    assert.deepEqual((await api(`mutation { clearCache(stationId: "CMD-1") { status ${ERROR} } }`)).clearCache, { status: 'Accepted', error: null });
    assert.deepEqual(await station.waitForCall('ClearCache', 100), {});
    const transfer = `mutation ($input: DataTransferInput!) { dataTransfer(stationId: "CMD-1", input: $input) { status data ${ERROR} } }`;
    const unknown = (await api(transfer, { input: { vendorId: 'Acme', messageId: 'Hello' } })).dataTransfer;
    assert.deepEqual(unknown, { status: 'UnknownVendorId', data: null, error: null });
    station.handle('DataTransfer', (p) => ({ status: 'Accepted', data: { echo: p.data, vendor: p.vendorId } }));
    try {
      const known = (await api(transfer, { input: { vendorId: 'Acme', messageId: 'Echo', data: { list: [1, 'two'], nested: { ok: true } } } })).dataTransfer;
      assert.deepEqual(known, { status: 'Accepted', data: { echo: { list: [1, 'two'], nested: { ok: true } }, vendor: 'Acme' }, error: null });
    } finally {
      station.handle('DataTransfer');
    }
  });

  test('P02 DataTransfer from the station: vendor registry, UnknownVendorId, UnknownMessageId', async () => {
    const ping = await station.call('DataTransfer', { vendorId: 'Chargegraph', messageId: 'Ping' });
    assert.equal(ping.status, 'Accepted');
    assert.ok(Math.abs(Date.parse(ping.data.pong) - Date.now()) < 5000, JSON.stringify(ping));
    assert.deepEqual(await station.call('DataTransfer', { vendorId: 'SomeoneElse', messageId: 'Ping' }), { status: 'UnknownVendorId' });
    assert.deepEqual(await station.call('DataTransfer', { vendorId: 'Chargegraph', messageId: 'Nope' }), { status: 'UnknownMessageId' });
    assert.deepEqual(await station.call('DataTransfer', { vendorId: 'Chargegraph' }), { status: 'UnknownMessageId' });
  });

  test('sendOcppCall sends a raw, validated CALL (admin)', async () => {
    const ok = (await raw('CMD-1', 'GetVariables', { getVariableData: [{ component: { name: 'ChargingStation' }, variable: { name: 'VendorName' } }] })).body.data.sendOcppCall;
    assert.equal(ok.error, null);
    assert.deepEqual(ok.response.getVariableResult[0], {
      attributeStatus: 'Accepted', attributeValue: 'Chargegraph', attributeType: 'Actual', component: { name: 'ChargingStation' }, variable: { name: 'VendorName' },
    });
    station.clearReceivedCalls();
    for (const [action, payload] of [['Reset', { type: 'Sideways' }], ['ClearCache', { unexpected: 1 }], ['Reset', [1, 2]], ['NoSuchAction', {}]] as const) {
      const { body } = await raw('CMD-1', action, payload);
      assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${action} ${JSON.stringify(payload)}: ${JSON.stringify(body)}`);
    }
    assert.deepEqual(station.receivedCalls, [], 'an invalid CALL is never sent');
    const missing = await raw('NO-SUCH-STATION', 'ClearCache', {});
    assert.equal(missing.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  test('sendOcppCall refuses actions only a station initiates', async () => {
    station.clearReceivedCalls();
    for (const [action, payload] of [['Heartbeat', {}], ['StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 }]] as const) {
      const { body } = await raw('CMD-1', action, payload);
      assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${action}: ${JSON.stringify(body)}`);
    }
    assert.deepEqual(station.receivedCalls, []);
  });

  test('payload.error: StationOffline, CallError with the station code, InvalidResponse, Timeout', async () => {
    await server.provisionStation('OFF-1');
    const offline = (await raw('OFF-1', 'ClearCache', {})).body.data.sendOcppCall;
    assert.equal(offline.error.code, 'StationOffline');
    assert.equal(offline.response, null);
    const typed = (await api(`mutation { clearCache(stationId: "OFF-1") { status ${ERROR} } }`)).clearCache;
    assert.deepEqual([typed.status, typed.error.code], [null, 'StationOffline']);

    station.handle('ClearCache', () => {
      throw new CallErrorResponse('GenericError', 'cache is busy');
    });
    const failed = (await api(`mutation { clearCache(stationId: "CMD-1") { status ${ERROR} } }`)).clearCache;
    assert.deepEqual([failed.status, failed.error.code, failed.error.ocppErrorCode], [null, 'CallError', 'GenericError']);
    assert.match(failed.error.message, /cache is busy/);
    const rawFailed = (await raw('CMD-1', 'ClearCache', {})).body.data.sendOcppCall;
    assert.deepEqual([rawFailed.error.code, rawFailed.error.ocppErrorCode], ['CallError', 'GenericError']);

    station.handle('ClearCache', () => ({ status: 'Perhaps' }));
    const invalid = (await api(`mutation { clearCache(stationId: "CMD-1") { status ${ERROR} } }`)).clearCache;
    assert.deepEqual([invalid.status, invalid.error.code], [null, 'InvalidResponse']);

    station.handle('ClearCache', async () => {
      await new Promise((r) => setTimeout(r, 3000));
      return { status: 'Accepted' };
    });
    const started = Date.now();
    const slow = (await api(`mutation { clearCache(stationId: "CMD-1") { status ${ERROR} } }`)).clearCache;
    assert.deepEqual([slow.status, slow.error.code], [null, 'Timeout']);
    assert.ok(Date.now() - started < 2900, 'answered at OCPP_CALL_TIMEOUT_MS, not when the station finally answered');
    station.handle('ClearCache');
    await new Promise((r) => setTimeout(r, 1600)); // the late answer arrives and is ignored
    assert.deepEqual((await api(`mutation { clearCache(stationId: "CMD-1") { status ${ERROR} } }`)).clearCache, { status: 'Accepted', error: null });
  });
});
