// F06: ask the station to send a message now (every requestedMessage value).
import type { TriggerMessageRequest, TriggerMessageResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export function sendTriggerMessage(ctx: Ctx, input: TriggerMessageRequest): Promise<TriggerMessageResponse> {
  return ctx.call('TriggerMessage', input);
}
