// A01 Update Charging Station Password for HTTP Basic Authentication (issue 4 §3): TC_A_09_CSMS,
// TC_A_10_CSMS, RebootRequired and no answer (both passwords until the first login with the new one),
// sent uncompressed, never returned or readable; the simulator over real sockets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { UpgradeRefused, type SimulatedStation } from '../../src/cli/simulator/station';
import { gql, gqlData, waitUntil } from '../support/graphql-client';
import { bootedStation, startTestServer, SUITE_TIMEOUT, type TestServer } from '../support/server';

const ROTATE = `mutation ($id: ID!) { rotateStationPassword(stationId: $id) {
  status statusInfo { reasonCode } passwordChange error { code message } } }`;
const PENDING = `query ($id: ID!) { station(id: $id) { passwordChangePending } }`;
const PASSWORD_CHARS = /^[A-Za-z0-9*\-_=+|@.]+$/;

const SECURITY = { name: 'SecurityCtrlr' };
const sentPassword = (payload: any): string => {
  const item = payload.setVariableData[0];
  assert.deepEqual([item.component, item.variable], [SECURITY, { name: 'BasicAuthPassword' }]);
  return item.attributeValue;
};

/** The frames the CSMS hands to ws for this station, with the compress flag it asked for. */
function recordSends(server: TestServer, id: string): Array<{ text: string; compress: boolean | undefined }> {
  const socket = (server.app.services.registry.get(id) as any).socket as { send(text: string, o?: { compress?: boolean }): void };
  const sent: Array<{ text: string; compress: boolean | undefined }> = [];
  const send = socket.send.bind(socket);
  socket.send = (text, options) => {
    sent.push({ text, compress: options?.compress });
    send(text, options);
  };
  return sent;
}

async function assertRefused(server: TestServer, id: string, password: string, message: string): Promise<void> {
  await assert.rejects(server.connectStation(id, { password }), (err: unknown) => err instanceof UpgradeRefused && err.statusCode === 401, message);
}

/** Connects with this password, boots, and disconnects again. */
async function assertAccepted(server: TestServer, id: string, password: string): Promise<void> {
  const station = await server.connectStation(id, { password, meterIntervalMs: 0 });
  assert.equal((await station.boot()).status, 'Accepted');
  await station.close();
}

