// B09: store a connection profile in one of the station's slots.
import type { SetNetworkProfileRequest, SetNetworkProfileResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export function sendSetNetworkProfile(ctx: Ctx, input: SetNetworkProfileRequest): Promise<SetNetworkProfileResponse> {
  return ctx.call('SetNetworkProfile', input, { compress: false });
}
