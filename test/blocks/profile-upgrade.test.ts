// A05 Upgrade Charging Station Security Profile (issue 4 §5): the CSMS's sequence GetVariables →
// SetNetworkProfile → SetVariables NetworkConfigurationPriority → Reset, the simulator switching to
// the new slot over real TLS, TC_A_19_CSMS / A05.FR.07 (the old profile refused afterwards).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadCaMaterial } from '../../src/blocks/security/ca-store';
import { createCertificateAuthority } from '../../src/blocks/security/certificate-authority';
import { writeDevCertificates, type DevCertificatePaths } from '../../src/cli/dev-certs';
import { UpgradeRefused } from '../../src/cli/simulator/station';
import { gql, gqlData, waitUntil } from '../support/graphql-client';
import { bootedStation, startTestServer, type TestServer } from '../support/server';

const UPGRADE_FIELDS = 'upgrade { id fromProfile targetProfile configurationSlot status steps { step outcome detail } } error { code }';
const UPGRADE = `mutation ($id: ID!, $profile: Int!) { upgradeSecurityProfile(stationId: $id, securityProfile: $profile) { ${UPGRADE_FIELDS} } }`;
const STATION = `query ($id: ID!) { station(id: $id) { securityProfile pendingSecurityProfile securityProfileUpgrades { status steps { step outcome } } } }`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const refusedWith = (status: number) => (err: unknown) => err instanceof UpgradeRefused && err.statusCode === status;

