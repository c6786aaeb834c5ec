// Incoming CALL: validate → dispatch to the behaviour layer → validate our response → CALLRESULT.
// A thrown OcppError becomes its CALLERROR; anything else becomes InternalError without internals.
import { OcppError, rpcError } from './rpc/errors';
import { serialize, type Frame, type Payload } from './rpc/frame';
import type { CallHandler, RpcSession } from './rpc/session';
import type { OcppValidator } from './rpc/validator';

export interface DispatchResult {
  response: Payload;
  /** Work that must follow the response (e.g. GetBaseReport after an accepted boot). */
  after: Array<() => Promise<unknown> | unknown>;
}

export interface Dispatcher {
  handles(action: string): boolean;
  dispatch(session: RpcSession<any>, action: string, payload: Payload, messageId: string): Promise<DispatchResult>;
}

export interface RouterLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export function createRouter(validator: OcppValidator, dispatcher: Dispatcher, log: RouterLog): CallHandler {
  return async (session, call: Extract<Frame, { type: 'call' }>) => {
    const { id, action, payload } = call;
    if (!validator.knows(action)) {
      throw rpcError.notImplemented(`Action '${action.slice(0, 64)}' is not an OCPP 2.0.1 action`);
    }
    if (!dispatcher.handles(action)) {
      throw rpcError.notSupported(`Action '${action}' is not accepted from a charging station`);
    }
    validator.validate(action, 'request', payload);
    let result: DispatchResult;
    try {
      result = await dispatcher.dispatch(session, action, payload, id);
    } catch (err) {
      if (err instanceof OcppError) throw err;
      log.error({ err, stationId: session.stationId, action }, 'handler failed');
      throw rpcError.internalError();
    }
    try {
      validator.validate(action, 'response', result.response);
    } catch (err) {
      log.error({ err, stationId: session.stationId, action }, 'our response failed schema validation');
      throw rpcError.internalError();
    }
    if (result.after.length > 0) {
      setImmediate(() => {
        for (const task of result.after) {
          Promise.resolve()
            .then(task)
            .catch((err) => log.warn({ err, stationId: session.stationId, action }, 'follow-up task failed'));
        }
      });
    }
    return serialize.result(id, result.response);
  };
}
