// B11/B12: reset the station (Immediate or OnIdle) or one EVSE.
import type { ResetRequest, ResetResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export function sendReset(ctx: Ctx, input: ResetRequest): Promise<ResetResponse> {
  return ctx.call('Reset', input);
}
