// M04: delete a certificate from a station by its CertificateHashData. Accepted (and NotFound: the
// station does not hold it) removes it from what the CSMS keeps for that station.
import type { DeleteCertificateRequest, DeleteCertificateResponse } from '../../ocpp/generated/types';
import { removeInstalledCertificate } from '../../db/queries/certificates';
import type { Ctx } from '../context';

export async function sendDeleteCertificate(ctx: Ctx, input: DeleteCertificateRequest): Promise<DeleteCertificateResponse> {
  const response = await ctx.call('DeleteCertificate', input);
  if (response.status === 'Accepted' || response.status === 'NotFound') {
    await removeInstalledCertificate(ctx.db, ctx.stationId, input.certificateHashData);
  }
  return response;
}
