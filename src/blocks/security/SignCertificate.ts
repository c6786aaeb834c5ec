// A02/A03: a station asks the CSMS to sign its CSR (ChargingStationCertificate or V2GCertificate).
// The request is stored first, then answered; the signed chain follows as CertificateSigned once
// the answer went out.
import type { SignCertificateRequest, SignCertificateResponse } from '../../ocpp/generated/types';
import { recordSigningRequest } from '../../db/queries/certificates';
import type { Ctx } from '../context';
import { deliverSignedCertificate } from './CertificateSigned';
import { checkStationCsr } from './csr-checks';

export async function onSignCertificate(ctx: Ctx, request: SignCertificateRequest): Promise<SignCertificateResponse> {
  // certificateType is optional; absent means ChargingStationCertificate.
  const certificateType = request.certificateType ?? 'ChargingStationCertificate';
  const check = await checkStationCsr(ctx, request.csr, certificateType);
  const row = await recordSigningRequest(ctx.db, {
    stationId: ctx.stationId, certificateType, csr: request.csr, status: check.ok ? 'Accepted' : 'Rejected',
    reason: check.ok ? null : check.reason, at: ctx.now(),
  });
  if (!check.ok) {
    ctx.log.warn({ stationId: ctx.stationId, certificateType, reason: check.reason }, 'CSR rejected');
    // A02.FR.12: Rejected with reasonCode InvalidCSR.
    return { status: 'Rejected', statusInfo: { reasonCode: 'InvalidCSR', additionalInfo: check.reason.slice(0, 512) } };
  }
  ctx.log.info({ stationId: ctx.stationId, certificateType, requestId: row.id }, 'CSR accepted');
  ctx.defer(() => deliverSignedCertificate(ctx, { id: row.id, csr: request.csr, certificateType }));
  return { status: 'Accepted' }; // A02.FR.11
}
