// A02/A03: the built-in CA signs an accepted CSR and the CSMS sends the chain as CertificateSigned,
// recording the station's answer (TC_A_11 Accepted, TC_A_14 Rejected).
import type { CertificateSignedRequest, CertificateSignedResponse, CertificateSigningUseEnumType } from '../../ocpp/generated/types';
import { finishSigningRequest, isSigningRequestPending, recordDeliveryOutcome, recordIssuedCertificate } from '../../db/queries/certificates';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import type { Ctx } from '../context';

export function sendCertificateSigned(ctx: Ctx, input: CertificateSignedRequest): Promise<CertificateSignedResponse> {
  return ctx.call('CertificateSigned', input);
}

/** The chain sent to the station: its certificate, then the issuing CA (the CSO hierarchy). */
export function certificateChain(leafPem: string, caPem: string): string {
  return `${leafPem.trim()}\n${caPem.trim()}\n`;
}

export async function deliverSignedCertificate(ctx: Ctx, request: { id: number; csr: string; certificateType: CertificateSigningUseEnumType }): Promise<void> {
  const { stationId } = ctx;
  // A newer CSR of the same type superseded this one while it waited: sign only the newest.
  if (!(await isSigningRequestPending(ctx.db, request.id))) return;
  let issued;
  try {
    issued = await ctx.ca.signCsr(request.csr, {
      validityDays: ctx.config.certValidityDays,
      usage: request.certificateType === 'V2GCertificate' ? 'server' : 'client', // an SECC is the TLS server towards the EV
    });
  } catch (err) {
    // A02 error handling: the station is not told; the operator must see it.
    await finishSigningRequest(ctx.db, request.id, 'Failed', { reason: `signing failed: ${(err as Error).message}`.slice(0, 512) });
    ctx.log.error({ err, stationId, requestId: request.id }, 'certificate authority could not sign an accepted CSR');
    return;
  }
  if (!(await finishSigningRequest(ctx.db, request.id, 'Signed', { issuedSerialNumber: issued.serialNumber }))) return;
  await recordIssuedCertificate(ctx.db, { ...issued, stationId, certificateType: request.certificateType, at: ctx.now() });
  try {
    // A02.FR.14: echo the requested certificateType.
    const response = await sendCertificateSigned(ctx, { certificateChain: certificateChain(issued.pem, ctx.ca.certificatePem), certificateType: request.certificateType });
    await recordDeliveryOutcome(ctx.db, issued.serialNumber, { status: response.status, statusInfo: response.statusInfo, at: ctx.now() });
    const log = response.status === 'Accepted' ? ctx.log.info.bind(ctx.log) : ctx.log.warn.bind(ctx.log);
    log({ stationId, serialNumber: issued.serialNumber, status: response.status, statusInfo: response.statusInfo }, 'CertificateSigned answered');
  } catch (err) {
    if (!(err instanceof CallFailure)) throw err;
    await recordDeliveryOutcome(ctx.db, issued.serialNumber, { status: 'Failed', statusInfo: { reasonCode: err.code, additionalInfo: err.message.slice(0, 512) }, at: ctx.now() });
    ctx.log.warn({ stationId, serialNumber: issued.serialNumber, code: err.code }, 'CertificateSigned not delivered');
  }
}
