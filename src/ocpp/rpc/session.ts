// One OCPP-J connection: incoming CALLs handled one at a time in arrival order, outgoing CALLs
// one in flight with a queue behind and a timeout each (Part 4 §4.1.1), pending calls failed on close.
import { randomUUID } from 'node:crypto';
import { CallFailure } from './call-failure';
import { OcppError, rpcError } from './errors';
import { FrameError, parseFrame, serialize, type Frame, type Payload } from './frame';
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
}

interface OutgoingCall {
  id: string;
  action: string;
  payload: Payload;
  compress: boolean;
  resolve(value: Payload): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

export class RpcSession<State = unknown> {
  readonly connectionId = randomUUID();
  private closed = false;
  private readonly incoming: Extract<Frame, { type: 'call' }>[] = [];
  private incomingBusy = false;
  private readonly outgoing: OutgoingCall[] = [];
  private inFlight: OutgoingCall | undefined;

  constructor(
    readonly stationId: string,
    readonly state: State,
    private readonly socket: RpcSocket,
    private readonly validator: OcppValidator,
    private readonly handleCall: CallHandler,
    private readonly limits: RpcLimits,
    private readonly events: RpcEvents = {},
  ) {}

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
        this.events.onProblem?.(this, 'bad frame', { code: err.error.code, reason: err.message });
        if (err.reply) this.sendError(err.id, err.error);
        return;
      }
      throw err;
    }
    if (frame.type === 'call') this.enqueueIncoming(frame);
    else this.settleOutgoing(frame);
  }

  /** Send a CALL and wait for the validated answer. Rejects with a CallFailure. */
  call(action: string, payload: Payload, options: { compress?: boolean } = {}): Promise<Payload> {
    if (this.closed) return Promise.reject(new CallFailure('StationOffline', 'Station is not connected'));
    try {
      this.validator.validate(action, 'request', payload);
    } catch (err) {
      return Promise.reject(new CallFailure('InvalidRequest', (err as Error).message));
    }
    if (this.outgoing.length >= this.limits.maxQueuedOutgoing) {
      return Promise.reject(new CallFailure('NotAllowed', 'Too many commands queued for this station'));
    }
    return new Promise<Payload>((resolve, reject) => {
      this.outgoing.push({ id: randomUUID(), action, payload, compress: options.compress ?? true, resolve, reject });
      this.pumpOutgoing();
    });
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
  }

  close(code: number, reason: string): void {
    this.shutdown(reason);
    this.socket.close(code, reason);
  }

  sendError(id: string, error: OcppError): void {
    this.sendText(serialize.error(id, error));
  }

  private sendText(text: string, compress = true): void {
    if (!this.closed) this.socket.send(text, { compress });
  }

  private enqueueIncoming(call: Extract<Frame, { type: 'call' }>): void {
    if (this.incoming.some((c) => c.id === call.id)) {
      this.sendError(call.id, rpcError.rpcFrameworkError('A CALL with this id is already being processed'));
      return;
    }
    if (this.incoming.length >= this.limits.maxQueuedIncoming) {
      this.sendError(call.id, rpcError.genericError('Too many CALLs queued; send one at a time'));
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
      try {
        reply = await this.handleCall(this, call);
      } catch (err) {
        const error = err instanceof OcppError ? err : rpcError.internalError();
        reply = serialize.error(call.id, error);
      }
      this.incoming.shift();
      this.sendText(reply);
    }
    this.incomingBusy = false;
  }

  private pumpOutgoing(): void {
    if (this.inFlight || this.closed) return;
    const next = this.outgoing.shift();
    if (!next) return;
    this.inFlight = next;
    next.timer = setTimeout(() => {
      if (this.inFlight !== next) return;
      this.inFlight = undefined;
      next.reject(new CallFailure('Timeout', `No answer to ${next.action} within ${this.limits.callTimeoutMs} ms`));
      this.pumpOutgoing();
    }, this.limits.callTimeoutMs);
    this.sendText(serialize.call(next.id, next.action, next.payload), next.compress);
  }

  private settleOutgoing(frame: Exclude<Frame, { type: 'call' }>): void {
    const call = this.inFlight;
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
