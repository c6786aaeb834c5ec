// Certificates for TLS tests, made by the project's own CA code (`certs dev` + issueKeyPair), and
// the environment that turns the test server's TLS listener on (port 0). Self-signed certificates
// come from the openssl CLI, which the project's CA does not make on purpose.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { createCaMaterial, loadCaMaterial } from '../../src/blocks/security/ca-store';
import { createCertificateAuthority, type CertificateAuthority } from '../../src/blocks/security/certificate-authority';
import { devCertificateEnv, writeDevCertificates, type DevCertificatePaths } from '../../src/cli/dev-certs';
import { generateKeyPair, privateKeyToPem, randomSerialNumber, signingAlgorithmFor, subjectName, x509 } from '../../src/blocks/security/x509';

export const TEST_ORGANIZATION = 'Chargegraph Test CSO';

export interface TestPki {
  dir: string;
  paths: DevCertificatePaths;
  /** The CA the server trusts (loaded from the same files the server uses as CA_CERT/CA_KEY). */
  ca: CertificateAuthority;
  caPem: string;
  /** TLS_CERT, TLS_KEY, CA_CERT, CA_KEY, TLS_PORT=0, CSMS_ORGANIZATION. */
  env: Record<string, string>;
  remove(): void;
}

export async function createTestPki(organization = TEST_ORGANIZATION): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'chargegraph-tls-'));
  const paths = await writeDevCertificates(dir, organization);
  const env: Record<string, string> = { TLS_PORT: '0', CSMS_ORGANIZATION: organization };
  for (const line of devCertificateEnv(paths)) {
    const eq = line.indexOf('=');
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const ca = createCertificateAuthority(await loadCaMaterial(paths.caCert, paths.caKey));
  return { dir, paths, ca, caPem: readFileSync(paths.caCert, 'utf8'), env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ClientCertificate {
  cert: string;
  key: string;
}

/** A station (client) certificate from `ca`; CN and O as given. */
export async function stationCertificate(
  ca: CertificateAuthority, commonName: string, organization: string | undefined = TEST_ORGANIZATION, keyType: 'rsa' | 'ecdsa' = 'ecdsa',
): Promise<ClientCertificate> {
  const issued = await ca.issueKeyPair({ commonName, ...(organization !== undefined && { organization }), keyType, usage: 'client', validityDays: 30 });
  return { cert: issued.pem, key: issued.keyPem };
}

/** A CA the server does not trust. */
export async function foreignCa(organization = TEST_ORGANIZATION): Promise<CertificateAuthority> {
  return createCertificateAuthority(await createCaMaterial(organization));
}

/** A self-signed certificate (openssl CLI) with the given CN and O. */
export function selfSignedCertificate(commonName: string, organization = TEST_ORGANIZATION): ClientCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'chargegraph-selfsigned-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30',
      '-subj', `/O=${organization}/CN=${commonName}`, '-keyout', keyPath, '-out', certPath,
    ], { stdio: 'ignore' });
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type HandshakeOutcome =
  | { ok: true; protocol: string | null; cipher: string; peerSubject: string; socket: TLSSocket }
  | { ok: false; error: string; code: string | undefined };

/** A bare TLS handshake with 127.0.0.1:port; the socket is left open on success (end it). */
export function tlsHandshake(port: number, options: ConnectionOptions): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      resolve({ ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().standardName, peerSubject: String(cert.subject?.CN), socket });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve({ ok: false, error: err.message, code: err.code });
    });
  });
}

/** A certificate from the test CA whose validity ended yesterday (A00.FR.407; A00.FR.429 is not used). */
export async function expiredStationCertificate(pki: TestPki, commonName: string, organization = TEST_ORGANIZATION): Promise<ClientCertificate> {
  const material = await loadCaMaterial(pki.paths.caCert, pki.paths.caKey);
  const keys = await generateKeyPair('ecdsa');
  const day = 86_400_000;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: subjectName(commonName, organization),
    issuer: material.certificate.subjectName,
    notBefore: new Date(Date.now() - 30 * day),
    notAfter: new Date(Date.now() - day),
    publicKey: keys.publicKey as never,
    signingKey: material.key as never,
    signingAlgorithm: signingAlgorithmFor(material.key) as never,
  });
  return { cert: certificate.toString('pem'), key: await privateKeyToPem(keys.privateKey) };
}
