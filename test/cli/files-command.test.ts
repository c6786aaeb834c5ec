// `npm run cli -- files upload PATH`: streams an image to a running CSMS and prints the station URL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runFilesCommand } from '../../src/cli/files-command';
import { SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';
import { fileServerEnv, keyWithRole } from '../support/file-transfer';

describe('cli files upload (issue 4 §6)', SUITE_TIMEOUT, () => {
  let server: TestServer;
  let files: ReturnType<typeof fileServerEnv>;
  let dir: string;

  before(async () => {
    files = fileServerEnv();
    server = await startTestServer(files.env);
    dir = mkdtempSync(join(tmpdir(), 'cg-cli-files-'));
  });
  after(async () => {
    await server?.close();
    files?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('uploads with CSMS_API_KEY and PUBLIC_URL and prints a working download URL', async () => {
    const image = randomBytes(5000);
    const path = join(dir, 'image-3.1.bin');
    writeFileSync(path, image);
    const lines: string[] = [];
    const env = { CSMS_API_KEY: await keyWithRole(server, 'operator'), PUBLIC_URL: server.httpUrl };
    assert.equal(await runFilesCommand('upload', [path], (line) => lines.push(line), env), 0);
    const url = /download URL for stations: (\S+)/.exec(lines.join('\n'))?.[1];
    assert.ok(url?.startsWith(`${server.httpUrl}/files/`), lines.join('\n'));
    const download = await fetch(url!);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), image);
    assert.match(download.headers.get('content-disposition') ?? '', /image-3\.1\.bin/);
  });

  test('a viewer key is refused; a missing path prints the usage', async () => {
    const path = join(dir, 'x.bin');
    writeFileSync(path, 'x');
    const env = { CSMS_API_KEY: await keyWithRole(server, 'viewer'), PUBLIC_URL: server.httpUrl };
    await assert.rejects(runFilesCommand('upload', [path], () => {}, env), /HTTP 403/);
    const lines: string[] = [];
    assert.equal(await runFilesCommand('upload', [], (line) => lines.push(line), env), 2);
    assert.match(lines.join('\n'), /files upload PATH/);
  });
});
