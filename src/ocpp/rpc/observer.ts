// Hooks through which the protocol layer reports its traffic, so metrics can be kept without
// src/ocpp/ knowing about them (ocpp-service.ts wires an implementation). Every hook is called on
// the hot path: implementations must be cheap and must not throw.
import type { CallFailureCode } from './call-failure';

export type FlowDirection = 'in' | 'out';
/** `invalid`: a received frame that could not be parsed (its CALLERROR reply, if any, is an `out` error). */
export type FrameKind = 'call' | 'result' | 'error' | 'invalid';
export type OutgoingOutcome = 'result' | CallFailureCode;

export interface RpcObserver {
  /**
   * A frame received or sent. `action` is the CALL's action, or for an answer the action of the CALL
   * it answers; undefined when not known. `errorCode` is set for kind `error` (the peer's code as sent).
   */
  frame(direction: FlowDirection, kind: FrameKind, action: string | undefined, errorCode?: string): void;
  /** An incoming CALL was answered: time from taking it off the queue to the reply (validation included). */
  callHandled(action: string, seconds: number, outcome: 'result' | 'error'): void;
  /** An outgoing CALL settled; `seconds` from sending it (0 when it failed before it was sent). */
  outgoingSettled(action: string, seconds: number, outcome: OutgoingOutcome): void;
}

export const NO_OBSERVER: RpcObserver = {
  frame() {},
  callHandled() {},
  outgoingSettled() {},
};
