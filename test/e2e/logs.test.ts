// N01 end to end: getLog sends the station a one-time upload URL on the CSMS, the simulator uploads a
// generated log over real HTTP (multipart POST), every LogStatusNotification is kept per request, and
// operators download the stored log with an API key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gql, gqlData, subscribeReady, type TestSubscription } from '../support/graphql-client';
import { bootedStation, startTestServer, type TestServer } from '../support/server';
import { fileServerEnv, keyWithRole, stallServer, statusServer } from '../support/file-transfer';

const GET_LOG = `mutation ($id: ID!, $input: GetLogInput!) { getLog(stationId: $id, input: $input) {
  status filename requestId logRequest { requestId logType uploadToCsms remoteLocation } error { code } } }`;
const LOG_REQUEST = `query ($id: ID!, $requestId: Int!) { station(id: $id) { logRequest(requestId: $requestId) {
  logType uploadToCsms remoteLocation responseStatus filename status finished canceled canceledByRequestId
  statusHistory { status } file { id name size sha256 url } } } }`;
const LOG_STATUS = 'subscription ($id: ID) { logStatusChanged(stationId: $id) { requestId status logRequest { requestId } } }';
const FINAL = new Set(['Uploaded', 'UploadFailure', 'BadMessage', 'NotSupportedOperation', 'PermissionDenied']);

interface LogEvent {
  logStatusChanged: { requestId: number | null; status: string; logRequest: { requestId: number } | null };
}

