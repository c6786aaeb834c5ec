// L04: ask a Local Controller to stop publishing the image with this MD5 checksum.
import { markUnpublished } from '../../db/queries/firmware';
import type { UnpublishFirmwareRequest, UnpublishFirmwareResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export async function sendUnpublishFirmware(ctx: Ctx, input: UnpublishFirmwareRequest): Promise<UnpublishFirmwareResponse> {
  const response = await ctx.call('UnpublishFirmware', input);
  if (response.status === 'Unpublished') await markUnpublished(ctx.db, ctx.stationId, input.checksum, ctx.now());
  return response;
}