describe('A05 security profile upgrade over TLS', { timeout: 60_000 }, () => {
  let server: TestServer;
  let dir: string;
  let ca: string;
  let certs: DevCertificatePaths;
  let tlsPort: number;
  const api = (query: string, variables: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const upgrade = async (id: string, profile: number) => (await api(UPGRADE, { id, profile })).upgradeSecurityProfile;
  const stationInfo = async (id: string) => (await api(STATION, { id })).station;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'a05-'));
    certs = await writeDevCertificates(dir);
    ca = await readFile(certs.caCert, 'utf8');
    tlsPort = await freePort();
    server = await startTestServer({
      TLS_CERT: `${certs.rsaCert},${certs.ecdsaCert}`,
      TLS_KEY: `${certs.rsaKey},${certs.ecdsaKey}`,
      TLS_PORT: String(tlsPort),
      PUBLIC_TLS_URL: `https://127.0.0.1:${tlsPort}`,
      CA_CERT: certs.caCert,
      CA_KEY: certs.caKey,
    });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('TC_A_19_CSMS A05.FR.07: profile 1 → 2 by the spec sequence; afterwards profile 1 is refused, profile 2 accepted', async () => {
    const station = await bootedStation(server, 'A05-UP', { tls: { ca } });
    const payload = await upgrade('A05-UP', 2);
    assert.equal(payload.error, null);
    assert.deepEqual(
      payload.upgrade.steps.map((s: { step: string; outcome: string }) => [s.step, s.outcome]).slice(0, 4),
      [['GetVariables', 'Accepted'], ['SetNetworkProfile', 'Accepted'], ['SetVariables', 'Accepted'], ['Reset', 'Accepted']],
    );
    assert.equal(payload.upgrade.steps[2].detail, 'NetworkConfigurationPriority=2,1');
    assert.deepEqual([payload.upgrade.fromProfile, payload.upgrade.targetProfile, payload.upgrade.configurationSlot], [1, 2, 2]);
    assert.ok(['AwaitingReconnect', 'Completed'].includes(payload.upgrade.status));
    assert.deepEqual(station.networkProfiles.get(2), {
      ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: `wss://127.0.0.1:${tlsPort}/ocpp`,
      messageTimeout: 30, securityProfile: 2, ocppInterface: 'Wired0',
    });
    assert.deepEqual(await station.waitForCall('Reset'), { type: 'OnIdle' });

    // The simulator reboots into slot 2 (wss + Basic auth); the CSMS records profile 2.
    await waitUntil(async () => (await stationInfo('A05-UP')).securityProfile === 2, 15_000, 'the station to come back with profile 2');
    await waitUntil(() => station.isOpen && station.registration === 'Accepted', 15_000, 'the station to boot again');
    const info = await stationInfo('A05-UP');
    assert.equal(info.pendingSecurityProfile, null);
    assert.equal(info.securityProfileUpgrades[0].status, 'Completed');
    assert.deepEqual(info.securityProfileUpgrades[0].steps.at(-1), { step: 'Reconnected', outcome: 'Accepted' });
    assert.equal(station.model.read({ name: 'SecurityCtrlr' }, 'SecurityProfile'), '2');
    assert.equal(station.model.read({ name: 'OCPPCommCtrlr' }, 'ActiveNetworkProfile'), '2');

    // TC_A_19_CSMS: the old profile is refused at the HTTP upgrade, the new one accepted.
    await station.close();
    await assert.rejects(server.connectStation('A05-UP', { meterIntervalMs: 0 }), refusedWith(403), 'profile 1 after the upgrade');
    const again = await server.connectStation('A05-UP', { url: server.wssUrl, tls: { ca }, meterIntervalMs: 0 });
    assert.equal((await again.boot()).status, 'Accepted');
    await again.close();
  });

  test('TC_A_19_CSMS A05.FR.07: profile 2 → 3 with a client certificate; afterwards profile 2 is refused', async () => {
    await server.provisionStation('A05-THREE', { securityProfile: 2 });
    const station = await server.connectStation('A05-THREE', { url: server.wssUrl, tls: { ca }, meterIntervalMs: 0 });
    assert.equal((await station.boot()).status, 'Accepted');
    const authority = createCertificateAuthority(await loadCaMaterial(certs.caCert, certs.caKey));
    const issued = await authority.issueKeyPair({ commonName: 'A05-THREE', keyType: 'ecdsa', usage: 'client', validityDays: 30 });
    station.security.setClientCertificate(issued.pem, issued.keyPem);

    const payload = await upgrade('A05-THREE', 3);
    assert.equal(payload.error, null);
    assert.deepEqual([payload.upgrade.fromProfile, payload.upgrade.targetProfile], [2, 3]);
    await waitUntil(async () => (await stationInfo('A05-THREE')).securityProfile === 3, 15_000, 'the station to come back with profile 3');
    await waitUntil(() => station.isOpen && station.registration === 'Accepted', 15_000, 'the station to boot again');
    assert.equal(station.model.read({ name: 'SecurityCtrlr' }, 'SecurityProfile'), '3');
    await station.close();
    const profile2 = server.connectStation('A05-THREE', { url: server.wssUrl, tls: { ca }, meterIntervalMs: 0 });
    await assert.rejects(profile2, refusedWith(403), 'profile 2 after the upgrade to 3');
  });

  test('A05: until the station used the target profile, old and target both work; the first target connection settles it', async () => {
    const station = await bootedStation(server, 'A05-WAIT', { tls: { ca } });
    station.handle('Reset', () => ({ status: 'Rejected' }));
    const payload = await upgrade('A05-WAIT', 2);
    assert.equal(payload.upgrade.status, 'AwaitingReconnect', 'a refused Reset leaves the new slot first for the next reboot');
    assert.deepEqual(payload.upgrade.steps.at(-1), { step: 'Reset', outcome: 'Rejected', detail: null });
    assert.equal((await stationInfo('A05-WAIT')).pendingSecurityProfile, 2);
    await station.close();

    const old = await server.connectStation('A05-WAIT', { meterIntervalMs: 0 });
    assert.equal((await old.boot()).status, 'Accepted', 'profile 1 still works while the upgrade waits');
    await old.close();
    const upgraded = await server.connectStation('A05-WAIT', { url: server.wssUrl, tls: { ca }, meterIntervalMs: 0 });
    assert.equal((await upgraded.boot()).status, 'Accepted');
    await upgraded.close();
    const info = await stationInfo('A05-WAIT');
    assert.deepEqual([info.securityProfile, info.pendingSecurityProfile, info.securityProfileUpgrades[0].status], [2, null, 'Completed']);
    await assert.rejects(server.connectStation('A05-WAIT', { meterIntervalMs: 0 }), refusedWith(403), 'A05.FR.07');
  });

  test('A05: a refused step ends the upgrade as Failed and nothing becomes pending', async () => {
    const station = await bootedStation(server, 'A05-FAIL');
    station.handle('SetNetworkProfile', () => ({ status: 'Rejected', statusInfo: { reasonCode: 'NoCsmsRoot' } }));
    const payload = await upgrade('A05-FAIL', 3);
    assert.equal(payload.upgrade.status, 'Failed');
    assert.deepEqual(payload.upgrade.steps.at(-1), { step: 'SetNetworkProfile', outcome: 'Rejected', detail: 'NoCsmsRoot' });
    assert.equal((await stationInfo('A05-FAIL')).pendingSecurityProfile, null);
    assert.equal(station.receivedCalls.some((c) => c.action === 'Reset'), false, 'no Reset after a failed step');
  });

  test('A05: a failed call is reported in payload.error with the steps so far; bad requests are refused', async () => {
    const station = await bootedStation(server, 'A05-ERR');
    station.handle('SetVariables', () => {
      throw new Error('boom');
    });
    const failed = await upgrade('A05-ERR', 2);
    assert.equal(failed.error.code, 'CallError');
    assert.equal(failed.upgrade.status, 'Failed');
    assert.deepEqual(failed.upgrade.steps.map((s: { step: string; outcome: string }) => [s.step, s.outcome]), [
      ['GetVariables', 'Accepted'], ['SetNetworkProfile', 'Accepted'], ['SetVariables', 'CallError'],
    ]);
    for (const profile of [1, 4]) {
      const refused = await gql(server.httpUrl, server.adminKey, UPGRADE, { id: 'A05-ERR', profile });
      assert.equal(refused.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `profile ${profile}`);
    }
    await server.provisionStation('A05-OFF');
    assert.deepEqual(await upgrade('A05-OFF', 2), { upgrade: null, error: { code: 'StationOffline' } });
  });
});

describe('A05 without a TLS listener', { timeout: 30_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('A05: refused before anything is sent when the CSMS has no TLS listener', async () => {
    const station = await bootedStation(server, 'A05-NOTLS');
    const refused = await gql(server.httpUrl, server.adminKey, UPGRADE, { id: 'A05-NOTLS', profile: 2 });
    assert.equal(refused.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(refused.body.errors?.[0]?.message ?? '', /TLS listener/);
    assert.equal(station.receivedCalls.length, 0, 'no call reached the station');
  });
});
