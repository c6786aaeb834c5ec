// A00 security profiles over real TLS sockets: profile 2 (TLS + Basic), profile 3 (client
// certificate), one profile per station (A00.FR.002), refusals recorded as security events
// (A00.FR.408, rate-limited), and the boot serialNumber checked against the certificate (B01.FR.11/12).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordIssuedCertificate, revokeIssuedCertificate } from '../../src/db/queries/certificates';
import { listSecurityEvents } from '../../src/db/queries/security-events';
import { findStation, updateStationFields } from '../../src/db/queries/stations';
import { waitUntil } from '../support/graphql-client';
import { SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';
import { createTestPki, expiredStationCertificate, foreignCa, selfSignedCertificate, stationCertificate, TEST_ORGANIZATION, type ClientCertificate, type TestPki } from '../support/tls';
import { attemptUpgrade, basicAuth, closeRaw, type UpgradeOutcome } from '../support/ws-client';

let pki: TestPki;
let server: TestServer;

before(async () => {
  pki = await createTestPki();
  // Many refusals from 127.0.0.1 on purpose: the per-address upgrade limit (429) is off here.
  server = await startTestServer({ ...pki.env, UPGRADE_FAILURE_BURST: '0' });
});
after(async () => {
  await server?.close();
  pki?.remove();
});

async function attemptTls(id: string, options: { cert?: ClientCertificate; password?: string; user?: string } = {}): Promise<UpgradeOutcome> {
  const outcome = await attemptUpgrade(`${server.wssUrl}/${id}`, {
    tls: { ca: pki.caPem, ...(options.cert && { cert: options.cert.cert, key: options.cert.key }) },
    headers: options.password !== undefined ? { Authorization: basicAuth(options.user ?? id, options.password) } : {},
  });
  if (outcome.upgraded) await closeRaw(outcome.ws);
  return outcome;
}

async function attemptPlain(id: string, password: string): Promise<UpgradeOutcome> {
  const outcome = await attemptUpgrade(`${server.ocppUrl}/${id}`, { headers: { Authorization: basicAuth(id, password) } });
  if (outcome.upgraded) await closeRaw(outcome.ws);
  return outcome;
}

function assertRefused(outcome: UpgradeOutcome, status: number): void {
  assert.equal(outcome.upgraded, false, `expected HTTP ${status}, got a 101`);
  assert.equal(outcome.status, status);
}

async function eventsOf(stationId: string) {
  return listSecurityEvents(server.app.database.db, { stationId }, undefined, 100);
}

async function waitForEvent(stationId: string, type: string) {
  await waitUntil(async () => (await eventsOf(stationId)).some((e) => e.type === type), 5000, `${type} for ${stationId}`);
  return (await eventsOf(stationId)).find((e) => e.type === type)!;
}

describe('profile 2: TLS + Basic auth (TC_A_01/02/03 over TLS)', SUITE_TIMEOUT, () => {
  let password: string;
  before(async () => {
    password = await server.provisionStation('P2-A', { securityProfile: 2 });
  });

  test('TC_A_01_CSMS (profile 2): valid credentials over wss → 101; the simulator boots Accepted', async () => {
    assert.equal((await attemptTls('P2-A', { password })).status, 101);
    const station = await server.connectStation('P2-A', { url: server.wssUrl, tls: { ca: pki.caPem } });
    assert.equal((await station.boot()).status, 'Accepted');
    assert.equal(server.app.services.registry.get('P2-A')?.state.securityProfile, 2);
    await station.close();
  });

  test('TC_A_02/03_CSMS (profile 2): wrong password or username → 401, no 101; recorded as FailedToAuthenticateAtCsms', async () => {
    assertRefused(await attemptTls('P2-A', { password: 'wrong-password-0123456789' }), 401);
    assertRefused(await attemptTls('P2-A', { password, user: 'P2-OTHER' }), 401);
    assertRefused(await attemptTls('P2-A'), 401);
    const event = await waitForEvent('P2-A', 'FailedToAuthenticateAtCsms');
    assert.equal(event.source, 'CSMS');
    assert.equal(event.critical, false);
  });

  test('A00.FR.002: a profile 2 station on the plain port (profile 1) is refused, recorded as critical', async () => {
    assertRefused(await attemptPlain('P2-A', password), 403);
    const event = await waitForEvent('P2-A', 'SecurityProfileMismatch');
    assert.equal(event.critical, true);
    assert.match(event.techInfo ?? '', /profile 1/);
  });

  test('A00.FR.002: a profile 1 station over TLS is refused; on the plain port it still connects', async () => {
    const p1 = await server.provisionStation('P1-A');
    assertRefused(await attemptTls('P1-A', { password: p1 }), 403);
    assert.equal((await attemptPlain('P1-A', p1)).status, 101);
  });
});

describe('profile 3: client certificates (TC_A_07/08, A00.FR.403–407)', SUITE_TIMEOUT, () => {
  let own: ClientCertificate;
  before(async () => {
    await server.provisionStation('P3-A', { securityProfile: 3, serialNumber: 'SER-P3-A' });
    await server.provisionStation('P3-B', { securityProfile: 3 });
    own = await stationCertificate(pki.ca, 'P3-A');
  });

  test('TC_A_07_CSMS: a certificate from the CSMS CA with CN = station id → 101; the simulator boots Accepted', async () => {
    assert.equal((await attemptTls('P3-A', { cert: own })).status, 101);
    const station = await server.connectStation('P3-A', { url: server.wssUrl, tls: { ca: pki.caPem, ...own } });
    assert.equal((await station.boot()).status, 'Accepted');
    const state = server.app.services.registry.get('P3-A')?.state;
    assert.equal(state?.securityProfile, 3);
    assert.equal(state?.certificateCommonName, 'P3-A');
    await station.close();
  });

  test('A00.FR.405: CN = the registered serial number is accepted too', async () => {
    const bySerial = await stationCertificate(pki.ca, 'SER-P3-A', TEST_ORGANIZATION, 'rsa');
    assert.equal((await attemptTls('P3-A', { cert: bySerial })).status, 101);
  });

  test('TC_A_08_CSMS: self-signed, foreign-CA, wrong-O, expired certificates and none at all → 403, no 101', async () => {
    const foreign = await stationCertificate(await foreignCa(), 'P3-B');
    const wrongOrg = await stationCertificate(pki.ca, 'P3-B', 'Someone Else');
    const expired = await expiredStationCertificate(pki, 'P3-B');
    for (const cert of [selfSignedCertificate('P3-B'), foreign, wrongOrg, expired]) assertRefused(await attemptTls('P3-B', { cert }), 403);
    assertRefused(await attemptTls('P3-B'), 403);
    const event = await waitForEvent('P3-B', 'InvalidChargingStationCertificate');
    assert.equal(event.critical, true);
    assert.equal(event.source, 'CSMS');
  });

  test("A00.FR.427: one station's certificate cannot be used as another station", async () => {
    assertRefused(await attemptTls('P3-B', { cert: own }), 403);
  });

  test('A00.FR.405: a CN that is one station\'s serial and another station\'s id identifies neither', async () => {
    await server.provisionStation('P3-C', { securityProfile: 3, serialNumber: 'P3-B' });
    const ambiguous = await stationCertificate(pki.ca, 'P3-B');
    assertRefused(await attemptTls('P3-C', { cert: ambiguous }), 403);
    assert.equal((await attemptTls('P3-B', { cert: ambiguous })).status, 101);
  });

  test('A00.FR.702: a certificate the CSMS revoked is refused', async () => {
    await server.provisionStation('P3-REVOKED', { securityProfile: 3 });
    const issued = await pki.ca.issueKeyPair({ commonName: 'P3-REVOKED', organization: TEST_ORGANIZATION, keyType: 'ecdsa', usage: 'client', validityDays: 30 });
    const cert = { cert: issued.pem, key: issued.keyPem };
    const db = server.app.database.db;
    await recordIssuedCertificate(db, { ...issued, stationId: 'P3-REVOKED', certificateType: 'ChargingStationCertificate', at: new Date() });
    assert.equal((await attemptTls('P3-REVOKED', { cert })).status, 101);
    await revokeIssuedCertificate(db, issued.serialNumber, new Date());
    assertRefused(await attemptTls('P3-REVOKED', { cert }), 403);
    assert.match((await waitForEvent('P3-REVOKED', 'InvalidChargingStationCertificate')).techInfo ?? '', /revoked/);
  });

  test('A00.FR.002: a profile 3 station using Basic auth (profile 2) or the plain port is refused', async () => {
    const password = await server.provisionStation('P3-D', { securityProfile: 3 });
    assertRefused(await attemptTls('P3-D', { password }), 403);
    assertRefused(await attemptPlain('P3-D', password), 403);
    await waitForEvent('P3-D', 'SecurityProfileMismatch');
  });

  test('A00.FR.002: a profile 2 station presenting only a certificate (profile 3) is refused', async () => {
    await server.provisionStation('P2-B', { securityProfile: 2 });
    assertRefused(await attemptTls('P2-B', { cert: await stationCertificate(pki.ca, 'P2-B') }), 403);
  });

  test('A05 mid-upgrade 2 → 3: an unusable certificate with valid Basic credentials still connects on profile 2', async () => {
    const password = await server.provisionStation('P2-UP', { securityProfile: 2 });
    await updateStationFields(server.app.database.db, 'P2-UP', { pendingSecurityProfile: 3 });
    assert.equal((await attemptTls('P2-UP', { cert: selfSignedCertificate('P2-UP'), password })).status, 101);
    assert.equal((await findStation(server.app.database.db, 'P2-UP'))?.securityProfile, 2);
    assert.equal((await attemptTls('P2-UP', { cert: await stationCertificate(pki.ca, 'P2-UP') })).status, 101);
    assert.equal((await findStation(server.app.database.db, 'P2-UP'))?.securityProfile, 3);
    assertRefused(await attemptTls('P2-UP', { password }), 403);
  });

  test('A00.FR.408: a flood of refusals is recorded once per station and type per window', async () => {
    await server.provisionStation('P3-FLOOD', { securityProfile: 3 });
    const bad = selfSignedCertificate('P3-FLOOD');
    for (let i = 0; i < 8; i++) assertRefused(await attemptTls('P3-FLOOD', { cert: bad }), 403);
    await waitForEvent('P3-FLOOD', 'InvalidChargingStationCertificate');
    assert.equal((await eventsOf('P3-FLOOD')).length, 1);
  });
});

describe('B01.FR.11/12: boot serialNumber against the certificate CN', SUITE_TIMEOUT, () => {
  let cert: ClientCertificate;
  before(async () => {
    await server.provisionStation('P3-BOOT', { securityProfile: 3 });
    cert = await stationCertificate(pki.ca, 'P3-BOOT');
  });

  test('B01.FR.11: no serialNumber, or the CN as serialNumber → Accepted', async () => {
    const plainBoot = await server.connectStation('P3-BOOT', { url: server.wssUrl, tls: { ca: pki.caPem, ...cert } });
    assert.equal((await plainBoot.boot()).status, 'Accepted');
    await plainBoot.close();
    const sameSerial = await server.connectStation('P3-BOOT', { url: server.wssUrl, tls: { ca: pki.caPem, ...cert }, serialNumber: 'P3-BOOT' });
    assert.equal((await sameSerial.boot()).status, 'Accepted');
    await sameSerial.close();
  });

  test('B01.FR.12: a serialNumber other than the CN closes the connection and is recorded', async () => {
    const station = await server.connectStation('P3-BOOT', { url: server.wssUrl, tls: { ca: pki.caPem, ...cert }, serialNumber: 'SOMEONE-ELSE' });
    await assert.rejects(station.boot());
    const closed = await station.closed;
    assert.equal(closed.code, 1008);
    const event = await waitForEvent('P3-BOOT', 'SerialNumberMismatch');
    assert.match(event.techInfo ?? '', /SOMEONE-ELSE/);
  });
});
