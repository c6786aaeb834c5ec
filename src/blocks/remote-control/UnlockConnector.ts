// F05: ask a station to unlock a connector (TC_F_06_CSMS). Unlocked, UnlockFailed,
// OngoingAuthorizedTransaction (F05.FR.02) and UnknownConnector (F05.FR.03) are answers, not errors.
import type { UnlockConnectorRequest, UnlockConnectorResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export async function sendUnlockConnector(ctx: Ctx, input: UnlockConnectorRequest): Promise<UnlockConnectorResponse> {
  const response = await ctx.call('UnlockConnector', input);
  if (response.status !== 'Unlocked') {
    ctx.log.info({ stationId: ctx.stationId, ...input, status: response.status }, 'connector not unlocked');
  }
  return response;
}
