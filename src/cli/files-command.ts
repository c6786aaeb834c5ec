// `npm run cli -- files upload PATH [--name NAME] [--url URL] [--key KEY]`: streams a firmware image to
// a running CSMS (POST /files) and prints its id and the station download URL. The key comes from
// --key, CSMS_API_KEY or CSMS_ADMIN_API_KEY (operator or admin role); the URL defaults to PUBLIC_URL.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';

export const FILES_USAGE = `  files upload PATH [--name NAME] [--url URL] [--key KEY]
                                                               uploads a firmware image to a running CSMS (POST /files)`;

function post(url: URL, key: string, path: string, size: number): Promise<{ status: number; body: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream', 'content-length': String(size) },
    }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    createReadStream(path).on('error', reject).pipe(req);
  });
}

export async function runFilesCommand(action: string | undefined, args: string[], out: (line: string) => void, env = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { name: { type: 'string' }, url: { type: 'string' }, key: { type: 'string' } },
  });
  const path = positionals[0];
  if (action !== 'upload' || !path || positionals.length !== 1) {
    out(`usage: npm run cli --\n${FILES_USAGE}`);
    return 2;
  }
  const key = values.key ?? env.CSMS_API_KEY ?? env.CSMS_ADMIN_API_KEY;
  if (!key) throw new Error('an API key is needed: --key, CSMS_API_KEY or CSMS_ADMIN_API_KEY');
  const base = (values.url ?? loadConfig(env).publicUrl).replace(/\/+$/, '');
  const target = new URL(`${base}/files`);
  target.searchParams.set('name', values.name ?? basename(path));
  const { size } = await stat(path);
  const { status, body } = await post(target, key, path, size);
  if (status !== 201) throw new Error(`upload failed: HTTP ${status} ${body.slice(0, 200)}`);
  const file = JSON.parse(body) as { id: string; size: number; sha256: string; md5: string; downloadUrl: string };
  out(`file ${file.id} (${file.size} bytes, sha256 ${file.sha256}, md5 ${file.md5})`);
  out(`download URL for stations: ${file.downloadUrl}`);
  return 0;
}
