// Block L end to end: the simulator downloads firmware from the CSMS's own file endpoint over real
// HTTP, verifies the signature and reports every step; the CSMS keeps each step as the request's
// status history, streams it (firmwareStatusChanged) and handles a second update (L01.FR.24).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { gql, gqlData, subscribeReady, waitUntil, type TestSubscription } from '../support/graphql-client';
import { bootedStation, startTestServer, type TestServer } from '../support/server';
import {
  fileServerEnv, firmwareSigner, stallServer, uploadFirmware, type FirmwareSigner, type UploadedFile,
} from '../support/file-transfer';

const UPDATE = `mutation ($id: ID!, $input: UpdateFirmwareInput!) { updateFirmware(stationId: $id, input: $input) {
  status requestId firmwareUpdate { requestId location fileId responseStatus } error { code message } } }`;
const FIRMWARE_UPDATE = `query ($id: ID!, $requestId: Int!) { station(id: $id) { firmwareUpdate(requestId: $requestId) {
  requestId location signingCertificate signature responseStatus status finished canceled canceledByRequestId
  statusHistory { requestId status receivedAt } } } }`;
const STATUS_CHANGED = `subscription ($id: ID) { firmwareStatusChanged(stationId: $id) { stationId requestId status firmwareUpdate { requestId } } }`;
const FINAL = new Set(['Installed', 'DownloadFailed', 'InstallationFailed', 'InstallVerificationFailed', 'InvalidSignature']);

interface StatusEvent {
  firmwareStatusChanged: { stationId: string; requestId: number | null; status: string; firmwareUpdate: { requestId: number } | null };
}

