// A02/A03: what a station's CSR must satisfy before the built-in CA signs it (SPEC-NOTES §2.6 [BP]).
// Any failure is answered Rejected with reasonCode InvalidCSR (A02.FR.12).
import type { CertificateSigningUseEnumType } from '../../ocpp/generated/types';
import { identityUsedByOtherStation } from '../../db/queries/certificates';
import { actualValue } from '../../db/queries/device-model';
import { findStation } from '../../db/queries/stations';
import type { Ctx } from '../context';
import { InvalidCsrError, parseCsr } from './certificate-authority';
import { describePublicKey } from './x509';

export type CsrCheck = { ok: true } | { ok: false; reason: string };

const MIN_RSA_BITS = 2048; // A00.FR.502: ≥ 112-bit symmetric equivalent
const MIN_EC_BITS = 224;

function keyStrengthProblem(spki: ArrayBuffer, certificateType: CertificateSigningUseEnumType): string | undefined {
  const { type, bits } = describePublicKey(spki);
  if (certificateType === 'V2GCertificate' && type !== 'ec') return 'a V2G certificate needs an EC key (ISO 15118)';
  if (type === 'rsa') return bits >= MIN_RSA_BITS ? undefined : `RSA key of ${bits} bits, at least ${MIN_RSA_BITS} needed`;
  if (type === 'ec') return bits >= MIN_EC_BITS ? undefined : `EC key of ${bits || 'unknown'} bits, at least ${MIN_EC_BITS} needed`;
  return `unsupported key type ${type}`;
}

/**
 * The names a station may put into CN: its id (case-insensitive) or its registered serial number
 * (A00.FR.405); for a V2G certificate also the SeccId it reports (ISO15118Ctrlr.SeccId), since an
 * SECC certificate's CN is the SECC id. A serial that equals another station's id or serial never
 * counts, so a station cannot obtain a certificate that would authenticate as another one.
 */
async function commonNameProblem(ctx: Ctx, commonName: string, certificateType: CertificateSigningUseEnumType): Promise<string | undefined> {
  const station = await findStation(ctx.db, ctx.stationId);
  if (!station) return 'unknown station';
  if (commonName.toLowerCase() === station.id.toLowerCase()) return undefined;
  const names: Array<string | null | undefined> = [station.serialNumber];
  if (certificateType === 'V2GCertificate') names.push(await actualValue(ctx.db, station.id, 'ISO15118Ctrlr', 'SeccId', null));
  if (!names.some((n) => n && n === commonName)) return `CN '${commonName.slice(0, 64)}' is neither the station's id nor its serial number`;
  if (await identityUsedByOtherStation(ctx.db, station.id, commonName)) return `CN '${commonName.slice(0, 64)}' identifies another station`;
  return undefined;
}

export async function checkStationCsr(ctx: Ctx, csrPem: string, certificateType: CertificateSigningUseEnumType): Promise<CsrCheck> {
  let csr;
  try {
    csr = await parseCsr(csrPem); // PKCS#10 self-signature = proof of possession
  } catch (err) {
    if (err instanceof InvalidCsrError) return { ok: false, reason: err.message };
    throw err;
  }
  const commonNames = csr.subjectName.getField('CN');
  if (commonNames.length !== 1) return { ok: false, reason: 'the subject needs exactly one CN' };
  const organizations = csr.subjectName.getField('O');
  // A00.FR.404: O is the CSO's name when one is configured.
  if (ctx.config.organization && (organizations.length !== 1 || organizations[0] !== ctx.config.organization)) {
    return { ok: false, reason: `O must be '${ctx.config.organization}'` };
  }
  const keyProblem = keyStrengthProblem(csr.publicKey.rawData, certificateType);
  if (keyProblem) return { ok: false, reason: keyProblem };
  const cnProblem = await commonNameProblem(ctx, commonNames[0]!, certificateType);
  if (cnProblem) return { ok: false, reason: cnProblem };
  return { ok: true };
}
