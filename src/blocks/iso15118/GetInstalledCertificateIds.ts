// M03: ask a station which certificates it holds; its answer replaces what the CSMS kept for the
// types asked about (NotFound = none of them).
import type { GetInstalledCertificateIdsRequest, GetInstalledCertificateIdsResponse } from '../../ocpp/generated/types';
import { replaceInstalledCertificates } from '../../db/queries/certificates';
import type { Ctx } from '../context';

export async function sendGetInstalledCertificateIds(ctx: Ctx, input: GetInstalledCertificateIdsRequest): Promise<GetInstalledCertificateIdsResponse> {
  const response = await ctx.call('GetInstalledCertificateIds', input);
  const reported = response.status === 'Accepted' ? (response.certificateHashDataChain ?? []) : [];
  await replaceInstalledCertificates(
    ctx.db, ctx.stationId, input.certificateType,
    reported.map((chain) => ({ certificateType: chain.certificateType, certificateHashData: chain.certificateHashData, childCertificateHashData: chain.childCertificateHashData })),
    ctx.now(),
  );
  return response;
}
