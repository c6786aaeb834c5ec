// What the TLS listener offers (SPEC-NOTES §2.3): TLS 1.2 or higher (A00.FR.313/416), the four
// mandatory TLS 1.2 suites (A00.FR.318/421), forward-secret ECDHE-RSA GCM and the TLS 1.3 suites;
// no CBC suite (A00.FR.320/423), no compression (A00.FR.321/424). Takes PEM text; who made it
// (the built-in CA, `certs dev`, an external CA) does not matter here.
import { constants, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContextOptions } from 'node:tls';

/** TLS 1.2 suites, OpenSSL names. The two plain-RSA ones have no forward secrecy but are mandatory. */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
] as const;

export const TLS13_CIPHERS = ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'] as const;

export const TLS_CIPHER_LIST = [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(':');

/** PEM text of the listener's certificates (pairwise with their keys) and of the CAs trusted for client certificates. */
export interface TlsMaterial {
  certs: string[];
  keys: string[];
  /** Never empty in practice; an empty list trusts nothing (Node's public root store is never used). */
  cas: string[];
}

export interface TlsFiles {
  certFiles: readonly string[];
  keyFiles: readonly string[];
  caFiles: readonly string[];
}

export class TlsMaterialError extends Error {}

async function readAll(paths: readonly string[]): Promise<string[]> {
  return Promise.all(paths.map((path) => readFile(path, 'utf8')));
}

/** Reads the files; `extraCas` (the built-in CA's certificate) is trusted besides the CA files. */
export async function readTlsMaterial(files: TlsFiles, extraCas: readonly string[]): Promise<TlsMaterial> {
  const [certs, keys, cas] = await Promise.all([readAll(files.certFiles), readAll(files.keyFiles), readAll(files.caFiles)]);
  return { certs, keys, cas: [...extraCas, ...cas] };
}

export function secureContextOptions(material: TlsMaterial): SecureContextOptions {
  return {
    cert: material.certs,
    key: material.keys,
    // An explicit list, even empty, keeps Node from trusting its bundled public roots for station certificates.
    ca: material.cas,
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHER_LIST,
    honorCipherOrder: true,
    secureOptions: constants.SSL_OP_NO_COMPRESSION | constants.SSL_OP_NO_RENEGOTIATION,
  };
}

/**
 * Throws TlsMaterialError unless every certificate parses, is paired with its own private key, and
 * the whole set makes a secure context. Returns the certificates' subjects and expiry for the log.
 */
export function checkTlsMaterial(material: TlsMaterial): Array<{ subject: string; validTo: string; keyType: string }> {
  if (material.certs.length === 0 || material.certs.length !== material.keys.length) {
    throw new TlsMaterialError('need one private key per certificate');
  }
  const described = material.certs.map((pem, i) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      throw new TlsMaterialError(`certificate ${i + 1} is not a PEM X.509 certificate`);
    }
    let key;
    try {
      key = createPrivateKey(material.keys[i]!);
    } catch {
      throw new TlsMaterialError(`key ${i + 1} is not a PEM private key`);
    }
    if (!cert.checkPrivateKey(key)) throw new TlsMaterialError(`key ${i + 1} does not belong to certificate ${i + 1}`);
    return { subject: cert.subject.replace(/\n/g, ', '), validTo: cert.validTo, keyType: key.asymmetricKeyType ?? 'unknown' };
  });
  for (const [i, pem] of material.cas.entries()) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new TlsMaterialError(`trusted CA ${i + 1} is not a PEM X.509 certificate`);
    }
  }
  try {
    createSecureContext(secureContextOptions(material));
  } catch (err) {
    throw new TlsMaterialError(`TLS context refused the material: ${(err as Error).message}`);
  }
  return described;
}
