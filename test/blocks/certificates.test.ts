// A02/A03 certificate signing with the built-in CA (TC_A_11/14_CSMS, A02.FR.xx), automatic
// renewal, revocation for profile 3, and M03–M05 installed-certificate management, against the
// simulator over a real socket (plain ws; the TLS reconnect is in test/e2e/certificate-renewal).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCertificateRenewalCheck } from '../../src/blocks/security/certificate-renewal';
import { generateKeyPair, signingAlgorithmFor, subjectName, x509 } from '../../src/blocks/security/x509';
import { deleteStationById } from '../../src/db/queries/stations';
import { isCertificateRevoked } from '../../src/db/queries/certificates';
import { listSecurityEvents } from '../../src/db/queries/security-events';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { gql, gqlData, waitUntil } from '../support/graphql-client';
import { bootedStation, SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';

const ORG = 'Certificates Test CSO';
const DAY_MS = 86_400_000;
let server: TestServer;

before(async () => {
  server = await startTestServer({ CSMS_ORGANIZATION: ORG, CERT_VALIDITY_DAYS: '20', CERT_RENEW_BEFORE_DAYS: '30' });
});
after(() => server.close());

const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);

const ISSUED = `query ($id: ID!) { station(id: $id) {
  issuedCertificates { serialNumber stationId certificateType subject notBefore notAfter status deliveryStatusInfo { reasonCode } issuedAt pem }
  certificateSigningRequests { status reason certificateType issuedSerialNumber } } }`;

async function issuedOf(id: string) {
  return (await api(ISSUED, { id })).station;
}

const RENEW = `mutation ($id: ID!, $type: CertificateSigningUseEnum) {
  renewStationCertificate(stationId: $id, certificateType: $type) { status statusInfo { reasonCode } error { code } } }`;

async function certStation(id: string, options: { serialNumber?: string } = {}): Promise<SimulatedStation> {
  if (!options.serialNumber) return bootedStation(server, id, { certificateOrganization: ORG });
  await server.provisionStation(id, { serialNumber: options.serialNumber });
  const station = await server.connectStation(id, { certificateOrganization: ORG, meterIntervalMs: 0 });
  assert.equal((await station.boot()).status, 'Accepted');
  return station;
}

/** A CSR with the given subject and key (ECDSA P-256 unless another key is given). */
async function csrFor(commonName: string, organization: string | undefined = ORG, keys?: Awaited<ReturnType<typeof generateKeyPair>>): Promise<string> {
  const pair = keys ?? (await generateKeyPair('ecdsa'));
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(commonName, organization), keys: pair, signingAlgorithm: signingAlgorithmFor(pair.privateKey) as never,
  });
  return csr.toString('pem');
}

