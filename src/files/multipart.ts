// Streams the first file part out of a multipart/form-data body (RFC 7578) without buffering it:
// stations and `curl -F file=@image.bin` send uploads this way. Plain form fields are skipped.
const MAX_PREAMBLE_BYTES = 64 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');

export class MultipartError extends Error {}

export interface FilePart {
  /** The part's filename parameter, when given. */
  filename: string | undefined;
  contentType: string | undefined;
  body: AsyncIterable<Buffer>;
}

/** The boundary parameter of a multipart/form-data Content-Type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** Pulls bytes from an async iterator, keeping what was read past the last marker. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    return true;
  }

  async take(n: number): Promise<Buffer> {
    while (this.buf.length < n) if (!(await this.fill())) throw new MultipartError('multipart body ended early');
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** The bytes before `marker` (consumed with it); at most `max` bytes are buffered. */
  async until(marker: Buffer, max: number): Promise<Buffer> {
    for (;;) {
      const at = this.buf.indexOf(marker);
      if (at >= 0) {
        const out = this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + marker.length);
        return out;
      }
      if (this.buf.length > max + marker.length) throw new MultipartError('multipart headers too large');
      if (!(await this.fill())) throw new MultipartError('multipart body ended early');
    }
  }

  /** Yields everything before `marker`, holding back only a possible partial marker. */
  async *streamUntil(marker: Buffer): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buf.indexOf(marker);
      if (at >= 0) {
        if (at > 0) yield this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + marker.length);
        return;
      }
      const keep = marker.length - 1;
      if (this.buf.length > keep) {
        yield this.buf.subarray(0, this.buf.length - keep);
        this.buf = this.buf.subarray(this.buf.length - keep);
      }
      if (!(await this.fill())) throw new MultipartError('multipart body ended before its closing boundary');
    }
  }
}

function parseHeaders(raw: string): { name?: string; filename?: string; contentType?: string } {
  const out: { name?: string; filename?: string; contentType?: string } = {};
  for (const line of raw.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') out.contentType = value;
    if (key === 'content-disposition') {
      const name = /;\s*name="([^"]*)"/i.exec(value);
      const filename = /;\s*filename="([^"]*)"/i.exec(value);
      if (name) out.name = name[1];
      if (filename) out.filename = filename[1];
    }
  }
  return out;
}

/**
 * The first part that carries a filename (or is named "file"). Rejects with MultipartError when the
 * body is malformed or holds no such part; the part's body stream fails the same way when truncated.
 */
export async function firstFilePart(source: AsyncIterable<Buffer>, boundary: string): Promise<FilePart> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  const delimiter = Buffer.from(`--${boundary}`);
  const partEnd = Buffer.from(`\r\n--${boundary}`);
  await reader.until(delimiter, MAX_PREAMBLE_BYTES);
  for (;;) {
    const after = await reader.take(2);
    if (after.toString() === '--') throw new MultipartError('multipart body has no file part');
    if (!after.equals(CRLF)) throw new MultipartError('malformed multipart boundary');
    const headers = parseHeaders((await reader.until(Buffer.from('\r\n\r\n'), MAX_HEADER_BYTES)).toString('utf8'));
    if (headers.filename !== undefined || headers.name === 'file') {
      return { filename: headers.filename, contentType: headers.contentType, body: reader.streamUntil(partEnd) };
    }
    for await (const _ of reader.streamUntil(partEnd)) {
      // a plain form field: skipped
    }
  }
}
