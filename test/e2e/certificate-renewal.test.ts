// A02 end to end over real TLS (TC_A_11_CSMS with the errata step): the CSMS signs the station's
// CSR with its built-in CA, the simulator installs the certificate, reconnects with it under
// security profile 3 and is accepted; a revoked certificate is refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { updateStationFields } from '../../src/db/queries/stations';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { gqlData, waitUntil } from '../support/graphql-client';
import { SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';
import { createTestPki, stationCertificate, TEST_ORGANIZATION, type TestPki } from '../support/tls';
import { attemptUpgrade, closeRaw } from '../support/ws-client';

let pki: TestPki;
let server: TestServer;

before(async () => {
  pki = await createTestPki();
  server = await startTestServer({ ...pki.env, UPGRADE_FAILURE_BURST: '0' });
});
after(async () => {
  await server?.close();
  pki?.remove();
});

const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);

async function renewAndWait(station: SimulatedStation, id: string): Promise<string> {
  const before = station.certificates.current()?.serialNumber;
  const { renewStationCertificate } = await api('mutation ($id: ID!) { renewStationCertificate(stationId: $id) { status error { code } } }', { id });
  assert.equal(renewStationCertificate.status, 'Accepted');
  await waitUntil(async () => {
    const { station: s } = await api('query ($id: ID!) { station(id: $id) { issuedCertificates(first: 1) { status } } }', { id });
    return s.issuedCertificates[0]?.status === 'Accepted' && station.certificates.current()?.serialNumber !== before;
  }, 10_000, 'the signed certificate to be accepted');
  return station.certificates.current()!.serialNumber;
}

function sessionProfile(id: string) {
  return server.app.services.registry.get(id)?.state.securityProfile;
}

describe('A02 renewal over TLS, then profile 3 with the new certificate', SUITE_TIMEOUT, () => {
  test('TC_A_11_CSMS (errata): a profile 3 station renews its certificate, reconnects with it and is accepted', async () => {
    await server.provisionStation('E2E-CERT-3', { securityProfile: 3 });
    const initial = await stationCertificate(pki.ca, 'E2E-CERT-3');
    const station = await server.connectStation('E2E-CERT-3', {
      url: server.wssUrl, tls: { ca: pki.caPem, ...initial }, certificateOrganization: TEST_ORGANIZATION, meterIntervalMs: 0,
    });
    assert.equal((await station.boot()).status, 'Accepted');
    const serial = await renewAndWait(station, 'E2E-CERT-3');
    await station.reconnectWithCertificate();
    assert.equal(station.isOpen, true);
    await waitUntil(async () => sessionProfile('E2E-CERT-3') === 3, 5000, 'the profile 3 session');
    assert.deepEqual(Object.keys(await station.call('Heartbeat', {})), ['currentTime']);
    assert.notEqual(serial, undefined);
  });

  test('a profile 2 station obtains its first certificate over A02, then connects with profile 3 using only that certificate', async () => {
    await server.provisionStation('E2E-CERT-2', { securityProfile: 2 });
    const station = await server.connectStation('E2E-CERT-2', { url: server.wssUrl, tls: { ca: pki.caPem }, certificateOrganization: TEST_ORGANIZATION, meterIntervalMs: 0 });
    assert.equal((await station.boot()).status, 'Accepted');
    assert.equal(sessionProfile('E2E-CERT-2'), 2);
    await renewAndWait(station, 'E2E-CERT-2');
    await updateStationFields(server.app.database.db, 'E2E-CERT-2', { securityProfile: 3 });
    await station.reconnectWithCertificate(); // no Basic auth under profile 3: the new certificate is the only credential
    await waitUntil(async () => sessionProfile('E2E-CERT-2') === 3, 5000, 'the profile 3 session');
    assert.equal((await station.boot()).status, 'Accepted');
  });

  test('A02 then A05 (TC_A_19_CSMS): a profile 2 station gets its certificate from the CSMS, upgradeSecurityProfile moves it to 3 with it', async () => {
    await server.provisionStation('E2E-CERT-UP', { securityProfile: 2 });
    const station = await server.connectStation('E2E-CERT-UP', { url: server.wssUrl, tls: { ca: pki.caPem }, certificateOrganization: TEST_ORGANIZATION, meterIntervalMs: 0 });
    assert.equal((await station.boot()).status, 'Accepted');
    await renewAndWait(station, 'E2E-CERT-UP');
    const { upgradeSecurityProfile } = await api('mutation { upgradeSecurityProfile(stationId: "E2E-CERT-UP", securityProfile: 3) { upgrade { status } error { code } } }');
    assert.equal(upgradeSecurityProfile.error, null);
    const profile = async () => (await api('{ station(id: "E2E-CERT-UP") { securityProfile } }')).station.securityProfile;
    await waitUntil(async () => (await profile()) === 3, 15_000, 'the station back on profile 3 with the CSMS-signed certificate');
    await waitUntil(() => station.isOpen && station.registration === 'Accepted' && sessionProfile('E2E-CERT-UP') === 3, 15_000, 'the profile 3 session');
  });

  test('a revoked certificate is refused under profile 3 (A00.FR.702)', async () => {
    await server.provisionStation('E2E-CERT-R', { securityProfile: 2 });
    const station = await server.connectStation('E2E-CERT-R', { url: server.wssUrl, tls: { ca: pki.caPem }, certificateOrganization: TEST_ORGANIZATION, meterIntervalMs: 0 });
    await station.boot();
    const serial = await renewAndWait(station, 'E2E-CERT-R');
    const signed = station.certificates.current()!;
    await station.close();
    await updateStationFields(server.app.database.db, 'E2E-CERT-R', { securityProfile: 3 });
    const attempt = () => attemptUpgrade(`${server.wssUrl}/E2E-CERT-R`, { tls: { ca: pki.caPem, cert: signed.cert, key: signed.key } });
    const accepted = await attempt();
    assert.equal(accepted.status, 101);
    if (accepted.upgraded) await closeRaw(accepted.ws);
    await api('mutation ($s: String!) { revokeCertificate(serialNumber: $s) { certificate { status } } }', { s: serial });
    const refused = await attempt();
    assert.equal(refused.upgraded, false);
    assert.equal(refused.status, 403);
  });
});
