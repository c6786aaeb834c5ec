// Sends a stored file with Range support (206/416), ETag = its SHA-256, HEAD without a body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { StoredFileRow } from '../db/queries/files';
import { chooseRange } from './byte-range';
import type { DiskStore } from './disk-store';
import { replyJson } from './http-replies';

export async function sendStoredFile(req: IncomingMessage, res: ServerResponse, store: DiskStore, file: StoredFileRow): Promise<void> {
  const etag = `"${file.sha256}"`;
  const ifRange = req.headers['if-range'];
  // A Range is honoured only while the file is the one the client started with (If-Range).
  const range = ifRange && ifRange !== etag ? { kind: 'full' as const } : chooseRange(req.headers.range, file.size);
  const common = {
    'accept-ranges': 'bytes',
    etag,
    'cache-control': 'private, no-store',
    'content-disposition': `attachment; filename="${file.name}"`,
  };
  if (range.kind === 'unsatisfiable') {
    replyJson(res, 416, { error: 'Range Not Satisfiable' }, { ...common, 'content-range': `bytes */${file.size}` });
    return;
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, file.size - 1];
  const stream = file.size === 0 ? undefined : await store.open(file.id, start, end);
  if (file.size > 0 && !stream) {
    replyJson(res, 404, { error: 'Not Found' });
    return;
  }
  res.writeHead(range.kind === 'partial' ? 206 : 200, {
    ...common,
    'content-type': file.contentType,
    'content-length': String(file.size === 0 ? 0 : end - start + 1),
    ...(range.kind === 'partial' && { 'content-range': `bytes ${start}-${end}/${file.size}` }),
  });
  if (req.method === 'HEAD' || !stream) {
    stream?.destroy();
    res.end();
    return;
  }
  await pipeline(stream, res);
}