describe('A02 renewal started by the CSMS (TC_A_11_CSMS)', SUITE_TIMEOUT, () => {
  test('TC_A_11_CSMS: Trigger → SignCertificate Accepted → CertificateSigned with the chain → station Accepted, recorded', async () => {
    const station = await certStation('CERT-A11');
    const renew = await api(RENEW, { id: 'CERT-A11' });
    assert.deepEqual(renew.renewStationCertificate, { status: 'Accepted', statusInfo: null, error: null });
    const signed = await station.waitForCall('CertificateSigned', 10_000);
    assert.equal(signed.certificateType, 'ChargingStationCertificate', 'A02.FR.14: the requested type is echoed');
    const pems: string[] = signed.certificateChain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    assert.equal(pems.length, 2, 'leaf + CA');
    const caPem = (await api('{ certificateAuthorityCertificate }')).certificateAuthorityCertificate;
    const leaf = new x509.X509Certificate(pems[0]!);
    const ca = new x509.X509Certificate(caPem);
    assert.equal(new x509.X509Certificate(pems[1]!).serialNumber, ca.serialNumber);
    assert.ok(await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true }), 'signed by the built-in CA');
    assert.equal(leaf.subject, `CN=CERT-A11, O=${ORG}`);
    // Clock skew: notBefore a few minutes in the past; validity CERT_VALIDITY_DAYS.
    assert.ok(leaf.notBefore.getTime() <= Date.now() - 60_000);
    assert.ok(Math.abs(leaf.notAfter.getTime() - leaf.notBefore.getTime() - 20 * DAY_MS - 5 * 60_000) < 60_000);

    await waitUntil(async () => (await issuedOf('CERT-A11')).issuedCertificates[0]?.status === 'Accepted', 5000, 'the delivery outcome');
    const { issuedCertificates, certificateSigningRequests } = await issuedOf('CERT-A11');
    assert.equal(issuedCertificates.length, 1);
    assert.equal(issuedCertificates[0].serialNumber, leaf.serialNumber.replace(/^0+/, ''));
    assert.equal(issuedCertificates[0].certificateType, 'ChargingStationCertificate');
    assert.equal(issuedCertificates[0].stationId, 'CERT-A11');
    assert.deepEqual(certificateSigningRequests.map((r: any) => [r.status, r.issuedSerialNumber]), [['Signed', issuedCertificates[0].serialNumber]]);
    assert.equal(station.certificates.current()?.serialNumber, leaf.serialNumber, 'the simulator kept it');
    assert.ok(station.certificates.current()?.key.includes('PRIVATE KEY'));
  });

  test('TC_A_12 (V2G): renewStationCertificate V2GCertificate → SignV2GCertificate → an EC certificate of type V2GCertificate', async () => {
    const station = await certStation('CERT-V2G');
    const renew = await api(RENEW, { id: 'CERT-V2G', type: 'V2GCertificate' });
    assert.equal(renew.renewStationCertificate.status, 'Accepted');
    const trigger = station.rawFrames.map((f) => JSON.parse(f)).find((f) => f[2] === 'TriggerMessage');
    assert.equal(trigger[3].requestedMessage, 'SignV2GCertificate');
    const signed = await station.waitForCall('CertificateSigned', 10_000);
    assert.equal(signed.certificateType, 'V2GCertificate');
    await waitUntil(async () => (await issuedOf('CERT-V2G')).issuedCertificates[0]?.status === 'Accepted', 5000, 'the V2G delivery');
    assert.equal(station.certificates.current('V2GCertificate')?.notAfter instanceof Date, true);
  });

  test('TC_A_14_CSMS: the station rejects CertificateSigned and reports InvalidChargingStationCertificate; the CSMS records both', async () => {
    const station = await certStation('CERT-A14');
    station.certificates.rejectSignedCertificates = true;
    await api(RENEW, { id: 'CERT-A14' });
    await station.waitForCall('CertificateSigned', 10_000);
    await waitUntil(async () => (await issuedOf('CERT-A14')).issuedCertificates[0]?.status === 'Rejected', 5000, 'the Rejected outcome');
    assert.equal((await issuedOf('CERT-A14')).issuedCertificates[0].deliveryStatusInfo.reasonCode, 'InvalidCertificate');
    await waitUntil(
      async () => (await listSecurityEvents(server.app.database.db, { stationId: 'CERT-A14' }, undefined, 10)).some((e) => e.type === 'InvalidChargingStationCertificate'),
      5000, 'the security event',
    );
    assert.equal(station.isOpen, true, 'post-condition: still connected');
    assert.equal(station.certificates.current(), undefined);
  });

  test('renewStationCertificate on an offline station: payload error StationOffline; unknown station: NOT_FOUND', async () => {
    await server.provisionStation('CERT-OFF');
    const offline = await api(RENEW, { id: 'CERT-OFF' });
    assert.equal(offline.renewStationCertificate.error.code, 'StationOffline');
    const unknown = await gql(server.httpUrl, server.adminKey, RENEW, { id: 'NO-SUCH-STATION' });
    assert.equal(unknown.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });
});

