// N01: a station uploads its log to the one-time URL GetLog gave it. POST (multipart/form-data, as
// stations and curl -F send it, or a raw body) and PUT (raw body) are accepted; LOG_UPLOAD_MAX_BYTES
// applies (413). The token is used up by the first complete upload; a second one gets 404.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../blocks/services';
import { deleteStoredFile, insertStoredFile } from '../db/queries/files';
import { completeUpload, findOpenUpload } from '../db/queries/log-requests';
import { FileTooLarge, type DiskStore } from './disk-store';
import { BadUpload, cleanName, receiveUpload, replyJson, replyTooLarge } from './http-replies';

export const hashUploadToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function receiveLogUpload(services: Services, store: DiskStore, req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
  const tokenHash = hashUploadToken(token);
  const request = token.length <= 100 ? await findOpenUpload(services.db, tokenHash, services.now()) : undefined;
  if (!request) {
    replyJson(res, 404, { error: 'Not Found' }, { connection: 'close' });
    req.resume();
    return;
  }
  const limit = services.config.logUploadMaxBytes;
  let upload;
  try {
    upload = await receiveUpload(req, store, limit);
  } catch (err) {
    if (err instanceof FileTooLarge) return replyTooLarge(req, res, limit);
    if (err instanceof BadUpload) return replyJson(res, 400, { error: err.message });
    throw err;
  }
  const id = randomUUID();
  await store.keep(upload.received, id);
  const fallback = request.filename ?? `${request.logType}-${request.requestId}.log`;
  const file = await insertStoredFile(services.db, {
    id,
    kind: 'log',
    name: cleanName(upload.filename ?? request.filename ?? undefined, fallback),
    contentType: 'application/octet-stream',
    size: upload.received.size,
    sha256: upload.received.sha256,
    md5: upload.received.md5,
    stationId: request.stationId,
  });
  if (!(await completeUpload(services.db, request.id, tokenHash, file.id, services.now()))) {
    // Another upload with the same token finished first.
    await deleteStoredFile(services.db, id);
    await store.remove(id);
    replyJson(res, 409, { error: 'Upload URL already used' });
    return;
  }
  services.log.info({ stationId: request.stationId, requestId: request.requestId, fileId: id, size: file.size }, 'log uploaded');
  replyJson(res, 201, { id: file.id, size: file.size, sha256: file.sha256 });
}
