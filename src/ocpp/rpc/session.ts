// One OCPP-J connection: incoming CALLs handled one at a time in arrival order, outgoing CALLs
// one in flight with a queue behind and a timeout each (Part 4 §4.1.1), pending calls failed on close.
import { randomUUID } from 'node:crypto';
import { CallFailure } from './call-failure';
import { OcppError, rpcError } from './errors';
import { FrameError, parseFrame, serialize, type Frame, type Payload } from './frame';
import { NO_OBSERVER, type FrameKind, type RpcObserver } from './observer';
import type { OcppValidator } from './validator';

export interface RpcSocket {
  send(text: string, options?: { compress?: boolean }): void;
  close(code: number, reason: string): void;
}

export interface RpcLimits {
  callTimeoutMs: number;
  maxQueuedIncoming: number;
  maxQueuedOutgoing: number;
  maxJsonDepth: number;
}

export type CallHandler = (session: RpcSession, call: Extract<Frame, { type: 'call' }>) => Promise<string>;

export interface RpcEvents {
  /** Called for protocol problems worth logging (never for normal traffic). */
  onProblem?(session: RpcSession, problem: string, detail?: Record<string, unknown>): void;
  /** Traffic hooks for metrics (counts, latencies); never changes behaviour. */
  observer?: RpcObserver;
}

interface OutgoingCall {
  id: string;
  action: string;
  payload: Payload;
  compress: boolean;
  resolve(value: Payload): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
  sentAt?: number;
}

export class RpcSession<State = unknown> {
  readonly connectionId = randomUUID();
  private closed = false;
  private readonly incoming: Extract<Frame, { type: 'call' }>[] = [];
  private incomingBusy = false;
  /** SIGTERM drain (drain()): no new CALLs taken or sent; waiters resolve once nothing is in progress. */
  private draining = false;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly outgoing: OutgoingCall[] = [];
  private inFlight: OutgoingCall | undefined;
  private readonly observer: RpcObserver;

  constructor(
    readonly stationId: string,
    readonly state: State,
    private readonly socket: RpcSocket,
    private readonly validator: OcppValidator,
    private readonly handleCall: CallHandler,
    private readonly limits: RpcLimits,
    private readonly events: RpcEvents = {},
  ) {
    this.observer = events.observer ?? NO_OBSERVER;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get pendingOutgoing(): number {
    return this.outgoing.length + (this.inFlight ? 1 : 0);
  }

  /** Feed one text frame received from the peer. Never throws. */
  receive(text: string): void {
    let frame: Frame;
    try {
      frame = parseFrame(text, this.limits.maxJsonDepth);
    } catch (err) {
      if (err instanceof FrameError) {
        this.observer.frame('in', 'invalid', undefined);
        this.events.onProblem?.(this, 'bad frame', { code: err.error.code, reason: err.message });
        if (err.reply) this.sendError(err.id, err.error);
        return;
      }
      throw err;
    }
    if (frame.type === 'call') {
      this.observer.frame('in', 'call', frame.action);
      this.enqueueIncoming(frame);
    } else this.settleOutgoing(frame);
  }

  /** Send a CALL and wait for the validated answer. Rejects with a CallFailure. */
  call(action: string, payload: Payload, options: { compress?: boolean } = {}): Promise<Payload> {
    const refuse = (failure: CallFailure) => {
      this.observer.outgoingSettled(action, 0, failure.code);
      return Promise.reject(failure);
    };
    if (this.closed || this.draining) return refuse(new CallFailure('StationOffline', this.closed ? 'Station is not connected' : 'CSMS shutting down'));
    try {
      this.validator.validate(action, 'request', payload);
    } catch (err) {
      return refuse(new CallFailure('InvalidRequest', (err as Error).message));
    }
    if (this.outgoing.length >= this.limits.maxQueuedOutgoing) {
      return refuse(new CallFailure('NotAllowed', 'Too many commands queued for this station'));
    }
    return new Promise<Payload>((resolve, reject) => {
      const call: OutgoingCall = {
        id: randomUUID(), action, payload, compress: options.compress ?? true,
        resolve: (value) => {
          this.observer.outgoingSettled(action, this.secondsSince(call.sentAt), 'result');
          resolve(value);
        },
        reject: (error) => {
          this.observer.outgoingSettled(action, this.secondsSince(call.sentAt), error instanceof CallFailure ? error.code : 'StationOffline');
          reject(error);
        },
      };
      this.outgoing.push(call);
      this.pumpOutgoing();
    });
  }

  private secondsSince(start: number | undefined): number {
    return start === undefined ? 0 : (performance.now() - start) / 1000;
  }

  /** Mark the session closed and fail every pending outgoing call. Idempotent. */
  shutdown(reason = 'Station disconnected'): void {
    if (this.closed) return;
    this.closed = true;
    const failure = () => new CallFailure('StationOffline', reason);
    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      this.inFlight.reject(failure());
      this.inFlight = undefined;
    }
    for (const call of this.outgoing.splice(0)) call.reject(failure());
    this.incoming.length = 0;
    this.notifyIdle();
  }

