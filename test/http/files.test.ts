// Issue 4 §6: the CSMS's file endpoints. Firmware upload (POST /files, operator key, size limit),
// station download with the per-file token and HTTP Range, operator download with an API key, and
// the one-time log upload URLs (POST multipart or raw, PUT raw, size limit, single use).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createLogRequest } from '../../src/db/queries/log-requests';
import { hashUploadToken } from '../../src/files/log-upload';
import { SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';
import { fileServerEnv, keyWithRole, sha256, uploadFirmware, type UploadedFile } from '../support/file-transfer';

const FIRMWARE_LIMIT = 4096;
const LOG_LIMIT = 1024;

describe('file endpoints (issue 4 §6)', SUITE_TIMEOUT, () => {
  let server: TestServer;
  let files: ReturnType<typeof fileServerEnv>;
  let operatorKey: string;
  let viewerKey: string;
  const image = randomBytes(3000);
  let uploaded: UploadedFile;

  before(async () => {
    files = fileServerEnv({ FIRMWARE_MAX_BYTES: String(FIRMWARE_LIMIT), LOG_UPLOAD_MAX_BYTES: String(LOG_LIMIT) });
    server = await startTestServer(files.env);
    operatorKey = await keyWithRole(server, 'operator');
    viewerKey = await keyWithRole(server, 'viewer');
    uploaded = await uploadFirmware(server, operatorKey, image, 'station-fw-1.2.3.bin');
    await server.provisionStation('FILES-CS');
  });
  after(async () => {
    await server?.close();
    files?.cleanup();
  });

  const post = (path: string, init: RequestInit & { duplex?: 'half' } = {}) => fetch(`${server.httpUrl}${path}`, { method: 'POST', ...init });

  test('POST /files needs an operator or admin key: 401 without, 403 for a viewer', async () => {
    const anonymous = await post('/files', { body: 'x' });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
    const viewer = await post('/files', { body: 'x', headers: { authorization: `Bearer ${viewerKey}` } });
    assert.equal(viewer.status, 403);
    const admin = await post('/files', { body: 'x', headers: { authorization: `Bearer ${server.adminKey}` } });
    assert.equal(admin.status, 201);
  });

  test('an upload returns id, hashes and a download URL under PUBLIC_URL', () => {
    assert.match(uploaded.id, /^[0-9a-f-]{36}$/);
    assert.equal(uploaded.name, 'station-fw-1.2.3.bin');
    assert.equal(uploaded.size, image.length);
    assert.equal(uploaded.sha256, sha256(image));
    assert.ok(uploaded.downloadUrl.startsWith(`${server.httpUrl}/files/${uploaded.id}/`));
    assert.equal(uploaded.url, `${server.httpUrl}/files/${uploaded.id}`);
  });

  test('a multipart/form-data upload (curl -F file=@…) stores the file part under its filename', async () => {
    const form = new FormData();
    form.append('comment', 'ignored field');
    form.append('file', new Blob([image]), 'multipart-fw.bin');
    const res = await post('/files', { body: form, headers: { authorization: `Bearer ${operatorKey}` } });
    assert.equal(res.status, 201);
    const body = (await res.json()) as UploadedFile;
    assert.equal(body.name, 'multipart-fw.bin');
    assert.equal(body.sha256, sha256(image));
    const download = await fetch(body.downloadUrl);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), image);
  });

  test('a malformed multipart body is 400', async () => {
    const res = await post('/files', {
      body: '--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\nno closing boundary',
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'multipart/form-data; boundary=b' },
    });
    assert.equal(res.status, 400);
  });

  test('FIRMWARE_MAX_BYTES: 413 by Content-Length and for a chunked body; nothing is left on disk', async () => {
    const before = readdirSync(files.env.FILES_DIR!).length;
    const declared = await post('/files', { body: randomBytes(FIRMWARE_LIMIT + 1), headers: { authorization: `Bearer ${operatorKey}` } });
    assert.equal(declared.status, 413);
    const chunks = Array.from({ length: 64 }, () => randomBytes(16 * 1024));
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const chunked = await post('/files', { body: stream, duplex: 'half', headers: { authorization: `Bearer ${operatorKey}` } });
    assert.equal(chunked.status, 413);
    assert.equal(readdirSync(files.env.FILES_DIR!).length, before);
  });

  test('stations download with the token in the URL; a wrong token or id is 404', async () => {
    const res = await fetch(uploaded.downloadUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.equal(res.headers.get('etag'), `"${uploaded.sha256}"`);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), image);
    assert.equal((await fetch(`${server.httpUrl}/files/${uploaded.id}/wrong-token`)).status, 404);
    const otherId = '00000000-0000-4000-8000-000000000000';
    assert.equal((await fetch(uploaded.downloadUrl.replace(uploaded.id, otherId))).status, 404);
  });

  test('Range: a byte range, an open range and a suffix are 206 with Content-Range', async () => {
    const first = await fetch(uploaded.downloadUrl, { headers: { range: 'bytes=0-9' } });
    assert.equal(first.status, 206);
    assert.equal(first.headers.get('content-range'), `bytes 0-9/${image.length}`);
    assert.deepEqual(Buffer.from(await first.arrayBuffer()), image.subarray(0, 10));
    const open = await fetch(uploaded.downloadUrl, { headers: { range: 'bytes=2990-' } });
    assert.equal(open.status, 206);
    assert.deepEqual(Buffer.from(await open.arrayBuffer()), image.subarray(2990));
    const suffix = await fetch(uploaded.downloadUrl, { headers: { range: 'bytes=-5' } });
    assert.equal(suffix.headers.get('content-range'), `bytes ${image.length - 5}-${image.length - 1}/${image.length}`);
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), image.subarray(image.length - 5));
  });

  test('Range past the end is 416 with the size; a stale If-Range gets the whole file', async () => {
    const beyond = await fetch(uploaded.downloadUrl, { headers: { range: `bytes=${image.length}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${image.length}`);
    await beyond.arrayBuffer();
    const stale = await fetch(uploaded.downloadUrl, { headers: { range: 'bytes=0-9', 'if-range': '"other"' } });
    assert.equal(stale.status, 200);
    assert.equal((await stale.arrayBuffer()).byteLength, image.length);
  });

  test('HEAD gives the headers without a body', async () => {
    const res = await fetch(uploaded.downloadUrl, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(image.length));
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  test('operators fetch any file by id with an API key; viewers and anonymous callers cannot', async () => {
    assert.equal((await fetch(uploaded.url)).status, 401);
    assert.equal((await fetch(uploaded.url, { headers: { authorization: `Bearer ${viewerKey}` } })).status, 403);
    const res = await fetch(uploaded.url, { headers: { authorization: `Bearer ${operatorKey}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), image);
    const list = await fetch(`${server.httpUrl}/files`, { headers: { authorization: `Bearer ${operatorKey}` } });
    assert.ok(((await list.json()) as UploadedFile[]).some((f) => f.id === uploaded.id));
  });

  test('DELETE /files/<id> removes the image; its download URL is then 404', async () => {
    const victim = await uploadFirmware(server, operatorKey, randomBytes(10));
    const res = await fetch(victim.url, { method: 'DELETE', headers: { authorization: `Bearer ${operatorKey}` } });
    assert.equal(res.status, 204);
    assert.equal((await fetch(victim.downloadUrl)).status, 404);
  });

  describe('N01 log upload URLs', () => {
    let sequence = 100;
    async function uploadToken(expiresInMs = 60_000): Promise<string> {
      const token = randomBytes(24).toString('base64url');
      await createLogRequest(server.app.services.db, ++sequence, {
        stationId: 'FILES-CS', logType: 'DiagnosticsLog', uploadTokenHash: hashUploadToken(token),
        uploadExpiresAt: new Date(Date.now() + expiresInMs), responseStatus: 'Accepted', filename: 'diag.log',
      });
      return token;
    }
    const stored = async (id: string) => {
      const res = await fetch(`${server.httpUrl}/files/${id}`, { headers: { authorization: `Bearer ${operatorKey}` } });
      return { res, text: await res.text() };
    };

    test('POST multipart/form-data stores the log, downloadable by operators; the URL works once', async () => {
      const token = await uploadToken();
      const form = new FormData();
      form.append('file', new Blob(['line 1\nline 2\n']), 'station.log');
      const res = await post(`/uploads/${token}`, { body: form });
      assert.equal(res.status, 201);
      const { id } = (await res.json()) as { id: string };
      const { res: download, text } = await stored(id);
      assert.equal(text, 'line 1\nline 2\n');
      assert.match(download.headers.get('content-disposition') ?? '', /station\.log/);
      const again = new FormData();
      again.append('file', new Blob(['other']), 'x.log');
      assert.equal((await post(`/uploads/${token}`, { body: again })).status, 404);
    });

    test('POST with a raw body and PUT are accepted too', async () => {
      const raw = await post(`/uploads/${await uploadToken()}`, { body: 'raw log', headers: { 'content-type': 'text/plain' } });
      assert.equal(raw.status, 201);
      assert.equal((await stored(((await raw.json()) as { id: string }).id)).text, 'raw log');
      const put = await fetch(`${server.httpUrl}/uploads/${await uploadToken()}`, { method: 'PUT', body: 'put log' });
      assert.equal(put.status, 201);
      assert.equal((await stored(((await put.json()) as { id: string }).id)).text, 'put log');
    });

    test('LOG_UPLOAD_MAX_BYTES: 413, and the URL stays usable for a retry', async () => {
      const token = await uploadToken();
      assert.equal((await post(`/uploads/${token}`, { body: randomBytes(LOG_LIMIT + 1) })).status, 413);
      assert.equal((await post(`/uploads/${token}`, { body: 'small enough' })).status, 201);
    });

    test('an unknown or expired token is 404; GET is 405', async () => {
      assert.equal((await post('/uploads/not-a-token', { body: 'x' })).status, 404);
      const expired = await uploadToken(-1000);
      assert.equal((await post(`/uploads/${expired}`, { body: 'x' })).status, 404);
      assert.equal((await fetch(`${server.httpUrl}/uploads/${await uploadToken()}`)).status, 405);
    });
  });
});