describe('A01 password rotation', SUITE_TIMEOUT, () => {
  let server: TestServer;
  const rotate = async (id: string) => (await gqlData(server.httpUrl, server.adminKey, ROTATE, { id })).rotateStationPassword;
  const pending = async (id: string) => (await gqlData(server.httpUrl, server.adminKey, PENDING, { id })).station.passwordChangePending;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('TC_A_09_CSMS A01.FR.03: Accepted → only the new password works; sent uncompressed, never returned', async () => {
    const station = await bootedStation(server, 'A01-OK');
    const oldPassword = station.model.read(SECURITY, 'BasicAuthPassword')!;
    const sends = recordSends(server, 'A01-OK');
    const response = await gql(server.httpUrl, server.adminKey, ROTATE, { id: 'A01-OK' });
    assert.deepEqual(response.body.data.rotateStationPassword, { status: 'Accepted', statusInfo: null, passwordChange: 'Replaced', error: null });
    const newPassword = sentPassword(await station.waitForCall('SetVariables'));
    assert.equal(newPassword.length, 40, 'STATION_PASSWORD_LENGTH default');
    assert.match(newPassword, PASSWORD_CHARS);
    assert.notEqual(newPassword, oldPassword);
    assert.ok(!JSON.stringify(response.body).includes(newPassword), 'the API never returns the password');
    const frame = sends.find((s) => s.text.includes(newPassword));
    assert.equal(frame?.compress, false, 'the frame carrying the password is sent with compression off');
    assert.equal(station.model.read(SECURITY, 'BasicAuthPassword'), newPassword, 'the simulator stored it');

    // TC_A_09_CSMS: the station reconnects with the new password and is accepted; the old one is refused.
    await station.close();
    await assertAccepted(server, 'A01-OK', newPassword);
    await assertRefused(server, 'A01-OK', oldPassword, 'the old password no longer works');
    assert.equal(await pending('A01-OK'), false);
  });

  test('TC_A_10_CSMS A01.FR.04: Rejected → the old password keeps working, the new one never does', async () => {
    const station = await bootedStation(server, 'A01-REJ', { passwordChangeAnswer: 'Rejected' });
    const oldPassword = station.model.read(SECURITY, 'BasicAuthPassword')!;
    assert.deepEqual(await rotate('A01-REJ'), { status: 'Rejected', statusInfo: null, passwordChange: 'Unchanged', error: null });
    const refused = sentPassword(await station.waitForCall('SetVariables'));
    await station.close();
    await assertAccepted(server, 'A01-REJ', oldPassword);
    await assertRefused(server, 'A01-REJ', refused, 'a password the station rejected is not accepted');
    assert.equal(await pending('A01-REJ'), false);
  });

  test('A01 RebootRequired: old and new both work until the first login with the new one, which retires the old', async () => {
    const station = await bootedStation(server, 'A01-RBT', { passwordChangeAnswer: 'RebootRequired' });
    const oldPassword = station.model.read(SECURITY, 'BasicAuthPassword')!;
    assert.deepEqual(await rotate('A01-RBT'), { status: 'RebootRequired', statusInfo: null, passwordChange: 'Pending', error: null });
    const newPassword = sentPassword(await station.waitForCall('SetVariables'));
    assert.equal(await pending('A01-RBT'), true);
    await station.close();
    await assertAccepted(server, 'A01-RBT', oldPassword);
    await assertAccepted(server, 'A01-RBT', newPassword);
    assert.equal(await pending('A01-RBT'), false, 'the first login with the new password settled it');
    await assertRefused(server, 'A01-RBT', oldPassword, 'the old password is retired');
    await assertAccepted(server, 'A01-RBT', newPassword);
  });

  test('A01: a password the operator sets with updateStation ends an open rotation', async () => {
    const station = await bootedStation(server, 'A01-SET', { passwordChangeAnswer: 'RebootRequired' });
    await rotate('A01-SET');
    const rotated = sentPassword(await station.waitForCall('SetVariables'));
    assert.equal(await pending('A01-SET'), true);
    const chosen = 'operator-chosen-password-0001';
    await gqlData(server.httpUrl, server.adminKey, 'mutation ($p: String!) { updateStation(id: "A01-SET", input: { password: $p }) { station { id } } }', { p: chosen });
    assert.equal(await pending('A01-SET'), false);
    await station.close();
    await assertRefused(server, 'A01-SET', rotated, 'the pending password no longer works');
    await assertAccepted(server, 'A01-SET', chosen);
  });

  test('A01 RebootRequired in the simulator: the new password is used after a Reset', async () => {
    const station = await bootedStation(server, 'A01-RST', { passwordChangeAnswer: 'RebootRequired' });
    const oldPassword = station.model.read(SECURITY, 'BasicAuthPassword')!;
    await rotate('A01-RST');
    const newPassword = sentPassword(await station.waitForCall('SetVariables'));
    const reset = `mutation { reset(stationId: "A01-RST", input: { type: OnIdle }) { status } }`;
    assert.equal((await gqlData(server.httpUrl, server.adminKey, reset)).reset.status, 'Accepted');
    await station.waitForCall('Reset');
    await waitUntil(async () => (await pending('A01-RST')) === false, 10_000, 'the station to log in with its new password');
    assert.equal(station.model.read(SECURITY, 'BasicAuthPassword'), newPassword);
    await assertRefused(server, 'A01-RST', oldPassword, 'the old password is retired after the reboot');
  });

  test('A01 no answer (connection lost mid-call): both work until the new one is used', async () => {
    const station = await bootedStation(server, 'A01-LOST');
    const oldPassword = station.model.read(SECURITY, 'BasicAuthPassword')!;
    let newPassword = '';
    station.handle('SetVariables', (payload) => {
      newPassword = sentPassword(payload);
      void station.goOffline(); // the answer never comes
      return new Promise(() => {});
    });
    const payload = await rotate('A01-LOST');
    assert.equal(payload.error.code, 'StationOffline');
    assert.equal(payload.status, null);
    assert.equal(newPassword.length, 40);
    assert.equal(await pending('A01-LOST'), true);
    await assertAccepted(server, 'A01-LOST', oldPassword);
    await assertAccepted(server, 'A01-LOST', newPassword);
    await assertRefused(server, 'A01-LOST', oldPassword, 'the new password was used: the old one is retired');
  });

  test('A01: an offline station gets no password and keeps its own; only admin keys may rotate', async () => {
    await server.provisionStation('A01-OFF');
    const offline = await rotate('A01-OFF');
    assert.deepEqual(offline, { status: null, statusInfo: null, passwordChange: null, error: { code: 'StationOffline', message: 'Station is not connected' } });
    assert.equal(await pending('A01-OFF'), false, 'nothing was sent, so nothing is pending');
    const missing = await gql(server.httpUrl, server.adminKey, ROTATE, { id: 'NOPE' });
    assert.equal(missing.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    const created = await gqlData(server.httpUrl, server.adminKey, 'mutation { createApiKey(input: { name: "op", role: operator }) { key } }');
    const byOperator = await gql(server.httpUrl, created.createApiKey.key, ROTATE, { id: 'A01-OFF' });
    assert.equal(byOperator.body.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'rotating credentials is an admin task');
  });
});


describe('A01 password rotation: timeout and configured length', SUITE_TIMEOUT, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ OCPP_CALL_TIMEOUT_MS: '1000', STATION_PASSWORD_LENGTH: '20' });
  });
  after(() => server.close());

  test('A01 no answer (Timeout): both passwords work until the new one is used; STATION_PASSWORD_LENGTH applies', async () => {
    const station: SimulatedStation = await bootedStation(server, 'A01-TMO');
    const oldPassword = station.model.read(SECURITY, 'BasicAuthPassword')!;
    let newPassword = '';
    station.handle('SetVariables', (payload) => {
      newPassword = sentPassword(payload);
      return new Promise(() => {}); // never answered
    });
    const payload = (await gqlData(server.httpUrl, server.adminKey, ROTATE, { id: 'A01-TMO' })).rotateStationPassword;
    assert.equal(payload.error.code, 'Timeout');
    assert.equal(newPassword.length, 20);
    assert.match(newPassword, PASSWORD_CHARS);
    await station.close();
    await assertAccepted(server, 'A01-TMO', oldPassword);
    await assertAccepted(server, 'A01-TMO', newPassword);
    await assertRefused(server, 'A01-TMO', oldPassword, 'the first login with the new password retired the old');
  });
});
