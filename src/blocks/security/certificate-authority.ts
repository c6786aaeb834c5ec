// The built-in certificate authority (A02/A03): signs station CSRs and issues key pairs (server
// certificates for development, station certificates in tests). The CSR's content rules (CN, O,
// key strength) are checked by the SignCertificate handler before it calls signCsr.
import { join } from 'node:path';
import type { webcrypto } from 'node:crypto';
import type { Config } from '../../config';
import type { Log } from '../../log';
import { createCaMaterial, loadCaMaterial, loadOrCreateCaInDir, type CaMaterial } from './ca-store';
import { generateKeyPair, privateKeyToPem, randomSerialNumber, signingAlgorithmFor, subjectName, x509, type KeyType } from './x509';

export interface IssuedCertificate { pem: string; serialNumber: string; subject: string; notBefore: Date; notAfter: Date }

export interface CertificateAuthority {
  /** Trust anchor for profile 3 and the chain sent in CertificateSigned. */
  readonly certificatePem: string;
  signCsr(csrPem: string, options: { validityDays: number; usage: 'client' | 'server' }): Promise<IssuedCertificate>;
  issueKeyPair(options: { commonName: string; organization?: string; altNames?: string[]; keyType: KeyType; usage: 'server' | 'client'; validityDays: number }): Promise<IssuedCertificate & { keyPem: string }>;
}

export class InvalidCsrError extends Error {}

/** A02 errata: issued certificates start a few minutes in the past, for stations with clock skew. */
export const NOT_BEFORE_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** Parses a PEM PKCS#10 request and checks its self-signature (proof of possession). */
export async function parseCsr(csrPem: string): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    if (!/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(csrPem)) throw new Error('not a PEM certificate request');
    csr = new x509.Pkcs10CertificateRequest(csrPem.replace(/NEW CERTIFICATE REQUEST/g, 'CERTIFICATE REQUEST'));
  } catch (err) {
    throw new InvalidCsrError(`CSR cannot be parsed: ${(err as Error).message}`);
  }
  const valid = await csr.verify().catch(() => false);
  if (!valid) throw new InvalidCsrError('CSR signature does not verify');
  return csr;
}

function isIpAddress(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':');
}

export function createCertificateAuthority(material: CaMaterial): CertificateAuthority {
  const issuer = material.certificate.subjectName;
  const signingAlgorithm = signingAlgorithmFor(material.key);

  async function issue(opts: {
    subject: x509.JsonName | x509.Name; publicKey: x509.PublicKey | webcrypto.CryptoKey; keyIsRsa: boolean;
    usage: 'client' | 'server'; validityDays: number; altNames?: string[];
  }): Promise<IssuedCertificate> {
    const now = Date.now();
    // A00.FR.512: key usage set; no extended key usage (A00.FR.514). RSA keys also encipher (TLS_RSA
    // suites); an EC server key (TLS server, or an ISO 15118 SECC) also agrees keys.
    const usages = x509.KeyUsageFlags.digitalSignature
      | (opts.keyIsRsa ? x509.KeyUsageFlags.keyEncipherment : opts.usage === 'server' ? x509.KeyUsageFlags.keyAgreement : 0);
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(usages, true),
      await x509.SubjectKeyIdentifierExtension.create(opts.publicKey as never),
      await x509.AuthorityKeyIdentifierExtension.create(material.certificate.publicKey as never),
    ];
    if (opts.altNames?.length) {
      extensions.push(new x509.SubjectAlternativeNameExtension(opts.altNames.map((n) => (isIpAddress(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }))));
    }
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerialNumber(),
      subject: opts.subject,
      issuer,
      notBefore: new Date(now - NOT_BEFORE_SKEW_MS),
      notAfter: new Date(now + opts.validityDays * DAY_MS),
      publicKey: opts.publicKey as never,
      signingKey: material.key as never,
      signingAlgorithm: signingAlgorithm as never,
      extensions,
    });
    return {
      pem: certificate.toString('pem'),
      serialNumber: certificate.serialNumber,
      subject: certificate.subject,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
    };
  }

  return {
    certificatePem: material.certificatePem,
    async signCsr(csrPem, options) {
      const csr = await parseCsr(csrPem);
      return issue({
        subject: csr.subjectName, publicKey: csr.publicKey, keyIsRsa: csr.publicKey.algorithm.name.startsWith('RSA'),
        usage: options.usage, validityDays: options.validityDays,
      });
    },
    async issueKeyPair(options) {
      const keys = await generateKeyPair(options.keyType);
      const issued = await issue({
        subject: subjectName(options.commonName, options.organization), publicKey: keys.publicKey, keyIsRsa: options.keyType === 'rsa',
        usage: options.usage, validityDays: options.validityDays, altNames: options.altNames,
      });
      return { ...issued, keyPem: await privateKeyToPem(keys.privateKey) };
    },
  };
}

export async function loadOrCreateCertificateAuthority(config: Pick<Config, 'dataDir' | 'organization' | 'caCertPath' | 'caKeyPath'>, log: Log): Promise<CertificateAuthority> {
  if (config.caCertPath && config.caKeyPath) {
    const material = await loadCaMaterial(config.caCertPath, config.caKeyPath);
    log.info({ subject: material.certificate.subject, notAfter: material.certificate.notAfter }, 'certificate authority loaded from CA_CERT/CA_KEY');
    return createCertificateAuthority(material);
  }
  if (config.dataDir.startsWith('memory://')) {
    // Nothing of an in-memory database survives the process, so neither does its CA: a path
    // under 'memory://' would otherwise be a directory named 'memory:' in the working directory.
    const material = await createCaMaterial(config.organization);
    log.warn({ subject: material.certificate.subject }, 'in-memory DATA_DIR: certificate authority created for this run only');
    return createCertificateAuthority(material);
  }
  const dir = join(config.dataDir, 'ca');
  const material = await loadOrCreateCaInDir(dir, config.organization);
  log.info({ dir, subject: material.certificate.subject, created: material.created }, material.created ? 'certificate authority created' : 'certificate authority loaded');
  return createCertificateAuthority(material);
}
