// G03/G04: make the station, an EVSE or a connector Operative or Inoperative.
import { setEvseAvailability } from '../../db/queries/connectors';
import type { ChangeAvailabilityRequest, ChangeAvailabilityResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export async function sendChangeAvailability(ctx: Ctx, input: ChangeAvailabilityRequest): Promise<ChangeAvailabilityResponse> {
  const response = await ctx.call('ChangeAvailability', input);
  const evseId = input.evse?.id;
  if (response.status !== 'Rejected' && evseId !== undefined && input.evse?.connectorId === undefined) {
    await setEvseAvailability(ctx.db, ctx.stationId, evseId, response.status === 'Scheduled' ? `${input.operationalStatus} (scheduled)` : input.operationalStatus);
  }
  return response;
}