  /**
   * SIGTERM: CALLs already received are answered and the CALL in flight to the station may settle;
   * queued outgoing CALLs fail and new incoming CALLs stay unanswered (the station sends them again
   * after reconnecting). Resolves once nothing is in progress; the caller then closes the socket.
   */
  drain(): Promise<void> {
    this.draining = true;
    for (const call of this.outgoing.splice(0)) call.reject(new CallFailure('StationOffline', 'CSMS shutting down'));
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIdle();
    });
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0) return;
    if (!this.closed && (this.incomingBusy || this.incoming.length > 0 || this.inFlight)) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  close(code: number, reason: string): void {
    this.shutdown(reason);
    this.socket.close(code, reason);
  }

  /** `action`: the CALL this error answers, when known (metrics only). */
  sendError(id: string, error: OcppError, action?: string): void {
    this.sendText(serialize.error(id, error), 'error', action, error.code);
  }

  private sendText(text: string, kind: FrameKind, action: string | undefined, errorCode?: string, compress = true): void {
    if (this.closed) return;
    this.socket.send(text, { compress });
    this.observer.frame('out', kind, action, errorCode);
  }

  private enqueueIncoming(call: Extract<Frame, { type: 'call' }>): void {
    if (this.draining) {
      this.events.onProblem?.(this, 'CALL left unanswered: CSMS shutting down', { action: call.action, id: call.id });
      return;
    }
    if (this.incoming.some((c) => c.id === call.id)) {
      this.sendError(call.id, rpcError.rpcFrameworkError('A CALL with this id is already being processed'), call.action);
      return;
    }
    if (this.incoming.length >= this.limits.maxQueuedIncoming) {
      this.sendError(call.id, rpcError.genericError('Too many CALLs queued; send one at a time'), call.action);
      return;
    }
    this.incoming.push(call);
    if (!this.incomingBusy) void this.drainIncoming();
  }

  private async drainIncoming(): Promise<void> {
    this.incomingBusy = true;
    while (this.incoming.length > 0 && !this.closed) {
      const call = this.incoming[0]!;
      let reply: string;
      let errorCode: string | undefined;
      const started = performance.now();
      try {
        reply = await this.handleCall(this, call);
      } catch (err) {
        const error = err instanceof OcppError ? err : rpcError.internalError();
        reply = serialize.error(call.id, error);
        errorCode = error.code;
      }
      this.observer.callHandled(call.action, (performance.now() - started) / 1000, errorCode ? 'error' : 'result');
      this.incoming.shift();
      this.sendText(reply, errorCode ? 'error' : 'result', call.action, errorCode);
    }
    this.incomingBusy = false;
    this.notifyIdle();
  }

  private pumpOutgoing(): void {
    if (this.inFlight || this.closed) return;
    const next = this.outgoing.shift();
    if (!next) return this.notifyIdle();
    this.inFlight = next;
    next.timer = setTimeout(() => {
      if (this.inFlight !== next) return;
      this.inFlight = undefined;
      next.reject(new CallFailure('Timeout', `No answer to ${next.action} within ${this.limits.callTimeoutMs} ms`));
      this.pumpOutgoing();
    }, this.limits.callTimeoutMs);
    next.sentAt = performance.now();
    this.sendText(serialize.call(next.id, next.action, next.payload), 'call', next.action, undefined, next.compress);
  }

  private settleOutgoing(frame: Exclude<Frame, { type: 'call' }>): void {
    const call = this.inFlight;
    const answers = call !== undefined && call.id === frame.id;
    this.observer.frame('in', frame.type, answers ? call.action : undefined, frame.type === 'error' ? frame.code : undefined);
    if (!call || call.id !== frame.id) {
      this.events.onProblem?.(this, 'answer with unknown id ignored', { id: frame.id });
      return;
    }
    clearTimeout(call.timer);
    this.inFlight = undefined;
    if (frame.type === 'error') {
      call.reject(new CallFailure('CallError', frame.description.slice(0, 255), frame.code.slice(0, 64)));
    } else {
      try {
        this.validator.validate(call.action, 'response', frame.payload);
        call.resolve(frame.payload);
      } catch (err) {
        call.reject(new CallFailure('InvalidResponse', (err as Error).message));
      }
    }
    this.pumpOutgoing();
  }
}
