// Where the bytes live: FILES_DIR/<id>, written through a temporary file so a file is either complete
// or absent. Hashes (SHA-256 for integrity/ETag, MD5 for PublishFirmware's checksum) are taken on the way.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class FileTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`file exceeds ${limit} bytes`);
  }
}

export interface ReceivedFile {
  /** The temporary file; pass it to keep() or discard(). */
  tempPath: string;
  size: number;
  sha256: string;
  md5: string;
}

const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isFileId = (id: string) => FILE_ID.test(id);

export class DiskStore {
  constructor(private readonly dir: string) {}

  pathOf(id: string): string {
    if (!isFileId(id)) throw new Error('invalid file id');
    return join(this.dir, id);
  }

  /** Streams `source` to a temporary file; rejects with FileTooLarge past `limit` bytes (nothing kept). */
  async receive(source: AsyncIterable<Buffer> | NodeJS.ReadableStream, limit: number): Promise<ReceivedFile> {
    await mkdir(this.dir, { recursive: true });
    const tempPath = join(this.dir, `.upload-${randomUUID()}`);
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit) return done(new FileTooLarge(limit));
        sha256.update(chunk);
        md5.update(chunk);
        done(null, chunk);
      },
    });
    const sink = createWriteStream(tempPath, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(source as AsyncIterable<Buffer>, meter, sink);
    } catch (err) {
      // The file may still be opening when the pipeline fails: removed before that, it would reappear.
      if (!sink.closed) await new Promise<void>((closed) => sink.once('close', () => closed()));
      await rm(tempPath, { force: true });
      throw err;
    }
    return { tempPath, size, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
  }

  async keep(received: ReceivedFile, id: string): Promise<void> {
    await rename(received.tempPath, this.pathOf(id));
  }

  async discard(received: ReceivedFile): Promise<void> {
    await rm(received.tempPath, { force: true });
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  /** A read stream over [start, end] (inclusive), or undefined when the bytes are gone. */
  async open(id: string, start?: number, end?: number): Promise<ReadStream | undefined> {
    const path = this.pathOf(id);
    const exists = await stat(path).then(() => true, () => false);
    if (!exists) return undefined;
    return createReadStream(path, start === undefined ? {} : { start, end });
  }
}
