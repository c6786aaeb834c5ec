// The station's certificate store (A02/A03, M03–M05), in memory and optionally mirrored to a
// directory: key pairs waiting for CertificateSigned, the signed certificates it uses, and the
// certificates installed by the CSMS.
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeCertificate } from '../../blocks/iso15118/certificate-hash';
import { generateKeyPair, privateKeyToPem, signingAlgorithmFor, subjectName, x509, type KeyType } from '../../blocks/security/x509';

export type SigningUse = 'ChargingStationCertificate' | 'V2GCertificate';

export interface StationCertificateOptions {
  /** CN of the CSRs (A00.FR.405: the station's id or serial number). */
  commonName: string;
  /** O of the CSRs (A00.FR.404: the CSO's name). */
  organization?: string | undefined;
  /** Key type of ChargingStationCertificate CSRs; V2G CSRs are always EC (ISO 15118). Default ecdsa. */
  keyType?: KeyType | undefined;
  /** Also write signed certificates and their keys here (<use>.crt / <use>.key). */
  directory?: string | undefined;
}

export interface SignedCertificate {
  /** The chain as received (leaf first), for a TLS client `cert`. */
  cert: string;
  key: string;
  serialNumber: string;
  notAfter: Date;
}

export interface InstalledCertificate {
  certificateType: string;
  pem: string;
  hashData: { hashAlgorithm: 'SHA256'; issuerNameHash: string; issuerKeyHash: string; serialNumber: string };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export class StationCertificates {
  /** TC_A_14: answer CertificateSigned with Rejected even for a valid chain (tests set it). */
  rejectSignedCertificates = false;
  private readonly pending = new Map<SigningUse, { key: webcrypto.CryptoKeyPair; keyPem: string }>();
  private readonly signed = new Map<SigningUse, SignedCertificate>();
  readonly installed: InstalledCertificate[] = [];

  constructor(private readonly options: StationCertificateOptions) {}

  /** The signed certificate of a type, once a CertificateSigned was accepted. */
  current(use: SigningUse = 'ChargingStationCertificate'): SignedCertificate | undefined {
    return this.signed.get(use);
  }

  /** A02 step 2: a new key pair and a PKCS#10 CSR for it (PEM). The key waits for CertificateSigned. */
  async createCsr(use: SigningUse): Promise<string> {
    const keyType: KeyType = use === 'V2GCertificate' ? 'ecdsa' : (this.options.keyType ?? 'ecdsa');
    const key = await generateKeyPair(keyType);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: subjectName(this.options.commonName, this.options.organization),
      keys: key,
      signingAlgorithm: signingAlgorithmFor(key.privateKey) as never,
    });
    this.pending.set(use, { key, keyPem: await privateKeyToPem(key.privateKey) });
    return csr.toString('pem');
  }

  /**
   * CertificateSigned: the leaf must belong to the waiting key, be valid now, and be signed by the
   * next certificate of the chain. Returns why it is not acceptable, or undefined once it is stored.
   */
  async accept(chain: string, use: SigningUse, now = new Date()): Promise<string | undefined> {
    const pending = this.pending.get(use);
    if (!pending) return 'no CSR waiting for this certificate type';
    const pems = chain.match(PEM_BLOCK) ?? [];
    if (pems.length === 0) return 'no PEM certificate in the chain';
    let leaf: x509.X509Certificate;
    let issuer: x509.X509Certificate | undefined;
    try {
      leaf = new x509.X509Certificate(pems[0]!);
      issuer = pems[1] ? new x509.X509Certificate(pems[1]) : undefined;
    } catch {
      return 'unparsable certificate';
    }
    const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', pending.key.publicKey));
    if (!spki.equals(Buffer.from(leaf.publicKey.rawData))) return 'certificate is not for the key of the CSR';
    if (leaf.notBefore.getTime() > now.getTime() || leaf.notAfter.getTime() < now.getTime()) return 'certificate not valid now';
    if (issuer && !(await leaf.verify({ publicKey: issuer.publicKey, signatureOnly: true }))) return 'chain does not verify';
    if (this.rejectSignedCertificates) return 'rejected by configuration';
    const signed = { cert: pems.join('\n') + '\n', key: pending.keyPem, serialNumber: leaf.serialNumber, notAfter: leaf.notAfter };
    this.pending.delete(use);
    this.signed.set(use, signed);
    if (this.options.directory) await this.writeFiles(use, signed);
    return undefined;
  }

  private async writeFiles(use: SigningUse, signed: SignedCertificate): Promise<void> {
    const dir = this.options.directory!;
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${use}.key`), signed.key, { mode: 0o600 });
    await writeFile(join(dir, `${use}.crt`), signed.cert);
  }

  /** M05: keeps an installed certificate; false when it is not a certificate. */
  install(certificateType: string, pem: string): boolean {
    let described;
    try {
      described = describeCertificate(pem);
    } catch {
      return false;
    }
    const { issuerKeyHash, ...rest } = described.hashData;
    // A root certificate's issuer key is its own; for others the simulator uses the name hash as a stand-in.
    const hashData = { ...rest, hashAlgorithm: 'SHA256' as const, issuerKeyHash: issuerKeyHash ?? rest.issuerNameHash };
    const index = this.installed.findIndex((c) => c.hashData.serialNumber === hashData.serialNumber && c.hashData.issuerNameHash === hashData.issuerNameHash);
    if (index >= 0) this.installed.splice(index, 1);
    this.installed.push({ certificateType, pem, hashData });
    return true;
  }

  /** M04: removes the certificate with this hash data; false when none matches. */
  remove(hash: { issuerNameHash?: unknown; issuerKeyHash?: unknown; serialNumber?: unknown }): boolean {
    const norm = (v: unknown) => String(v ?? '').toLowerCase().replace(/^0+/, '');
    const index = this.installed.findIndex(
      (c) => norm(c.hashData.serialNumber) === norm(hash.serialNumber) && c.hashData.issuerNameHash === String(hash.issuerNameHash ?? '').toLowerCase()
        && c.hashData.issuerKeyHash === String(hash.issuerKeyHash ?? '').toLowerCase(),
    );
    if (index < 0) return false;
    this.installed.splice(index, 1);
    return true;
  }
}
