// `npm run cli -- certs dev --out DIR`: a development CA and two server certificates (RSA 2048 and
// ECDSA P-256, so all four mandatory TLS 1.2 suites negotiate; SPEC-NOTES §2.3) for localhost and
// 127.0.0.1, plus the environment lines that use them. An existing ca.crt/ca.key in DIR is reused,
// so station certificates signed earlier stay valid.
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCaMaterial, loadCaMaterial, writeCaFiles } from '../blocks/security/ca-store';
import { createCertificateAuthority } from '../blocks/security/certificate-authority';

export const DEV_SERVER_NAMES = ['localhost', '127.0.0.1', '::1'];
const DEV_VALIDITY_DAYS = 365;

export interface DevCertificatePaths {
  caCert: string; caKey: string;
  rsaCert: string; rsaKey: string;
  ecdsaCert: string; ecdsaKey: string;
}

export async function writeDevCertificates(outDir: string, organization = 'Chargegraph'): Promise<DevCertificatePaths & { caCreated: boolean }> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const caCert = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const reuse = existsSync(caCert) && existsSync(caKey);
  let material;
  if (reuse) material = await loadCaMaterial(caCert, caKey);
  else {
    material = await createCaMaterial(organization);
    await writeCaFiles(dir, material);
  }
  const ca = createCertificateAuthority(material);
  const paths = { caCert, caKey, caCreated: !reuse } as DevCertificatePaths & { caCreated: boolean };
  for (const keyType of ['rsa', 'ecdsa'] as const) {
    const issued = await ca.issueKeyPair({
      commonName: 'localhost', organization, altNames: DEV_SERVER_NAMES, keyType, usage: 'server', validityDays: DEV_VALIDITY_DAYS,
    });
    const certPath = join(dir, `server-${keyType}.crt`);
    const keyPath = join(dir, `server-${keyType}.key`);
    await writeFile(keyPath, issued.keyPem, { mode: 0o600 });
    await chmod(keyPath, 0o600);
    await writeFile(certPath, issued.pem);
    if (keyType === 'rsa') Object.assign(paths, { rsaCert: certPath, rsaKey: keyPath });
    else Object.assign(paths, { ecdsaCert: certPath, ecdsaKey: keyPath });
  }
  return paths;
}

export function devCertificateEnv(paths: DevCertificatePaths): string[] {
  return [
    `TLS_CERT=${paths.rsaCert},${paths.ecdsaCert}`,
    `TLS_KEY=${paths.rsaKey},${paths.ecdsaKey}`,
    `CA_CERT=${paths.caCert}`,
    `CA_KEY=${paths.caKey}`,
  ];
}

const USAGE = 'usage: npm run cli -- certs dev --out DIR [--organization NAME]';

/** The `certs` command group; needs no database. Returns the exit code. */
export async function runCertsCommand(action: string | undefined, args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, organization: { type: 'string' } }, strict: true });
  if (action !== 'dev' || !values.out) {
    out(USAGE);
    return 2;
  }
  const organization = values.organization ?? process.env.CSMS_ORGANIZATION?.trim() ?? undefined;
  const paths = await writeDevCertificates(values.out, organization || undefined);
  out(`${paths.caCreated ? 'created' : 'reused'} CA ${paths.caCert}; server certificates for ${DEV_SERVER_NAMES.join(', ')} written to ${resolve(values.out)}`);
  out('# environment for the server (profile 2/3 over TLS):');
  for (const line of devCertificateEnv(paths)) out(line);
  if (organization) out(`CSMS_ORGANIZATION=${organization}`);
  return 0;
}
