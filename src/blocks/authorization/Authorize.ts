// C01/C04/C06: Authorize answers from the stored authorization data (authorize-id-token.ts).
// C07 (ISO 15118 contract certificates): the CSMS does not validate contract certificates over OCSP
// yet (block M), so a request carrying a certificate or iso15118CertificateHashData is answered
// certificateStatus NoCertificateAvailable: never Accepted for a chain nobody checked (C07.FR.05).
import type { AuthorizeRequest, AuthorizeResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { authorizeIdToken } from './authorize-id-token';

export async function onAuthorize(ctx: Ctx, request: AuthorizeRequest): Promise<AuthorizeResponse> {
  const idTokenInfo = await authorizeIdToken(ctx, request.idToken);
  const carriesCertificate = request.certificate !== undefined || (request.iso15118CertificateHashData?.length ?? 0) > 0;
  if (!carriesCertificate) return { idTokenInfo };
  ctx.log.debug({ stationId: ctx.stationId }, 'Authorize with a contract certificate: not validated (no OCSP), answered NoCertificateAvailable');
  return { idTokenInfo, certificateStatus: 'NoCertificateAvailable' };
}
