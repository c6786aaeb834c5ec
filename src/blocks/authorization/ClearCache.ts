// C11: clear the station's authorization cache.
import type { ClearCacheRequest, ClearCacheResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export function sendClearCache(ctx: Ctx, input: ClearCacheRequest): Promise<ClearCacheResponse> {
  return ctx.call('ClearCache', input);
}
