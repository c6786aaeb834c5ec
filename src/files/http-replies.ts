// Small response helpers for the file endpoints, and reading an upload body (raw or multipart).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FileTooLarge, type DiskStore, type ReceivedFile } from './disk-store';
import { firstFilePart, multipartBoundary, MultipartError } from './multipart';

export function replyJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** 413 and close: the rest of the body is drained (bounded) so the client can read the answer. */
export function replyTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  replyJson(res, 413, { error: 'Payload Too Large', limit }, { connection: 'close' });
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > Math.max(limit, 1024 * 1024)) req.destroy();
  });
  req.resume();
}

export class BadUpload extends Error {}

export interface Upload {
  received: ReceivedFile;
  filename: string | undefined;
  contentType: string | undefined;
}

/** Streams the request body to disk: a multipart/form-data file part, or the raw body. */
export async function receiveUpload(req: IncomingMessage, store: DiskStore, limit: number): Promise<Upload> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + 64 * 1024) throw new FileTooLarge(limit);
  const boundary = multipartBoundary(req.headers['content-type']);
  // Read without destroying the request on an early stop, so a 413/400 answer still reaches the client.
  const body = req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  try {
    if (boundary) {
      const part = await firstFilePart(body, boundary);
      const received = await store.receive(part.body, limit);
      return { received, filename: part.filename, contentType: part.contentType };
    }
    if (Number.isFinite(declared) && declared > limit) throw new FileTooLarge(limit);
    const received = await store.receive(body, limit);
    return { received, filename: undefined, contentType: req.headers['content-type'] };
  } catch (err) {
    if (err instanceof MultipartError) throw new BadUpload(err.message);
    throw err;
  }
}

/** A file name safe to store and to send back in Content-Disposition. */
export function cleanName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^\w.\-+@ ]/g, '_').trim().slice(0, 200);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : fallback;
}
