// The streaming multipart/form-data reader and the Range chooser, on hostile chunkings and edge cases.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { chooseRange } from '../../src/files/byte-range';
import { firstFilePart, multipartBoundary, MultipartError } from '../../src/files/multipart';

async function* chunked(bytes: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

function body(boundary: string, file: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.log"\r\nContent-Type: text/plain\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

async function read(part: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of part) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('multipart/form-data reader', () => {
  test('the boundary comes from the Content-Type, quoted or not; other types have none', () => {
    assert.equal(multipartBoundary('multipart/form-data; boundary=abc'), 'abc');
    assert.equal(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b"'), 'a b');
    assert.equal(multipartBoundary('application/octet-stream'), undefined);
  });

  test('any chunking yields exactly the file bytes, even ones that look like a boundary', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), async (data, sizes) => {
        const boundary = 'XyZ123';
        const file = Buffer.concat([Buffer.from(data), Buffer.from(`\r\n--${boundary.slice(0, 4)}`), Buffer.from(data)]);
        const part = await firstFilePart(chunked(body(boundary, file), sizes), boundary);
        assert.equal(part.filename, 'a.log');
        assert.equal(part.contentType, 'text/plain');
        assert.deepEqual(await read(part.body), file);
      }),
      { numRuns: 150 },
    );
  });

  test('a body cut before its closing boundary fails; one without a file part too', async () => {
    const file = randomBytes(100);
    const cut = body('b1', file).subarray(0, 200);
    const part = await firstFilePart(chunked(cut, [7]), 'b1');
    await assert.rejects(read(part.body), MultipartError);
    const noFile = Buffer.from('--b1\r\nContent-Disposition: form-data; name="x"\r\n\r\nv\r\n--b1--\r\n');
    await assert.rejects(firstFilePart(chunked(noFile, [5]), 'b1'), MultipartError);
  });
});

describe('Range (RFC 9110 §14)', () => {
  test('single ranges, suffixes, clamping, unsatisfiable and ignored forms', () => {
    assert.deepEqual(chooseRange(undefined, 10), { kind: 'full' });
    assert.deepEqual(chooseRange('bytes=0-4', 10), { kind: 'partial', start: 0, end: 4 });
    assert.deepEqual(chooseRange('bytes=5-', 10), { kind: 'partial', start: 5, end: 9 });
    assert.deepEqual(chooseRange('bytes=5-100', 10), { kind: 'partial', start: 5, end: 9 });
    assert.deepEqual(chooseRange('bytes=-3', 10), { kind: 'partial', start: 7, end: 9 });
    assert.deepEqual(chooseRange('bytes=-30', 10), { kind: 'partial', start: 0, end: 9 });
    assert.deepEqual(chooseRange('bytes=10-', 10), { kind: 'unsatisfiable' });
    assert.deepEqual(chooseRange('bytes=-0', 10), { kind: 'unsatisfiable' });
    assert.deepEqual(chooseRange('bytes=0-0', 0), { kind: 'unsatisfiable' });
    assert.deepEqual(chooseRange('bytes=5-2', 10), { kind: 'full' });
    assert.deepEqual(chooseRange('bytes=0-1,3-4', 10), { kind: 'full' });
    assert.deepEqual(chooseRange('items=0-1', 10), { kind: 'full' });
  });
});