describe('A02/A03 SignCertificate checks (A02.FR.11/12, InvalidCSR)', SUITE_TIMEOUT, () => {
  let station: SimulatedStation;
  before(async () => {
    station = await certStation('CSR-1', { serialNumber: 'SN-CSR-1' });
    await server.provisionStation('CSR-OTHER', { serialNumber: 'SN-OTHER' });
  });

  async function sign(csr: string, certificateType?: string) {
    return station.call('SignCertificate', { csr, ...(certificateType && { certificateType }) });
  }

  async function assertInvalid(csr: string, reason: RegExp, certificateType?: string) {
    const response = await sign(csr, certificateType);
    assert.equal(response.status, 'Rejected');
    assert.equal(response.statusInfo?.reasonCode, 'InvalidCSR');
    const [latest] = (await issuedOf('CSR-1')).certificateSigningRequests;
    assert.equal(latest.status, 'Rejected', 'stored before it was answered');
    assert.match(latest.reason, reason);
  }

  test('A02.FR.11: CN = the station id (any case) or its registered serial number → Accepted, then CertificateSigned', async () => {
    assert.deepEqual(await sign(await csrFor('csr-1')), { status: 'Accepted' });
    assert.deepEqual(await sign(await csrFor('SN-CSR-1')), { status: 'Accepted' });
    await waitUntil(async () => (await issuedOf('CSR-1')).issuedCertificates.length === 2, 5000, 'both signed');
  });

  test('A02.FR.12: a CN naming another station (its id or serial) or nobody → Rejected InvalidCSR', async () => {
    await assertInvalid(await csrFor('CSR-OTHER'), /neither the station's id nor its serial/);
    await assertInvalid(await csrFor('SN-OTHER'), /neither/);
    await assertInvalid(await csrFor('somebody-else'), /neither/);
  });

  test('A02.FR.12: O must be the configured organization (A00.FR.404)', async () => {
    await assertInvalid(await csrFor('CSR-1', 'Another CSO'), /O must be/);
    await assertInvalid(await csrFor('CSR-1', ''), /O must be/);
  });

  test('A02.FR.12: weak keys (RSA < 2048, EC < 224) and, for V2G, RSA keys → Rejected InvalidCSR', async () => {
    const { webcrypto } = await import('node:crypto');
    const rsa1024 = (await webcrypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'],
    )) as Awaited<ReturnType<typeof generateKeyPair>>;
    await assertInvalid(await csrFor('CSR-1', ORG, rsa1024), /RSA key of 1024 bits/);
    await assertInvalid(await csrFor('CSR-1', ORG, await generateKeyPair('rsa')), /EC key/, 'V2GCertificate');
    assert.equal((await sign(await csrFor('CSR-1', ORG, await generateKeyPair('rsa')))).status, 'Accepted', 'RSA 2048 is fine for the station certificate');
  });

  test('A02.FR.12: not a PKCS#10 PEM, or a broken self-signature (no proof of possession) → Rejected InvalidCSR', async () => {
    await assertInvalid('not a csr at all', /cannot be parsed/);
    const good = await csrFor('CSR-1');
    const der = Buffer.from(good.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der.writeUInt8(der.readUInt8(der.length - 5) ^ 0xff, der.length - 5); // inside the signature value
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await assertInvalid(tampered, /signature|parsed/);
  });
});

describe('automatic renewal (CERT_RENEW_BEFORE_DAYS) and revocation', SUITE_TIMEOUT, () => {
  test('a certificate expiring within the lead time is renewed once; the new one supersedes it', async () => {
    const station = await certStation('CERT-AUTO');
    await api(RENEW, { id: 'CERT-AUTO' });
    await waitUntil(async () => (await issuedOf('CERT-AUTO')).issuedCertificates[0]?.status === 'Accepted', 5000, 'the first certificate');
    const first = (await issuedOf('CERT-AUTO')).issuedCertificates[0];
    station.clearReceivedCalls();

    // Validity 20 days < lead time 30 days: due now.
    const asked = await runCertificateRenewalCheck(server.app.services);
    assert.ok(asked.includes(first.serialNumber));
    const trigger = await station.waitForCall('CertificateSigned', 10_000);
    assert.ok(trigger.certificateChain.includes('BEGIN CERTIFICATE'));
    await waitUntil(async () => (await issuedOf('CERT-AUTO')).issuedCertificates.length === 2 && (await issuedOf('CERT-AUTO')).issuedCertificates[0].status === 'Accepted', 5000, 'the renewed certificate');
    const [renewed, old] = (await issuedOf('CERT-AUTO')).issuedCertificates;
    assert.notEqual(renewed.serialNumber, first.serialNumber);
    assert.equal(old.status, 'Superseded');
    // The renewed certificate was asked about only now; the old one is superseded: no second trigger.
    const again = await runCertificateRenewalCheck(server.app.services);
    assert.ok(!again.includes(first.serialNumber));
  });

  test('revokeCertificate marks it unusable for profile 3 (isCertificateRevoked), any serial spelling; unknown serial → NOT_FOUND', async () => {
    await certStation('CERT-REV');
    await api(RENEW, { id: 'CERT-REV' });
    await waitUntil(async () => (await issuedOf('CERT-REV')).issuedCertificates[0]?.status === 'Accepted', 5000, 'a certificate');
    const { serialNumber } = (await issuedOf('CERT-REV')).issuedCertificates[0];
    const db = server.app.database.db;
    assert.equal(await isCertificateRevoked(db, serialNumber), false);
    const revoked = await api('mutation ($s: String!) { revokeCertificate(serialNumber: $s) { certificate { status revokedAt } } }', { s: `00${serialNumber.toUpperCase()}` });
    assert.equal(revoked.revokeCertificate.certificate.status, 'Revoked');
    assert.equal(await isCertificateRevoked(db, serialNumber.toUpperCase()), true, 'Node peer-certificate form');
    assert.equal(await isCertificateRevoked(db, 'abcdef'), false, 'not issued by the CA: not revoked here');
    const unknown = await gql(server.httpUrl, server.adminKey, 'mutation { revokeCertificate(serialNumber: "abcdef") { certificate { status } } }');
    assert.equal(unknown.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    const operator = (await api('mutation { createApiKey(input: { name: "op", role: operator }) { key } }')).createApiKey.key;
    const forbidden = await gql(server.httpUrl, operator, 'mutation ($s: String!) { revokeCertificate(serialNumber: $s) { certificate { status } } }', { s: serialNumber });
    assert.equal(forbidden.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  test('a certificate of a deleted station counts as revoked', async () => {
    await certStation('CERT-DEL');
    await api(RENEW, { id: 'CERT-DEL' });
    await waitUntil(async () => (await issuedOf('CERT-DEL')).issuedCertificates[0]?.status === 'Accepted', 5000, 'a certificate');
    const { serialNumber } = (await issuedOf('CERT-DEL')).issuedCertificates[0];
    const db = server.app.database.db;
    await server.app.services.registry.get('CERT-DEL')?.close(1000, 'test');
    await deleteStationById(db, 'CERT-DEL');
    assert.equal(await isCertificateRevoked(db, serialNumber), true);
    const listed = await api('query ($s: String!) { issuedCertificate(serialNumber: $s) { stationId status } }', { s: serialNumber });
    assert.deepEqual(listed.issuedCertificate, { stationId: null, status: 'Revoked' });
  });
});
