// Issue 3 §4: requestStartTransaction (F01/F02: remoteStartId generated, returned, recorded and
// linked), requestStopTransaction (F03), unlockConnector (F05), failures as payload.error, and the
// driver rule: a driver key starts and stops only its own sessions, everything else NOT_FOUND.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { remoteStarts } from '../../src/db/schema';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { startTestServer, type TestServer } from '../support/server';
import { gql, gqlData, waitUntil } from '../support/graphql-client';
import { ERROR } from './documents';

const START = `mutation ($id: ID!, $input: RequestStartTransactionInput!) {
  requestStartTransaction(stationId: $id, input: $input) { status statusInfo { reasonCode } transactionId remoteStartId ${ERROR} } }`;
const STOP = `mutation ($id: ID!, $tx: String!) { requestStopTransaction(stationId: $id, input: { transactionId: $tx }) { status ${ERROR} } }`;
const UNLOCK = `mutation ($id: ID!, $evse: Int!, $c: Int!) { unlockConnector(stationId: $id, input: { evseId: $evse, connectorId: $c }) { status ${ERROR} } }`;
const TX = 'query ($id: ID!, $tx: String!) { transaction(stationId: $id, transactionId: $tx) { active remoteStartId stoppedReason idToken { idToken type } } }';
const DRIVER_KEY = 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }';
const token = (idToken: string) => ({ idToken, type: 'ISO14443' });
const WAIT = 10_000;

