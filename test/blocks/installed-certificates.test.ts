// M03–M05: installCertificate (every InstallCertificateUse type), getInstalledCertificateIds and
// deleteCertificate against the simulator, with the station's certificates kept by the CSMS and
// queryable as Station.installedCertificates (TC_M_01/02/05/20/21_CSMS).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createCaMaterial } from '../../src/blocks/security/ca-store';
import { createCertificateAuthority } from '../../src/blocks/security/certificate-authority';
import { describeCertificate } from '../../src/blocks/iso15118/certificate-hash';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { gql, gqlData, waitUntil } from '../support/graphql-client';
import { bootedStation, SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let station: SimulatedStation;
let rsaRoot: { pem: string; opensslHash: { issuerNameHash: string; issuerKeyHash: string; serialNumber: string } };

/** A self-signed RSA root from the openssl CLI and openssl's own OCSP CertID for it. */
function opensslRoot() {
  const dir = mkdtempSync(join(tmpdir(), 'chargegraph-m05-'));
  try {
    const cert = join(dir, 'root.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/O=Test MO/CN=MO Root', '-keyout', join(dir, 'k.pem'), '-out', cert], { stdio: 'ignore' });
    const text = execFileSync('openssl', ['ocsp', '-sha256', '-issuer', cert, '-cert', cert, '-no_nonce', '-req_text', '-reqout', join(dir, 'req.der')], { encoding: 'utf8' });
    const value = (label: string) => new RegExp(`${label}: ([0-9A-F]+)`).exec(text)![1]!.toLowerCase();
    return { pem: readFileSync(cert, 'utf8'), opensslHash: { issuerNameHash: value('Issuer Name Hash'), issuerKeyHash: value('Issuer Key Hash'), serialNumber: value('Serial Number').replace(/^0+/, '') } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

before(async () => {
  server = await startTestServer();
  station = await bootedStation(server, 'M-CERTS');
  rsaRoot = opensslRoot();
});
after(() => server.close());

const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);

const INSTALL = `mutation ($id: ID!, $type: InstallCertificateUseEnum!, $pem: String!) {
  installCertificate(stationId: $id, input: { certificateType: $type, certificate: $pem }) { status statusInfo { reasonCode } error { code } } }`;
const GET_IDS = `mutation ($id: ID!, $types: [GetCertificateIdUseEnum!]) {
  getInstalledCertificateIds(stationId: $id, input: { certificateType: $types }) {
    status certificateHashDataChain { certificateType certificateHashData { hashAlgorithm issuerNameHash issuerKeyHash serialNumber } } error { code } } }`;
const DELETE = `mutation ($id: ID!, $hash: CertificateHashDataInput!) {
  deleteCertificate(stationId: $id, input: { certificateHashData: $hash }) { status error { code } } }`;
const INSTALLED = `query ($id: ID!) { station(id: $id) { installedCertificates {
  certificateType source subject notAfter pem certificateHashData { hashAlgorithm issuerNameHash issuerKeyHash serialNumber } } } }`;

async function installed() {
  return (await api(INSTALLED, { id: 'M-CERTS' })).station.installedCertificates as any[];
}

describe('M05 InstallCertificate', SUITE_TIMEOUT, () => {
  test('TC_M_01_CSMS, TC_M_02_CSMS (+ V2G and MO roots): every InstallCertificateUse type is installed and kept with its CertificateHashData', async () => {
    const caPem = (await api('{ certificateAuthorityCertificate }')).certificateAuthorityCertificate;
    const v2gRoot = (await createCaMaterial('V2G Root Org')).certificatePem;
    const oemRoot = (await createCaMaterial('Manufacturer Org')).certificatePem;
    const plan = [['CSMSRootCertificate', caPem], ['V2GRootCertificate', v2gRoot], ['MORootCertificate', rsaRoot.pem], ['ManufacturerRootCertificate', oemRoot]] as const;
    for (const [type, pem] of plan) {
      const { installCertificate } = await api(INSTALL, { id: 'M-CERTS', type, pem });
      assert.deepEqual(installCertificate, { status: 'Accepted', statusInfo: null, error: null }, type);
    }
    const rows = await installed();
    assert.deepEqual(rows.map((r) => r.certificateType).sort(), plan.map(([t]) => t).sort());
    assert.ok(rows.every((r) => r.source === 'InstallCertificate' && r.pem && r.subject && r.notAfter));
    // The hash data is OCSP's CertID (RFC 6960), as openssl computes it.
    const mo = rows.find((r) => r.certificateType === 'MORootCertificate');
    assert.deepEqual(mo.certificateHashData, { hashAlgorithm: 'SHA256', ...rsaRoot.opensslHash });
    // And what the station itself reports (M03) matches what the CSMS computed.
    const { getInstalledCertificateIds } = await api(GET_IDS, { id: 'M-CERTS', types: null });
    assert.equal(getInstalledCertificateIds.status, 'Accepted');
    assert.deepEqual(
      getInstalledCertificateIds.certificateHashDataChain.map((c: any) => c.certificateHashData).sort((a: any, b: any) => a.serialNumber.localeCompare(b.serialNumber)),
      rows.map((r) => r.certificateHashData).sort((a: any, b: any) => a.serialNumber.localeCompare(b.serialNumber)),
    );
    assert.ok((await installed()).every((r) => r.pem), 'a refresh from the station keeps the PEMs the CSMS installed');
  });

  test('TC_M_05_CSMS: a station answering Failed: nothing is kept; invalid PEM input → BAD_USER_INPUT, never sent', async () => {
    const before = (await installed()).length;
    station.handle('InstallCertificate', () => ({ status: 'Failed', statusInfo: { reasonCode: 'StoreFull' } }));
    const pem = (await createCaMaterial('Unkept')).certificatePem;
    const { installCertificate } = await api(INSTALL, { id: 'M-CERTS', type: 'V2GRootCertificate', pem });
    assert.deepEqual(installCertificate, { status: 'Failed', statusInfo: { reasonCode: 'StoreFull' }, error: null });
    station.handle('InstallCertificate');
    assert.equal((await installed()).length, before);
    station.clearReceivedCalls();
    const invalid = await gql(server.httpUrl, server.adminKey, INSTALL, { id: 'M-CERTS', type: 'V2GRootCertificate', pem: 'junk' });
    assert.equal(invalid.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(station.receivedCalls.some((c) => c.action === 'InstallCertificate'), false);
  });

  test('a certificate that is not self-signed: the CSMS takes its hash data from the station (M03) after the install', async () => {
    const issuer = createCertificateAuthority(await createCaMaterial('Sub CA Org'));
    const intermediate = await issuer.issueKeyPair({ commonName: 'Not a root', keyType: 'ecdsa', usage: 'client', validityDays: 5 });
    const { installCertificate } = await api(INSTALL, { id: 'M-CERTS', type: 'MORootCertificate', pem: intermediate.pem });
    assert.equal(installCertificate.status, 'Accepted');
    await waitUntil(async () => (await installed()).some((r) => r.certificateType === 'MORootCertificate' && r.certificateHashData.serialNumber === intermediate.serialNumber.replace(/^0+/, '')), 5000, 'the refreshed ids');
    const mo = (await installed()).filter((r) => r.certificateType === 'MORootCertificate');
    assert.ok(mo.every((r) => r.source === 'GetInstalledCertificateIds'));
    assert.ok(mo.some((r) => r.pem === rsaRoot.pem), 'the PEM installed earlier is kept');
  });

  test('installCertificate and deleteCertificate need the admin role; an operator is FORBIDDEN', async () => {
    const operator = (await api('mutation { createApiKey(input: { name: "m-op", role: operator }) { key } }')).createApiKey.key;
    const pem = (await createCaMaterial('Op')).certificatePem;
    const refused = await gql(server.httpUrl, operator, INSTALL, { id: 'M-CERTS', type: 'V2GRootCertificate', pem });
    assert.equal(refused.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const ids = await gql(server.httpUrl, operator, GET_IDS, { id: 'M-CERTS', types: ['CSMSRootCertificate'] });
    assert.equal(ids.body.data?.getInstalledCertificateIds.status, 'Accepted', 'reading ids is an operator command');
  });
});

describe('M03 GetInstalledCertificateIds and M04 DeleteCertificate', SUITE_TIMEOUT, () => {
  test('M03: filtered by type; the answer replaces the kept list for that type (a certificate the station lost disappears)', async () => {
    const kept = (await installed()).find((r) => r.certificateType === 'V2GRootCertificate');
    station.certificates.remove(kept.certificateHashData); // lost on the station side
    const { getInstalledCertificateIds } = await api(GET_IDS, { id: 'M-CERTS', types: ['V2GRootCertificate'] });
    assert.equal(getInstalledCertificateIds.status, 'NotFound');
    const rows = await installed();
    assert.equal(rows.some((r) => r.certificateType === 'V2GRootCertificate'), false);
    assert.equal(rows.some((r) => r.certificateType === 'CSMSRootCertificate'), true, 'other types untouched');
  });

  test('TC_M_20_CSMS: ids from GetInstalledCertificateIds → deleteCertificate Accepted removes it from station and CSMS; again → NotFound', async () => {
    const target = (await installed()).find((r) => r.certificateType === 'ManufacturerRootCertificate');
    const hash = target.certificateHashData;
    const first = await api(DELETE, { id: 'M-CERTS', hash });
    assert.deepEqual(first.deleteCertificate, { status: 'Accepted', error: null });
    const sent = station.rawFrames.map((f) => JSON.parse(f)).filter((f) => f[2] === 'DeleteCertificate').pop();
    assert.deepEqual(sent[3].certificateHashData, hash);
    assert.equal((await installed()).some((r) => r.certificateType === 'ManufacturerRootCertificate'), false);
    assert.equal(station.certificates.installed.some((c) => c.certificateType === 'ManufacturerRootCertificate'), false);
    const second = await api(DELETE, { id: 'M-CERTS', hash });
    assert.equal(second.deleteCertificate.status, 'NotFound');
  });

  test('TC_M_21_CSMS: the station answers DeleteCertificate Failed → the certificate stays kept', async () => {
    const { getInstalledCertificateIds } = await api(GET_IDS, { id: 'M-CERTS', types: ['CSMSRootCertificate'] });
    const hash = getInstalledCertificateIds.certificateHashDataChain[0].certificateHashData;
    station.handle('DeleteCertificate', () => ({ status: 'Failed' }));
    try {
      assert.equal((await api(DELETE, { id: 'M-CERTS', hash })).deleteCertificate.status, 'Failed');
    } finally {
      station.handle('DeleteCertificate');
    }
    assert.equal((await installed()).some((r) => r.certificateType === 'CSMSRootCertificate'), true);
  });

  test('the CSMS computes hash data the same way for SHA384/SHA512 requests', () => {
    const pem = rsaRoot.pem;
    assert.equal(describeCertificate(pem, 'SHA384').hashData.issuerNameHash.length, 96);
    assert.equal(describeCertificate(pem, 'SHA512').hashData.issuerKeyHash?.length, 128);
  });

  test('commands to an offline station: payload error StationOffline', async () => {
    await server.provisionStation('M-OFF');
    const { getInstalledCertificateIds } = await api(GET_IDS, { id: 'M-OFF', types: null });
    assert.equal(getInstalledCertificateIds.error.code, 'StationOffline');
  });
});
