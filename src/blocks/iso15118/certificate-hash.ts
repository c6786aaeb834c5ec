// M03–M05: CertificateHashData of a PEM certificate, computed the way OCSP's CertID is (RFC 6960):
// issuerNameHash over the DER of the issuer name, issuerKeyHash over the issuer's public key bits.
import { createHash, createPublicKey } from 'node:crypto';
import type { CertificateHashDataType, HashAlgorithmEnumType } from '../../ocpp/generated/types';
import { normalizeSerialNumber, x509 } from '../security/x509';

const NODE_HASH: Record<HashAlgorithmEnumType, string> = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

/** The subjectPublicKey BIT STRING contents of an SPKI (RSAPublicKey DER, or the EC point). */
function publicKeyBits(spki: ArrayBuffer): Buffer {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType === 'rsa') return key.export({ format: 'der', type: 'pkcs1' });
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType === 'ec' && jwk.x && jwk.y) return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  if (jwk.x) return Buffer.from(jwk.x, 'base64url');
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

export interface DescribedCertificate {
  subject: string;
  notAfter: Date;
  selfSigned: boolean;
  /** Undefined issuerKeyHash part when the issuer is not this certificate (its key is not at hand). */
  hashData: Omit<CertificateHashDataType, 'issuerKeyHash'> & { issuerKeyHash: string | undefined };
}

export class InvalidCertificateError extends Error {}

export function describeCertificate(pem: string, hashAlgorithm: HashAlgorithmEnumType = 'SHA256'): DescribedCertificate {
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(pem);
  } catch (err) {
    throw new InvalidCertificateError(`not a PEM X.509 certificate: ${(err as Error).message}`);
  }
  const hash = (data: ArrayBuffer | Buffer) => createHash(NODE_HASH[hashAlgorithm]).update(Buffer.from(data as ArrayBuffer)).digest('hex');
  const issuerDer = Buffer.from(certificate.issuerName.toArrayBuffer());
  const selfSigned = issuerDer.equals(Buffer.from(certificate.subjectName.toArrayBuffer()));
  return {
    subject: certificate.subject,
    notAfter: certificate.notAfter,
    selfSigned,
    hashData: {
      hashAlgorithm,
      issuerNameHash: hash(issuerDer),
      issuerKeyHash: selfSigned ? hash(publicKeyBits(certificate.publicKey.rawData)) : undefined,
      serialNumber: normalizeSerialNumber(certificate.serialNumber),
    },
  };
}
