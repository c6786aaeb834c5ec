// Block C end to end: Authorize answered from stored authorization data (C01, C02, C04, C05, C06,
// C07), the unknown-token policy, and who may end a transaction (C09 group id, C16 master pass).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { commandCtx } from '../../src/blocks/context';
import { mayEndTransaction } from '../../src/blocks/authorization/authorize-id-token';
import { CallErrorResponse, type SimulatedStation } from '../../src/cli/simulator/station';
import { remoteStarts } from '../../src/db/schema';
import { provisionIdTokens } from '../support/id-tokens';
import { startTestServer, type TestServer } from '../support/server';

const MASTER = 'MASTER-GROUP';
const past = new Date(Date.now() - 3_600_000).toISOString();
const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
const authorize = (station: SimulatedStation, idToken: string, type = 'ISO14443', extra: object = {}) =>
  station.call('Authorize', { idToken: { idToken, type }, ...extra });

describe('C Authorization: Authorize and ending transactions', () => {
  let server: TestServer;
  let station: SimulatedStation;

  before(async () => {
    server = await startTestServer({ MASTER_PASS_GROUP_ID: MASTER });
    await server.provisionStation('AZ-1');
    station = await server.connectStation('AZ-1');
    assert.equal((await station.boot()).status, 'Accepted');
    await provisionIdTokens(server, [
      {
        idToken: 'AABBCCDD', group: 'FAMILY',
        idTokenInfo: {
          language1: 'nl', chargingPriority: 3, evseId: [1, 2],
          personalMessage: { format: 'UTF8', language: 'nl', content: 'Welkom' },
          cacheExpiryDateTime: '2099-01-01T00:00:00Z',
        },
      },
      { idToken: 'SIBLING01', group: 'family' },
      { idToken: 'STRANGER1', group: 'OTHER' },
      { idToken: 'BLOCKED01', status: 'Blocked', group: 'FAMILY' },
      { idToken: 'INVALID01', status: 'Invalid' },
      { idToken: 'EXPIRED01', expiresAt: past },
      { idToken: 'EXPIRES01', expiresAt: future },
      { idToken: 'POLICE-01', group: MASTER },
      { idToken: '1234', type: 'KeyCode' },
      { idToken: 'PARKING-TICKET-7', type: 'Local' },
    ]);
  });
  after(() => server.close());

  test('C01 Authorize Accepted answers the stored idTokenInfo with groupIdToken (C01.FR.07, C09.FR.02)', async () => {
    const { idTokenInfo, certificateStatus } = await authorize(station, 'AABBCCDD');
    assert.equal(certificateStatus, undefined);
    assert.deepEqual(idTokenInfo, {
      status: 'Accepted', cacheExpiryDateTime: '2099-01-01T00:00:00.000Z', chargingPriority: 3, language1: 'nl', evseId: [1, 2],
      groupIdToken: { idToken: 'FAMILY', type: 'Central' },
      personalMessage: { format: 'UTF8', language: 'nl', content: 'Welkom' },
    });
  });

  test('C01 the idToken value matches case-insensitively, the type exactly', async () => {
    assert.equal((await authorize(station, 'aabbccdd')).idTokenInfo.status, 'Accepted');
    assert.equal((await authorize(station, 'AABBCCDD', 'ISO15693')).idTokenInfo.status, 'Unknown');
  });

  test('TC_C_02 an unknown idToken is Unknown; C04.FR.01 an unknown PIN (KeyCode) is Invalid', async () => {
    assert.deepEqual((await authorize(station, 'NOT-KNOWN')).idTokenInfo, { status: 'Unknown' });
    assert.deepEqual((await authorize(station, '9999', 'KeyCode')).idTokenInfo, { status: 'Invalid' });
    assert.equal((await authorize(station, '1234', 'KeyCode')).idTokenInfo.status, 'Accepted');
  });

  test('TC_C_06 Blocked, stored Invalid, TC_C_07 Expired past expiresAt', async () => {
    assert.equal((await authorize(station, 'BLOCKED01')).idTokenInfo.status, 'Blocked');
    assert.equal((await authorize(station, 'INVALID01')).idTokenInfo.status, 'Invalid');
    assert.equal((await authorize(station, 'EXPIRED01')).idTokenInfo.status, 'Expired');
  });

  test('a token with a future expiresAt is Accepted and cached by the station no longer than that', async () => {
    const { idTokenInfo } = await authorize(station, 'EXPIRES01');
    assert.equal(idTokenInfo.status, 'Accepted');
    assert.equal(idTokenInfo.cacheExpiryDateTime, future);
  });

  test('C06 a local id type (Local) is answered from stored data like any other type', async () => {
    assert.equal((await authorize(station, 'parking-ticket-7', 'Local')).idTokenInfo.status, 'Accepted');
  });

  test('C02 NoAuthorization (start button) is Accepted without stored data', async () => {
    assert.deepEqual((await authorize(station, '', 'NoAuthorization')).idTokenInfo, { status: 'Accepted' });
  });

  test('C05 a Central token the CSMS sent in RequestStartTransaction to this station is Accepted', async () => {
    const db = server.app.services.db;
    await db.insert(remoteStarts).values({ stationId: 'AZ-1', remoteStartId: 41, idToken: 'app-session-41', idTokenType: 'Central', status: 'Accepted' });
    assert.equal((await authorize(station, 'APP-SESSION-41', 'Central')).idTokenInfo.status, 'Accepted');
    assert.equal((await authorize(station, 'app-session-42', 'Central')).idTokenInfo.status, 'Unknown');
    await server.provisionStation('AZ-2');
    const other = await server.connectStation('AZ-2');
    await other.boot();
    assert.equal((await authorize(other, 'app-session-41', 'Central')).idTokenInfo.status, 'Unknown', 'sent to another station');
  });

  test('C07 a contract certificate the CSMS cannot validate is never answered Accepted', async () => {
    const hashData = [{ hashAlgorithm: 'SHA256', issuerNameHash: 'aa', issuerKeyHash: 'bb', serialNumber: '01', responderURL: 'http://ocsp.invalid' }];
    const response = await authorize(station, 'AABBCCDD', 'eMAID', { iso15118CertificateHashData: hashData });
    assert.equal(response.certificateStatus, 'NoCertificateAvailable');
    assert.equal(response.idTokenInfo.status, 'Unknown', 'no eMAID AABBCCDD is stored');
  });

  test('B01.FR.10 Authorize before an accepted boot is a SecurityError', async () => {
    await server.provisionStation('AZ-NOBOOT');
    const fresh = await server.connectStation('AZ-NOBOOT');
    await assert.rejects(authorize(fresh, 'AABBCCDD'), (err) => err instanceof CallErrorResponse && err.code === 'SecurityError');
  });

  test('TC_C_39–C_43 a valid token of the same group may end the transaction; others may not (C09.FR.03)', async () => {
    const ctx = commandCtx(server.app.services, 'AZ-1');
    const start = { idToken: 'AABBCCDD', type: 'ISO14443', groupIdToken: 'FAMILY' };
    const stop = (idToken: string, type = 'ISO14443') => mayEndTransaction(ctx, start, { idToken, type: type as never });
    assert.equal(await stop('aabbccdd'), true, 'the same token');
    assert.equal(await stop('SIBLING01'), true, 'same group (case-insensitive)');
    assert.equal(await stop('STRANGER1'), false, 'another group');
    assert.equal(await stop('BLOCKED01'), false, 'same group but blocked');
    assert.equal(await stop('NOT-KNOWN'), false, 'unknown');
    // The group of the starting token is looked up when the transaction did not record it.
    assert.equal(await mayEndTransaction(ctx, { idToken: 'AABBCCDD', type: 'ISO14443' }, { idToken: 'SIBLING01', type: 'ISO14443' }), true);
  });

  test('TC_C_47–C_49 a token of MASTER_PASS_GROUP_ID may end any transaction (C16)', async () => {
    const ctx = commandCtx(server.app.services, 'AZ-1');
    const { idTokenInfo } = await authorize(station, 'POLICE-01');
    assert.deepEqual([idTokenInfo.status, idTokenInfo.groupIdToken?.idToken], ['Accepted', MASTER]);
    for (const start of [{ idToken: 'STRANGER1', type: 'ISO14443' }, { idToken: 'UNKNOWN-START', type: 'eMAID' }]) {
      assert.equal(await mayEndTransaction(ctx, start, { idToken: 'police-01', type: 'ISO14443' }), true);
    }
  });
});

describe('C01 UNKNOWN_ID_TOKEN_POLICY=accept (free charging)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ UNKNOWN_ID_TOKEN_POLICY: 'accept' });
  });
  after(() => server.close());

  test('unknown tokens are Accepted; stored Blocked tokens stay Blocked; no group means no stopping others', async () => {
    await server.provisionStation('FREE-1');
    const station = await server.connectStation('FREE-1');
    await station.boot();
    await provisionIdTokens(server, [{ idToken: 'BLOCKED02', status: 'Blocked' }]);
    assert.deepEqual((await authorize(station, 'ANYTHING')).idTokenInfo, { status: 'Accepted' });
    assert.deepEqual((await authorize(station, '0000', 'KeyCode')).idTokenInfo, { status: 'Accepted' });
    assert.equal((await authorize(station, 'BLOCKED02')).idTokenInfo.status, 'Blocked');
    const ctx = commandCtx(server.app.services, 'FREE-1');
    assert.equal(await mayEndTransaction(ctx, { idToken: 'A', type: 'ISO14443' }, { idToken: 'B', type: 'ISO14443' }), false);
  });
});
