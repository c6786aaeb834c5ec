// Helpers for the firmware/log tests: a scratch FILES_DIR, uploading an image over HTTP, a firmware
// signing certificate with its key, and an HTTP server that accepts requests and never answers
// (a download or upload that stays "ongoing" until the server is closed).
import { KeyObject, createHash, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, x509 } from '../../src/blocks/security/x509';
import { createApiKey, type Role } from '../../src/graphql/api-keys';
import type { TestServer } from './server';

/** Env for startTestServer: files in a temp dir (never ./data) and links to the bound port. */
export function fileServerEnv(extra: Record<string, string> = {}): { env: Record<string, string>; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cg-files-'));
  return {
    env: { FILES_DIR: dir, PUBLIC_URL: 'http://127.0.0.1:0', ...extra },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function keyWithRole(server: TestServer, role: Role): Promise<string> {
  return (await createApiKey(server.app.services, `${role} test key`, role)).key;
}

export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  sha256: string;
  md5: string;
  url: string;
  downloadUrl: string;
}

export async function uploadFirmware(server: TestServer, key: string, bytes: Buffer, name = 'fw.bin'): Promise<UploadedFile> {
  const res = await fetch(`${server.httpUrl}/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as UploadedFile;
}

export const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface FirmwareSigner {
  certificatePem: string;
  /** Base64 ECDSA-SHA256 signature (DER), as UpdateFirmware's firmware.signature. */
  sign(bytes: Buffer): string;
}

/** A self-signed P-256 firmware signing certificate (L01.FR.11) and its key. */
export async function firmwareSigner(): Promise<FirmwareSigner> {
  const keys = await generateKeyPair('ecdsa');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Chargegraph test firmware signer',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  const privateKey = KeyObject.from(keys.privateKey);
  return {
    certificatePem: cert.toString('pem'),
    sign: (bytes) => sign('sha256', bytes, privateKey).toString('base64'),
  };
}

export interface StallServer {
  url: string;
  /** Requests received so far. */
  hits: number;
  close(): Promise<void>;
}

/** Answers nothing: a station's download or upload there stays in progress until close(). */
export async function stallServer(): Promise<StallServer> {
  const state = { hits: 0 };
  const server: Server = createServer((req) => {
    state.hits++;
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${randomUUID()}`,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server that answers every request with `status`. */
export async function statusServer(status: number): Promise<StallServer> {
  const state = { hits: 0 };
  const server: Server = createServer((req, res) => {
    state.hits++;
    req.resume();
    req.on('end', () => res.writeHead(status).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/upload`,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
