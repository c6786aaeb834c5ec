// G02: answer with the current UTC time. Last-seen is kept in memory and flushed in batches.
import type { HeartbeatRequest, HeartbeatResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export async function onHeartbeat(ctx: Ctx, _request: HeartbeatRequest): Promise<HeartbeatResponse> {
  return { currentTime: ctx.now().toISOString() };
}
