// The simulator's certificate behaviour against a fake CSMS: TriggerMessage Sign*Certificate → a
// fresh key and a CSR for its id; CertificateSigned checked (key of the CSR, validity now, chain)
// before it is kept (Accepted) or refused (Rejected + InvalidChargingStationCertificate); files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createCaMaterial } from '../../src/blocks/security/ca-store';
import { createCertificateAuthority, type CertificateAuthority } from '../../src/blocks/security/certificate-authority';
import { x509 } from '../../src/blocks/security/x509';
import { SimulatedStation } from '../../src/cli/simulator/station';
import { FakeCsms } from './fake-csms';

const dir = mkdtempSync(join(tmpdir(), 'chargegraph-simcerts-'));
let csms: FakeCsms;
let station: SimulatedStation;
let ca: CertificateAuthority;
let foreign: CertificateAuthority;

before(async () => {
  ca = createCertificateAuthority(await createCaMaterial('Sim CSO'));
  foreign = createCertificateAuthority(await createCaMaterial('Foreign CSO'));
});
after(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  csms = await FakeCsms.start();
  station = new SimulatedStation({ url: csms.url, id: 'SIM-CERT', password: 'secret-password-1', certificateOrganization: 'Sim CSO', certificateDir: dir });
  await station.connect();
});
afterEach(async () => {
  await station.close();
  await csms.stop();
});

/** Triggers a CSR and returns it (PEM). */
async function requestCsr(requestedMessage = 'SignChargingStationCertificate'): Promise<string> {
  const [, , answer] = (await csms.call('TriggerMessage', { requestedMessage })) as [number, string, any];
  assert.equal(answer.status, 'Accepted');
  return (await csms.take('SignCertificate')).payload.csr;
}

async function certificateSigned(chain: string, certificateType = 'ChargingStationCertificate') {
  const [, , answer] = (await csms.call('CertificateSigned', { certificateChain: chain, certificateType })) as [number, string, any];
  return answer;
}

describe('simulator: A02 station side', () => {
  test('TriggerMessage SignChargingStationCertificate → SignCertificate with a verifying CSR for CN = its id, O = configured', async () => {
    const pem = await requestCsr();
    const csr = new x509.Pkcs10CertificateRequest(pem);
    assert.equal(csr.subject, 'CN=SIM-CERT, O=Sim CSO');
    assert.equal(await csr.verify(), true);
    assert.equal(csms.all('SignCertificate')[0]!.payload.certificateType, 'ChargingStationCertificate');
  });

  test('CertificateSigned with the signed chain → Accepted, kept in memory and written to the directory (key 0600)', async () => {
    const issued = await ca.signCsr(await requestCsr(), { validityDays: 5, usage: 'client' });
    const answer = await certificateSigned(`${issued.pem}${ca.certificatePem}`);
    assert.deepEqual(answer, { status: 'Accepted' });
    const current = station.certificates.current()!;
    assert.equal(current.serialNumber, issued.serialNumber);
    assert.equal(readFileSync(join(dir, 'ChargingStationCertificate.crt'), 'utf8'), current.cert);
    assert.equal(statSync(join(dir, 'ChargingStationCertificate.key')).mode & 0o777, 0o600);
  });

  test('a certificate for another key, or a chain that does not verify → Rejected + InvalidChargingStationCertificate', async () => {
    await requestCsr();
    const otherKey = await ca.issueKeyPair({ commonName: 'SIM-CERT', keyType: 'ecdsa', usage: 'client', validityDays: 5 });
    const wrongKey = await certificateSigned(`${otherKey.pem}${ca.certificatePem}`);
    assert.equal(wrongKey.status, 'Rejected');
    assert.match(wrongKey.statusInfo.additionalInfo, /not for the key of the CSR/);
    const event = await csms.take('SecurityEventNotification');
    assert.equal(event.payload.type, 'InvalidChargingStationCertificate');

    const issued = await foreign.signCsr(await requestCsr(), { validityDays: 5, usage: 'client' });
    const badChain = await certificateSigned(`${issued.pem}${ca.certificatePem}`);
    assert.equal(badChain.status, 'Rejected');
    assert.match(badChain.statusInfo.additionalInfo, /chain does not verify/);
    assert.equal(station.certificates.current(), undefined);
  });

  test('SignV2GCertificate → an EC CSR of type V2GCertificate; CertificateSigned without a waiting CSR → Rejected', async () => {
    const answer = await certificateSigned(ca.certificatePem, 'V2GCertificate');
    assert.equal(answer.status, 'Rejected');
    const pem = await requestCsr('SignV2GCertificate');
    assert.equal(new x509.Pkcs10CertificateRequest(pem).publicKey.algorithm.name, 'ECDSA');
    assert.equal(csms.all('SignCertificate').at(-1)!.payload.certificateType, 'V2GCertificate');
  });
});
