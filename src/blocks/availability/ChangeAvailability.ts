// G03/G04: make the station, an EVSE or a connector Operative or Inoperative. Accepted is stored
// at once; Scheduled (a transaction is running, TC_G_14_CSMS) is stored as scheduled and applied
// when the station reports the new status. Rejected changes nothing.
import type { ChangeAvailabilityRequest, ChangeAvailabilityResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { levelOf, recordAvailabilityAnswer } from './record-availability';

export async function sendChangeAvailability(ctx: Ctx, input: ChangeAvailabilityRequest): Promise<ChangeAvailabilityResponse> {
  const response = await ctx.call('ChangeAvailability', input);
  if (response.status !== 'Rejected') {
    await recordAvailabilityAnswer(ctx, levelOf(input.evse), response.status, input.operationalStatus);
  }
  return response;
}