describe('log retrieval end to end (N01)', { timeout: 120_000 }, () => {
  let server: TestServer;
  let files: ReturnType<typeof fileServerEnv>;
  let operatorKey: string;
  const subscriptions: TestSubscription[] = [];
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const getLog = async (id: string, input: Record<string, unknown>) => (await api(GET_LOG, { id, input })).getLog;
  const logRequest = async (id: string, requestId: number) => (await api(LOG_REQUEST, { id, requestId })).station.logRequest;

  before(async () => {
    files = fileServerEnv();
    server = await startTestServer(files.env);
    operatorKey = await keyWithRole(server, 'operator');
  });
  after(async () => {
    await Promise.all(subscriptions.map((s) => s.dispose()));
    await server?.close();
    files?.cleanup();
  });

  async function logStream(stationId: string): Promise<TestSubscription<LogEvent>> {
    const sub = await subscribeReady<LogEvent>(server, server.adminKey, LOG_STATUS, { id: stationId });
    subscriptions.push(sub);
    return sub;
  }

  async function statusesUntilFinal(sub: TestSubscription<LogEvent>, requestId: number): Promise<string[]> {
    const seen: string[] = [];
    for (;;) {
      const event = (await sub.nextData(15_000)).logStatusChanged;
      if (event.requestId !== requestId) continue;
      assert.equal(event.logRequest?.requestId, requestId);
      seen.push(event.status);
      if (FINAL.has(event.status)) return seen;
    }
  }

  async function retrievesLog(stationId: string, logType: 'DiagnosticsLog' | 'SecurityLog'): Promise<void> {
    const station = await bootedStation(server, stationId);
    const sub = await logStream(stationId);
    const result = await getLog(stationId, { logType });
    assert.equal(result.error, null);
    assert.equal(result.status, 'Accepted');
    assert.equal(result.filename, `${logType}-${result.requestId}.log`);
    assert.deepEqual([result.logRequest.uploadToCsms, result.logRequest.remoteLocation], [true, null]);
    const sent = await station.waitForCall('GetLog', 10_000);
    assert.equal(sent.logType, logType);
    assert.equal(sent.requestId, result.requestId);
    assert.match(sent.log.remoteLocation, new RegExp(`^${server.httpUrl}/uploads/[\\w-]{20,}$`), 'a one-time URL under PUBLIC_URL');
    assert.deepEqual(await statusesUntilFinal(sub, result.requestId), ['Uploading', 'Uploaded']);
    const kept = await logRequest(stationId, result.requestId);
    assert.deepEqual(kept.statusHistory.map((s: { status: string }) => s.status), ['Uploading', 'Uploaded']);
    assert.deepEqual([kept.status, kept.finished, kept.responseStatus], ['Uploaded', true, 'Accepted']);
    assert.equal(kept.file.name, result.filename);
    assert.equal(kept.file.url, `${server.httpUrl}/files/${kept.file.id}`);
    const download = await fetch(kept.file.url, { headers: { authorization: `Bearer ${operatorKey}` } });
    assert.equal(download.status, 200);
    const text = await download.text();
    assert.equal(Buffer.byteLength(text), kept.file.size);
    assert.match(text, new RegExp(`${logType} requested \\(requestId ${result.requestId}\\)`));
    assert.equal((await fetch(kept.file.url)).status, 401, 'the stored log needs an API key');
    const reuse = await fetch(sent.log.remoteLocation, { method: 'PUT', body: 'tampered' });
    assert.equal(reuse.status, 404, 'the upload URL works once');
  }

  test('TC_N_25_CSMS DiagnosticsLog: uploaded to the CSMS, Uploading/Uploaded kept, log downloadable by operators', () =>
    retrievesLog('LOG-25', 'DiagnosticsLog'));

  test('TC_N_35_CSMS SecurityLog: the same flow for the security log', () => retrievesLog('LOG-35', 'SecurityLog'));

  test('TC_N_34_CSMS the station rejects: the answer is kept and the upload URL is withdrawn', async () => {
    const station = await bootedStation(server, 'LOG-34');
    station.handle('GetLog', () => ({ status: 'Rejected' }));
    const result = await getLog('LOG-34', { logType: 'DiagnosticsLog', requestId: 34 });
    assert.deepEqual([result.status, result.requestId], ['Rejected', 34]);
    const sent = await station.waitForCall('GetLog', 10_000);
    const kept = await logRequest('LOG-34', 34);
    assert.deepEqual([kept.responseStatus, kept.status, kept.file], ['Rejected', null, null]);
    assert.equal((await fetch(sent.log.remoteLocation, { method: 'POST', body: 'x' })).status, 404);
  });

  test('TC_N_36_CSMS a second request while uploading: AcceptedCanceled, the first request ends AcceptedCanceled', async () => {
    const stall = await stallServer();
    try {
      await bootedStation(server, 'LOG-36');
      const sub = await logStream('LOG-36');
      const first = await getLog('LOG-36', { logType: 'DiagnosticsLog', log: { remoteLocation: stall.url } });
      assert.equal(first.status, 'Accepted');
      assert.deepEqual([first.logRequest.uploadToCsms, first.logRequest.remoteLocation], [false, stall.url]);
      const uploading = (await sub.nextData(15_000)).logStatusChanged;
      assert.deepEqual([uploading.requestId, uploading.status], [first.requestId, 'Uploading']);
      const second = await getLog('LOG-36', { logType: 'DiagnosticsLog' });
      assert.equal(second.status, 'AcceptedCanceled');
      const cancelled = (await sub.nextData(15_000)).logStatusChanged;
      assert.deepEqual([cancelled.requestId, cancelled.status], [first.requestId, 'AcceptedCanceled']);
      assert.deepEqual(await statusesUntilFinal(sub, second.requestId), ['Uploading', 'Uploaded']);
      const kept = await logRequest('LOG-36', first.requestId);
      assert.deepEqual([kept.canceled, kept.canceledByRequestId, kept.status], [true, second.requestId, 'AcceptedCanceled']);
      assert.deepEqual(kept.statusHistory.map((s: { status: string }) => s.status), ['Uploading', 'AcceptedCanceled']);
      assert.ok((await logRequest('LOG-36', second.requestId)).file);
    } finally {
      await stall.close();
    }
  });

  test('N01 an upload the location refuses ends with UploadFailure', async () => {
    const failing = await statusServer(500);
    try {
      await bootedStation(server, 'LOG-FAIL');
      const sub = await logStream('LOG-FAIL');
      const result = await getLog('LOG-FAIL', { logType: 'DiagnosticsLog', log: { remoteLocation: failing.url } });
      assert.deepEqual(await statusesUntilFinal(sub, result.requestId), ['Uploading', 'UploadFailure']);
      assert.equal(failing.hits, 1);
    } finally {
      await failing.close();
    }
  });

  test('N01 a used requestId is CONFLICT; an offline station is payload.error', async () => {
    await bootedStation(server, 'LOG-ERR');
    assert.equal((await getLog('LOG-ERR', { logType: 'SecurityLog', requestId: 5 })).status, 'Accepted');
    const again = await gql(server.httpUrl, server.adminKey, GET_LOG, { id: 'LOG-ERR', input: { logType: 'SecurityLog', requestId: 5 } });
    assert.deepEqual(again.body.errors?.map((e) => e.extensions?.code), ['CONFLICT']);
    await server.provisionStation('LOG-OFF');
    assert.equal((await getLog('LOG-OFF', { logType: 'DiagnosticsLog' })).error.code, 'StationOffline');
  });
});
