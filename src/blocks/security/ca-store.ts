// Where the built-in CA's key and certificate come from: CA_CERT/CA_KEY files when configured,
// otherwise DATA_DIR/ca/{ca.crt,ca.key}, created on first start (key file mode 0600).
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes, type webcrypto } from 'node:crypto';
import { generateKeyPair, importPrivateKeyPem, privateKeyToPem, randomSerialNumber, signingAlgorithmFor, subjectName, x509 } from './x509';

export interface CaMaterial {
  certificate: x509.X509Certificate;
  certificatePem: string;
  key: webcrypto.CryptoKey;
}

const CA_VALIDITY_DAYS = 3650;
const DAY_MS = 86_400_000;

export class CaLoadError extends Error {}

/** Reads PEM from a path, or takes the value itself when it already is PEM text. */
async function readPem(pathOrPem: string, what: string): Promise<string> {
  if (pathOrPem.includes('-----BEGIN')) return pathOrPem;
  try {
    return await readFile(pathOrPem, 'utf8');
  } catch (err) {
    throw new CaLoadError(`cannot read ${what} ${pathOrPem}: ${(err as Error).message}`);
  }
}

/** Loads a CA certificate and its key, checking that they belong together and the cert may sign. */
export async function loadCaMaterial(certPathOrPem: string, keyPathOrPem: string): Promise<CaMaterial> {
  const certText = await readPem(certPathOrPem, 'CA certificate');
  const keyText = await readPem(keyPathOrPem, 'CA key');
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(certText);
  } catch (err) {
    throw new CaLoadError(`CA certificate is not a PEM X.509 certificate: ${(err as Error).message}`);
  }
  let imported: Awaited<ReturnType<typeof importPrivateKeyPem>>;
  try {
    imported = await importPrivateKeyPem(keyText);
  } catch (err) {
    throw new CaLoadError(`CA key cannot be used: ${(err as Error).message}`);
  }
  if (!Buffer.from(certificate.publicKey.rawData).equals(imported.spki)) {
    throw new CaLoadError('CA key does not match the CA certificate');
  }
  const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) throw new CaLoadError('CA certificate lacks basicConstraints CA:TRUE');
  return { certificate, certificatePem: certificate.toString('pem'), key: imported.key };
}

/** A new self-signed CA: ECDSA P-384, basicConstraints CA (critical), keyCertSign + cRLSign. */
export async function createCaMaterial(organization: string | undefined, now = new Date()): Promise<CaMaterial & { keyPem: string }> {
  const keys = await generateKeyPair('ecdsa', 'P-384');
  const org = organization ?? 'Chargegraph';
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: subjectName(`${org} Station CA`, org),
    notBefore: new Date(now.getTime() - 5 * 60_000),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    keys,
    signingAlgorithm: signingAlgorithmFor(keys.privateKey),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, certificatePem: certificate.toString('pem'), key: keys.privateKey, keyPem: await privateKeyToPem(keys.privateKey) };
}

/** Writes a file atomically (temp file + rename) with the given mode. */
async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, content, { mode });
  await chmod(temp, mode);
  await rename(temp, path);
}

export async function writeCaFiles(dir: string, material: { certificatePem: string; keyPem: string }): Promise<{ certPath: string; keyPath: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  await writeAtomically(keyPath, material.keyPem, 0o600);
  await writeAtomically(certPath, material.certificatePem, 0o644);
  return { certPath, keyPath };
}

/** DATA_DIR/ca: loads the CA kept there, or creates and stores one on first start. */
export async function loadOrCreateCaInDir(dir: string, organization: string | undefined): Promise<CaMaterial & { created: boolean }> {
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  const hasCert = existsSync(certPath);
  const hasKey = existsSync(keyPath);
  if (hasCert && hasKey) return { ...(await loadCaMaterial(certPath, keyPath)), created: false };
  if (hasCert !== hasKey) throw new CaLoadError(`${dir} holds only one of ca.crt and ca.key; restore the other or remove both`);
  // Written into a fresh directory that is then renamed into place, so a concurrent first start
  // (another process, or two test servers) never sees a key and a certificate that do not match.
  const material = await createCaMaterial(organization);
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(join(dirname(dir), '.ca-'));
  await writeCaFiles(staging, material);
  try {
    await rename(staging, dir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    return { ...(await loadCaMaterial(certPath, keyPath)), created: false }; // the other start won
  }
  return { certificate: material.certificate, certificatePem: material.certificatePem, key: material.key, created: true };
}
