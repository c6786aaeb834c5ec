// M05: install a root certificate on a station (every InstallCertificateUseEnum type). An Accepted
// install is kept with its CertificateHashData; for a certificate that is not self-signed the
// issuer's key is not at hand, so the station's own hash data is fetched instead (M03).
import type { InstallCertificateRequest, InstallCertificateResponse } from '../../ocpp/generated/types';
import { recordInstalledCertificate } from '../../db/queries/certificates';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import type { Ctx } from '../context';
import { describeCertificate, InvalidCertificateError, type DescribedCertificate } from './certificate-hash';
import { sendGetInstalledCertificateIds } from './GetInstalledCertificateIds';

export async function sendInstallCertificate(ctx: Ctx, input: InstallCertificateRequest): Promise<InstallCertificateResponse> {
  let described: DescribedCertificate;
  try {
    described = describeCertificate(input.certificate);
  } catch (err) {
    if (err instanceof InvalidCertificateError) throw new CallFailure('InvalidRequest', `certificate: ${err.message}`);
    throw err;
  }
  const response = await ctx.call('InstallCertificate', input);
  if (response.status !== 'Accepted') {
    ctx.log.info({ stationId: ctx.stationId, certificateType: input.certificateType, status: response.status }, 'certificate not installed');
    return response;
  }
  const { issuerKeyHash, ...rest } = described.hashData;
  if (issuerKeyHash) {
    await recordInstalledCertificate(ctx.db, ctx.stationId, {
      certificateType: input.certificateType, certificateHashData: { ...rest, issuerKeyHash }, pem: input.certificate,
      subject: described.subject, notAfter: described.notAfter,
    }, ctx.now());
  } else {
    ctx.defer(() => sendGetInstalledCertificateIds(ctx, { certificateType: [input.certificateType] }));
  }
  return response;
}
