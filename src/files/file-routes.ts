// The CSMS's file endpoints on its HTTP(S) port:
//   POST /files               upload a firmware image (API key, operator or admin) → id + download URL
//   GET  /files               list firmware images (API key, operator or admin)
//   GET|HEAD /files/<id>      any stored file, firmware or uploaded log (API key, operator or admin)
//   DELETE /files/<id>        remove a stored file (API key, operator or admin)
//   GET|HEAD /files/<id>/<token>  what a station downloads (the per-file token is the credential)
//   POST|PUT /uploads/<token> N01: a station uploads a log to its one-time URL (log-upload.ts)
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../blocks/services';
import { deleteStoredFile, findStoredFile, insertStoredFile, listStoredFiles, type StoredFileRow } from '../db/queries/files';
import { authenticateKey, bearerToken } from '../graphql/api-keys';
import { DiskStore, FileTooLarge, isFileId } from './disk-store';
import { sendStoredFile } from './download';
import { BadUpload, cleanName, receiveUpload, replyJson, replyTooLarge } from './http-replies';
import { fileApiUrl, firmwareDownloadUrl } from './links';
import { receiveLogUpload } from './log-upload';

export type FileRouteHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;

const STAFF_WRITE_ROLES = new Set(['operator', 'admin']);

export function describeFile(services: Services, file: StoredFileRow) {
  return {
    id: file.id,
    kind: file.kind,
    name: file.name,
    contentType: file.contentType,
    size: file.size,
    sha256: file.sha256,
    md5: file.md5,
    stationId: file.stationId,
    createdAt: file.createdAt.toISOString(),
    url: fileApiUrl(services.config, file.id),
    downloadUrl: file.downloadToken ? firmwareDownloadUrl(services.config, file.id, file.downloadToken) : null,
  };
}

/** 401 without a valid key, 403 below the operator role; the key id when allowed. */
async function requireOperator(services: Services, req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  const principal = await authenticateKey(services, bearerToken(req.headers.authorization));
  if (!principal) {
    replyJson(res, 401, { error: 'Missing or invalid API key' }, { 'www-authenticate': 'Bearer' });
    return undefined;
  }
  if (!STAFF_WRITE_ROLES.has(principal.role)) {
    replyJson(res, 403, { error: 'Files require the operator role' });
    return undefined;
  }
  return principal.keyId;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function uploadFirmware(services: Services, store: DiskStore, req: IncomingMessage, res: ServerResponse, keyId: string): Promise<void> {
  const limit = services.config.firmwareMaxBytes;
  const query = new URL(req.url ?? '/', 'http://x').searchParams;
  try {
    const upload = await receiveUpload(req, store, limit);
    const id = randomUUID();
    await store.keep(upload.received, id);
    const file = await insertStoredFile(services.db, {
      id,
      kind: 'firmware',
      name: cleanName(query.get('name') ?? upload.filename, 'firmware.bin'),
      contentType: 'application/octet-stream',
      size: upload.received.size,
      sha256: upload.received.sha256,
      md5: upload.received.md5,
      downloadToken: randomBytes(24).toString('base64url'),
      createdBy: keyId,
    });
    services.log.info({ fileId: id, size: file.size, sha256: file.sha256 }, 'firmware image stored');
    replyJson(res, 201, describeFile(services, file));
  } catch (err) {
    if (err instanceof FileTooLarge) return replyTooLarge(req, res, limit);
    if (err instanceof BadUpload) return replyJson(res, 400, { error: err.message });
    throw err;
  }
}

/** Answers with JSON and reports the request as handled. */
function answered(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  replyJson(res, status, body, headers);
  return true;
}

const notAllowed = (res: ServerResponse, allow: string) => answered(res, 405, { error: 'Method Not Allowed' }, { allow });

export function createFileRoutes(services: Services): FileRouteHandler {
  const store = new DiskStore(services.config.filesDir);
  return async (req, res, path) => {
    const method = req.method ?? 'GET';
    const parts = path.split('/').slice(1);
    if (parts[0] === 'uploads' && parts.length === 2) {
      if (method !== 'POST' && method !== 'PUT') return notAllowed(res, 'POST, PUT');
      await receiveLogUpload(services, store, req, res, parts[1]!);
      return true;
    }
    if (parts[0] !== 'files' || parts.length > 3) return false;
    const [, id, token] = parts;
    if (id === undefined || id === '') {
      if (method !== 'POST' && method !== 'GET') return notAllowed(res, 'GET, POST');
      const keyId = await requireOperator(services, req, res);
      if (!keyId) return true;
      if (method === 'POST') await uploadFirmware(services, store, req, res, keyId);
      else replyJson(res, 200, (await listStoredFiles(services.db, 'firmware', 100)).map((f) => describeFile(services, f)));
      return true;
    }
    const file = isFileId(id) ? await findStoredFile(services.db, id) : undefined;
    if (token !== undefined) {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed(res, 'GET, HEAD');
      // Station download: an unknown id and a wrong token look the same.
      if (!file?.downloadToken || !sameToken(file.downloadToken, token)) return answered(res, 404, { error: 'Not Found' });
      await sendStoredFile(req, res, store, file);
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD' && method !== 'DELETE') return notAllowed(res, 'GET, HEAD, DELETE');
    if (!(await requireOperator(services, req, res))) return true;
    if (!file) return answered(res, 404, { error: 'Not Found' });
    if (method === 'DELETE') {
      await deleteStoredFile(services.db, file.id);
      await store.remove(file.id);
      res.writeHead(204).end();
      return true;
    }
    await sendStoredFile(req, res, store, file);
    return true;
  };
}