describe('firmware management end to end (block L)', { timeout: 120_000 }, () => {
  let server: TestServer;
  let files: ReturnType<typeof fileServerEnv>;
  let signer: FirmwareSigner;
  const image = randomBytes(20_000);
  let stored: UploadedFile;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const subscriptions: TestSubscription[] = [];

  before(async () => {
    files = fileServerEnv();
    server = await startTestServer(files.env);
    signer = await firmwareSigner();
    stored = await uploadFirmware(server, server.adminKey, image, 'fw-2.0.0.bin');
  });
  after(async () => {
    await Promise.all(subscriptions.map((s) => s.dispose()));
    await server?.close();
    files?.cleanup();
  });

  async function statusStream(stationId: string): Promise<TestSubscription<StatusEvent>> {
    const sub = await subscribeReady<StatusEvent>(server, server.adminKey, STATUS_CHANGED, { id: stationId });
    subscriptions.push(sub);
    return sub;
  }

  /** Statuses streamed for `requestId` up to and including a final one. */
  async function statusesUntilFinal(sub: TestSubscription<StatusEvent>, requestId: number): Promise<string[]> {
    const seen: string[] = [];
    for (;;) {
      const event = (await sub.nextData(15_000)).firmwareStatusChanged;
      if (event.requestId !== requestId) continue;
      assert.equal(event.firmwareUpdate?.requestId, requestId);
      seen.push(event.status);
      if (FINAL.has(event.status)) return seen;
    }
  }

  const update = async (stationId: string, input: Record<string, unknown>) => (await api(UPDATE, { id: stationId, input })).updateFirmware;
  const signed = (extra: Record<string, unknown> = {}) => ({
    fileId: stored.id, signingCertificate: signer.certificatePem, signature: signer.sign(image), ...extra,
  });

  test('TC_L_01_CSMS secure update: download from the CSMS, Downloading … Installed streamed and kept as history', async () => {
    await bootedStation(server, 'FW-01');
    const sub = await statusStream('FW-01');
    const result = await update('FW-01', { firmware: signed() });
    assert.equal(result.error, null);
    assert.equal(result.status, 'Accepted');
    assert.ok(Number.isInteger(result.requestId) && result.requestId > 0, 'requestId generated when omitted');
    assert.equal(result.firmwareUpdate.location, stored.downloadUrl);
    assert.equal(result.firmwareUpdate.fileId, stored.id);
    const expected = ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'];
    assert.deepEqual(await statusesUntilFinal(sub, result.requestId), expected);
    const kept = (await api(FIRMWARE_UPDATE, { id: 'FW-01', requestId: result.requestId })).station.firmwareUpdate;
    assert.deepEqual(kept.statusHistory.map((s: { status: string }) => s.status), expected);
    assert.equal(kept.status, 'Installed');
    assert.equal(kept.finished, true);
    assert.equal(kept.responseStatus, 'Accepted');
    assert.equal(kept.signingCertificate, signer.certificatePem, 'L01.FR.11: the signing certificate was sent and kept');
  });

  test('TC_L_02_CSMS installDateTime in the future: InstallScheduled before Installing', async () => {
    await bootedStation(server, 'FW-02');
    const sub = await statusStream('FW-02');
    const installDateTime = new Date(Date.now() + 1500).toISOString();
    const result = await update('FW-02', { requestId: 42, firmware: signed({ installDateTime }) });
    assert.equal(result.requestId, 42, 'the operator-given requestId is used');
    assert.deepEqual(await statusesUntilFinal(sub, 42), ['Downloading', 'Downloaded', 'SignatureVerified', 'InstallScheduled', 'Installing', 'Installed']);
  });

  test('TC_L_06_CSMS a wrong signature ends with InvalidSignature', async () => {
    await bootedStation(server, 'FW-06');
    const sub = await statusStream('FW-06');
    const result = await update('FW-06', { firmware: signed({ signature: signer.sign(Buffer.from('another image')) }) });
    assert.deepEqual(await statusesUntilFinal(sub, result.requestId), ['Downloading', 'Downloaded', 'InvalidSignature']);
    const kept = (await api(FIRMWARE_UPDATE, { id: 'FW-06', requestId: result.requestId })).station.firmwareUpdate;
    assert.deepEqual([kept.status, kept.finished], ['InvalidSignature', true]);
  });

  test('L01 a download the station cannot fetch ends with DownloadFailed (failure statuses are kept)', async () => {
    await bootedStation(server, 'FW-DF');
    const sub = await statusStream('FW-DF');
    const location = `${server.httpUrl}/files/${stored.id}/not-the-token`;
    const result = await update('FW-DF', { firmware: { location } });
    assert.equal(result.firmwareUpdate.location, location);
    assert.deepEqual(await statusesUntilFinal(sub, result.requestId), ['Downloading', 'DownloadFailed']);
  });

  test('TC_L_10_CSMS a second update while downloading: AcceptedCanceled, the first is recorded as cancelled', async () => {
    const stall = await stallServer();
    try {
      await bootedStation(server, 'FW-10');
      const sub = await statusStream('FW-10');
      const first = await update('FW-10', { firmware: { location: stall.url } });
      assert.equal(first.status, 'Accepted');
      assert.equal((await sub.nextData(15_000)).firmwareStatusChanged.status, 'Downloading');
      await waitUntil(() => stall.hits > 0, 10_000, 'the station to start downloading');
      const second = await update('FW-10', { firmware: signed() });
      assert.equal(second.status, 'AcceptedCanceled');
      assert.deepEqual(await statusesUntilFinal(sub, second.requestId), ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed']);
      const canceled = (await api(FIRMWARE_UPDATE, { id: 'FW-10', requestId: first.requestId })).station.firmwareUpdate;
      assert.deepEqual([canceled.canceled, canceled.canceledByRequestId, canceled.finished], [true, second.requestId, false]);
      assert.deepEqual(canceled.statusHistory.map((s: { status: string }) => s.status), ['Downloading']);
      const replacing = (await api(FIRMWARE_UPDATE, { id: 'FW-10', requestId: second.requestId })).station.firmwareUpdate;
      assert.deepEqual([replacing.canceled, replacing.responseStatus], [false, 'AcceptedCanceled']);
    } finally {
      await stall.close();
    }
  });

  test('L01 a triggered FirmwareStatusNotification Idle without requestId is kept for the station', async () => {
    await bootedStation(server, 'FW-IDLE');
    const sub = await statusStream('FW-IDLE');
    const trigger = await api('mutation { triggerMessage(stationId: "FW-IDLE", input: { requestedMessage: FirmwareStatusNotification }) { status } }');
    assert.equal(trigger.triggerMessage.status, 'Accepted');
    const event = (await sub.nextData(15_000)).firmwareStatusChanged;
    assert.deepEqual([event.status, event.requestId, event.firmwareUpdate], ['Idle', null, null]);
    const station = (await api('{ station(id: "FW-IDLE") { firmwareStatus { status requestId } firmwareUpdates { requestId } } }')).station;
    assert.deepEqual(station.firmwareStatus, { status: 'Idle', requestId: null });
    assert.deepEqual(station.firmwareUpdates, []);
  });

  test('updateFirmware input errors: a used requestId is CONFLICT, an unknown file or no location BAD_USER_INPUT, offline is payload.error', async () => {
    await bootedStation(server, 'FW-ERR');
    assert.equal((await update('FW-ERR', { requestId: 7, firmware: signed() })).status, 'Accepted');
    const codes = async (input: Record<string, unknown>, id = 'FW-ERR') =>
      (await gql(server.httpUrl, server.adminKey, UPDATE, { id, input })).body.errors?.map((e) => e.extensions?.code);
    assert.deepEqual(await codes({ requestId: 7, firmware: signed() }), ['CONFLICT']);
    assert.deepEqual(await codes({ firmware: { fileId: '00000000-0000-4000-8000-000000000000' } }), ['BAD_USER_INPUT']);
    assert.deepEqual(await codes({ firmware: {} }), ['BAD_USER_INPUT']);
    assert.deepEqual(await codes({ firmware: { location: 'http://a', fileId: stored.id } }), ['BAD_USER_INPUT']);
    await server.provisionStation('FW-OFF');
    const offline = await update('FW-OFF', { firmware: { location: 'https://example.com/fw.bin' } });
    assert.equal(offline.error.code, 'StationOffline');
    assert.equal(offline.firmwareUpdate, null);
  });

  test('L03/L04 publishFirmware: a Local Controller checks the MD5, publishes, then unpublishes', async () => {
    const station: SimulatedStation = await bootedStation(server, 'LC-01');
    const sub = await subscribeReady(server, server.adminKey,
      'subscription { publishFirmwareStatusChanged(stationId: "LC-01") { requestId status location } }');
    subscriptions.push(sub);
    const published = (await api(`mutation ($input: PublishFirmwareInput!) { publishFirmware(stationId: "LC-01", input: $input) {
      status requestId publication { checksum location } error { code } } }`, { input: { fileId: stored.id } })).publishFirmware;
    assert.equal(published.status, 'Accepted');
    const md5 = createHash('md5').update(image).digest('hex');
    assert.equal(published.publication.checksum, md5);
    assert.equal((await station.waitForCall('PublishFirmware', 10_000)).checksum, md5);
    const statuses: string[] = [];
    let locations: string[] | null = null;
    while (!statuses.includes('Published')) {
      const event = (await sub.nextData(15_000)).publishFirmwareStatusChanged;
      statuses.push(event.status);
      locations = event.location;
    }
    assert.deepEqual(statuses, ['Downloading', 'Downloaded', 'ChecksumVerified', 'Published']);
    assert.equal(locations?.length, 1);
    const unpublished = (await api(`mutation { unpublishFirmware(stationId: "LC-01", input: { checksum: "${md5}" }) { status } }`)).unpublishFirmware;
    assert.equal(unpublished.status, 'Unpublished');
    const kept = (await api('{ station(id: "LC-01") { firmwarePublications { requestId status publishedLocations unpublishedAt statusHistory { status } } } }'))
      .station.firmwarePublications[0];
    assert.equal(kept.requestId, published.requestId);
    assert.equal(kept.status, 'Published');
    assert.deepEqual(kept.publishedLocations, locations);
    assert.ok(kept.unpublishedAt);
    assert.equal(kept.statusHistory.length, 4);
  });
});
