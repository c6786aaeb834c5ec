// The one place @peculiar/x509 is set up (it needs reflect-metadata loaded first and a WebCrypto
// provider), plus the key conversions the CA, the CSR checks and the simulator share.
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

export { x509 };

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;

export type KeyType = 'rsa' | 'ecdsa';

/** The signing algorithm (and hash) that goes with a key; EC hashes follow the curve size. */
export function signingAlgorithmFor(key: CryptoKey): Algorithm & { hash?: string } {
  if (key.algorithm.name === 'ECDSA') {
    const curve = (key.algorithm as webcrypto.EcKeyAlgorithm).namedCurve;
    return { name: 'ECDSA', hash: curve === 'P-384' ? 'SHA-384' : curve === 'P-521' ? 'SHA-512' : 'SHA-256' };
  }
  return { name: 'RSASSA-PKCS1-v1_5' };
}

export async function generateKeyPair(keyType: KeyType, curve: 'P-256' | 'P-384' = 'P-256'): Promise<CryptoKeyPair> {
  const params =
    keyType === 'ecdsa'
      ? { name: 'ECDSA', namedCurve: curve }
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  return (await webcrypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** PKCS#8 PEM ("PRIVATE KEY"), what Node's tls and openssl read. */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

/**
 * Any PEM private key Node understands (PKCS#8, PKCS#1 RSA, SEC1 EC) as a WebCrypto signing key,
 * with the DER of its public key so a certificate can be matched against it.
 */
export async function importPrivateKeyPem(pem: string): Promise<{ key: CryptoKey; spki: Buffer }> {
  const keyObject = createPrivateKey(pem);
  const pkcs8 = keyObject.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
  const type = keyObject.asymmetricKeyType;
  let algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  if (type === 'rsa') algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  else if (type === 'ec') {
    const curve = keyObject.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : undefined;
    if (!namedCurve) throw new Error(`unsupported EC curve ${curve ?? 'unknown'}`);
    algorithm = { name: 'ECDSA', namedCurve };
  } else throw new Error(`unsupported key type ${type ?? 'unknown'}`);
  const key = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  return { key, spki };
}

/** Key type and size of a public key, for the strength rules (A00.FR.502: RSA ≥ 2048, EC ≥ 224). */
export function describePublicKey(spkiDer: ArrayBuffer | Buffer): { type: string; bits: number } {
  const keyObject = createPublicKey({ key: Buffer.from(spkiDer as ArrayBuffer), format: 'der', type: 'spki' });
  const details = keyObject.asymmetricKeyDetails ?? {};
  const type = keyObject.asymmetricKeyType ?? 'unknown';
  if (type === 'rsa' || type === 'rsa-pss') return { type: 'rsa', bits: details.modulusLength ?? 0 };
  if (type === 'ec') {
    const curveBits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224, prime192v1: 192, secp256k1: 256 };
    return { type: 'ec', bits: curveBits[details.namedCurve ?? ''] ?? 0 };
  }
  return { type, bits: 0 };
}

/** Serial numbers compared as lowercase hex without leading zeros or separators ("0A:1b" = "a1b"). */
export function normalizeSerialNumber(serial: string): string {
  const hex = serial.replace(/[\s:]/g, '').toLowerCase().replace(/^0+/, '');
  return hex === '' ? '0' : hex;
}

/** A random positive serial number (RFC 5280: ≤ 20 octets, positive), as hex. */
export function randomSerialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/** Subject as a JSON name, so commas or equals signs in a name cannot change its structure. */
export function subjectName(commonName: string, organization?: string): x509.JsonName {
  return [{ CN: [commonName] }, ...(organization ? [{ O: [organization] }] : [])];
}
