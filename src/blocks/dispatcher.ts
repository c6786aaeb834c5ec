// Connects the protocol router to the behaviour: registration gate, context, typed handler.
import type { OcppRequests, OcppResponses } from '../ocpp/generated/actions';
import type { Dispatcher, DispatchResult } from '../ocpp/router';
import type { RpcSession } from '../ocpp/rpc/session';
import { createCtx, type Ctx } from './context';
import { checkIncoming } from './provisioning/registration-gate';
import type { Services } from './services';
import type { SessionState } from './session-state';

export type Handler<A extends keyof OcppRequests> = (ctx: Ctx, request: OcppRequests[A]) => Promise<OcppResponses[A]>;
export type HandlerMap = { [A in keyof OcppRequests]?: Handler<A> };

export function createDispatcher(services: Services, handlers: HandlerMap): Dispatcher {
  return {
    handles: (action) => action in handlers,
    async dispatch(session: RpcSession<SessionState>, action, payload): Promise<DispatchResult> {
      const handler = handlers[action as keyof OcppRequests] as Handler<keyof OcppRequests> | undefined;
      if (!handler) throw new Error(`no handler for ${action}`);
      checkIncoming(session.state, action, services.now());
      services.registry.touch(session.stationId);
      const after: DispatchResult['after'] = [];
      const ctx = createCtx(services, session.stationId, (task) => after.push(task));
      const response = await handler(ctx, payload as never);
      return { response: response as Record<string, unknown>, after };
    },
  };
}