describe('remote control through GraphQL (F01–F05)', { timeout: 120_000 }, () => {
  let server: TestServer;
  const api = (query: string, variables?: Record<string, unknown>, key = server.adminKey) => gqlData(server.httpUrl, key, query, variables);
  const raw = (query: string, variables?: Record<string, unknown>, key = server.adminKey) => gql(server.httpUrl, key, query, variables);
  const remoteStart = async (stationId: string, remoteStartId: number) =>
    (await server.app.database.db.select().from(remoteStarts)
      .where(and(eq(remoteStarts.stationId, stationId), eq(remoteStarts.remoteStartId, remoteStartId))))[0];

  async function booted(id: string): Promise<SimulatedStation> {
    await server.provisionStation(id);
    const station = await server.connectStation(id, { meterIntervalMs: 0 });
    assert.equal((await station.boot()).status, 'Accepted');
    return station;
  }

  /** Waits until the simulator runs a transaction on EVSE 1 and the CSMS stored it. */
  async function runningTransaction(station: SimulatedStation, stationId: string): Promise<string> {
    await waitUntil(() => station.transaction(1) !== undefined, WAIT, 'the simulator to start a transaction');
    const id = station.transaction(1)!.transactionId;
    await waitUntil(async () => (await api(TX, { id: stationId, tx: id })).transaction !== null, WAIT, 'the transaction to be stored');
    return id;
  }

  before(async () => {
    server = await startTestServer({ UNKNOWN_ID_TOKEN_POLICY: 'accept' });
  });
  after(() => server.close());

  test('F02 remoteStartId is generated, returned, recorded and linked to the transaction that follows', async () => {
    const station = await booted('RS-1');
    const started = (await api(START, { id: 'rs-1', input: { idToken: token('APP-1'), evseId: 1 } })).requestStartTransaction;
    assert.equal(started.status, 'Accepted');
    assert.equal(started.error, null);
    assert.ok(Number.isInteger(started.remoteStartId) && started.remoteStartId > 0 && started.remoteStartId <= 2 ** 31 - 1, String(started.remoteStartId));
    const sent = await station.waitForCall('RequestStartTransaction', WAIT);
    assert.deepEqual(sent, { idToken: token('APP-1'), evseId: 1, remoteStartId: started.remoteStartId });
    const row = await remoteStart('RS-1', started.remoteStartId);
    assert.deepEqual([row?.status, row?.idToken, row?.idTokenType, row?.evseId], ['Accepted', 'APP-1', 'ISO14443', 1]);

    const tx = await runningTransaction(station, 'RS-1');
    const stored = (await api(TX, { id: 'RS-1', tx })).transaction;
    assert.deepEqual(stored, { active: true, remoteStartId: started.remoteStartId, stoppedReason: null, idToken: token('APP-1') });

    // F03: stop it remotely; the transaction ends with stoppedReason Remote.
    assert.deepEqual((await api(STOP, { id: 'RS-1', tx })).requestStopTransaction, { status: 'Accepted', error: null });
    await waitUntil(async () => (await api(TX, { id: 'RS-1', tx })).transaction.active === false, WAIT, 'the Ended event');
    assert.equal((await api(TX, { id: 'RS-1', tx })).transaction.stoppedReason, 'Remote');
    assert.deepEqual((await api(STOP, { id: 'RS-1', tx: 'no-such-transaction' })).requestStopTransaction, { status: 'Rejected', error: null });
  });

  test('F01 cable first: the answer carries the running transactionId, recorded with the command', async () => {
    const station = await booted('RS-2');
    await station.plugIn(1);
    const tx = await runningTransaction(station, 'RS-2');
    const started = (await api(START, { id: 'RS-2', input: { idToken: token('APP-2'), remoteStartId: 77 } })).requestStartTransaction;
    assert.deepEqual(started, { status: 'Accepted', statusInfo: null, transactionId: tx, remoteStartId: 77, error: null });
    assert.equal((await remoteStart('RS-2', 77))?.transactionId, tx);
    await waitUntil(async () => (await api(TX, { id: 'RS-2', tx })).transaction.remoteStartId === 77, WAIT, 'the RemoteStart event');
    // The same remoteStartId again for this station is a conflict; nothing is sent.
    const again = await raw(START, { id: 'RS-2', input: { idToken: token('APP-2'), remoteStartId: 77 } });
    assert.equal(again.body.errors?.[0]?.extensions?.code, 'CONFLICT');
  });

  test('a Rejected answer is data; an offline station is payload.error, recorded with the reason', async () => {
    const station = await booted('RS-3');
    station.handle('RequestStartTransaction', () => ({ status: 'Rejected', statusInfo: { reasonCode: 'NoEVSE' } }));
    const rejected = (await api(START, { id: 'RS-3', input: { idToken: token('APP-3'), remoteStartId: 5 } })).requestStartTransaction;
    assert.deepEqual(rejected, { status: 'Rejected', statusInfo: { reasonCode: 'NoEVSE' }, transactionId: null, remoteStartId: 5, error: null });
    assert.equal((await remoteStart('RS-3', 5))?.status, 'Rejected');
    await station.close();
    await waitUntil(() => !server.app.services.registry.isOnline('RS-3'), WAIT, 'the disconnect');
    const offline = (await api(START, { id: 'RS-3', input: { idToken: token('APP-3'), remoteStartId: 6 } })).requestStartTransaction;
    assert.equal(offline.error.code, 'StationOffline');
    assert.equal(offline.remoteStartId, null);
    assert.equal((await remoteStart('RS-3', 6))?.status, 'StationOffline');
    const missing = await raw(START, { id: 'NOPE', input: { idToken: token('APP-3') } });
    assert.equal(missing.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  test('a charging profile is sent as OCPP (DateTime as ISO 8601 text)', async () => {
    const station = await booted('RS-4');
    station.handle('RequestStartTransaction', () => ({ status: 'Rejected' }));
    const chargingProfile = {
      id: 1, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute',
      chargingSchedule: [{ id: 1, startSchedule: '2030-01-01T00:00:00Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] }],
    };
    const payload = (await api(START, { id: 'RS-4', input: { idToken: token('APP-4'), remoteStartId: 9, chargingProfile } })).requestStartTransaction;
    assert.equal(payload.status, 'Rejected');
    const sent = await station.waitForCall('RequestStartTransaction', WAIT);
    assert.equal(sent.chargingProfile.chargingSchedule[0].startSchedule, '2030-01-01T00:00:00.000Z');
    assert.deepEqual(sent.chargingProfile.chargingSchedule[0].chargingSchedulePeriod, [{ startPeriod: 0, limit: 16 }]);
  });

  test('F05 unlockConnector: Unlocked, UnknownConnector, OngoingAuthorizedTransaction', async () => {
    const station = await booted('UL-1');
    assert.deepEqual((await api(UNLOCK, { id: 'UL-1', evse: 1, c: 1 })).unlockConnector, { status: 'Unlocked', error: null });
    assert.deepEqual((await api(UNLOCK, { id: 'UL-1', evse: 1, c: 9 })).unlockConnector, { status: 'UnknownConnector', error: null });
    await station.plugIn(1);
    await station.authorize(token('APP-5'));
    assert.deepEqual((await api(UNLOCK, { id: 'UL-1', evse: 1, c: 1 })).unlockConnector, { status: 'OngoingAuthorizedTransaction', error: null });
  });

  test('driver keys start only with their own idTokens and stop only their own sessions; viewers may not', async () => {
    const station = await booted('DRV-1');
    const driver = (await api(DRIVER_KEY, { input: { name: 'app', role: 'driver', idTokens: [token('MINE-1')] } })).createApiKey.key;
    const viewer = (await api(DRIVER_KEY, { input: { name: 'ro', role: 'viewer' } })).createApiKey.key;

    const foreign = await raw(START, { id: 'DRV-1', input: { idToken: token('OTHER-1') } }, driver);
    assert.equal(foreign.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    assert.equal((await raw(START, { id: 'DRV-1', input: { idToken: token('MINE-1') } }, viewer)).body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const own = (await api(START, { id: 'DRV-1', input: { idToken: token('mine-1'), evseId: 1 } }, driver)).requestStartTransaction;
    assert.equal(own.status, 'Accepted', 'the idToken value is case-insensitive');
    const mine = await runningTransaction(station, 'DRV-1');

    // A session of another token, on EVSE 2 of another station.
    const other = await booted('DRV-2');
    await other.plugIn(1);
    await other.authorize(token('OTHER-1'));
    const theirs = await runningTransaction(other, 'DRV-2');

    for (const [id, tx] of [['DRV-2', theirs], ['DRV-1', 'no-such-transaction'], ['NOPE', mine]]) {
      const refused = await raw(STOP, { id, tx }, driver);
      assert.equal(refused.body.errors?.[0]?.extensions?.code, 'NOT_FOUND', `${id}/${tx}`);
    }
    assert.equal((await raw(UNLOCK, { id: 'DRV-1', evse: 1, c: 1 }, driver)).body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    assert.deepEqual((await api(STOP, { id: 'DRV-1', tx: mine }, driver)).requestStopTransaction, { status: 'Accepted', error: null });
    await waitUntil(async () => (await api(TX, { id: 'DRV-1', tx: mine })).transaction.active === false, WAIT, 'the driver stop');
    assert.equal((await api(TX, { id: 'DRV-2', tx: theirs })).transaction.active, true, 'the other session runs on');
  });
});
