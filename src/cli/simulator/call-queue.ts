// Outgoing CALLs: one in flight at a time, the rest wait their turn.
import { randomUUID } from 'node:crypto';
import { CallErrorResponse } from './call-error';
import { encodeCall } from './ocpp-frames';

interface PendingCall {
  action: string;
  payload: unknown;
  resolve: (payload: any) => void;
  reject: (error: Error) => void;
}

interface InFlight extends PendingCall {
  id: string;
  timer: NodeJS.Timeout;
}

export class CallQueue {
  private readonly waiting: PendingCall[] = [];
  private inFlight: InFlight | undefined;

  constructor(
    private readonly send: (text: string) => void,
    private readonly timeoutMs: number,
  ) {}

  enqueue(action: string, payload: unknown): Promise<any> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ action, payload, resolve, reject });
      this.pump();
    });
  }

  /** Settles the in-flight call if `id` is its id; false when the answer is not ours. */
  answer(id: string, outcome: { payload: unknown } | { error: CallErrorResponse }): boolean {
    const call = this.inFlight;
    if (!call || call.id !== id) return false;
    this.finish(call);
    if ('error' in outcome) call.reject(outcome.error);
    else call.resolve(outcome.payload);
    return true;
  }

  failAll(error: Error): void {
    const call = this.inFlight;
    if (call) {
      this.finish(call);
      call.reject(error);
    }
    for (const pending of this.waiting.splice(0)) pending.reject(error);
  }

  private finish(call: InFlight): void {
    clearTimeout(call.timer);
    this.inFlight = undefined;
    setImmediate(() => this.pump());
  }

  private pump(): void {
    if (this.inFlight) return;
    const next = this.waiting.shift();
    if (!next) return;
    const id = randomUUID();
    const timer = setTimeout(() => {
      if (this.inFlight?.id !== id) return;
      this.finish(this.inFlight);
      next.reject(new Error(`${next.action} timed out after ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    this.inFlight = { ...next, id, timer };
    try {
      this.send(encodeCall(id, next.action, next.payload));
    } catch (error) {
      this.finish(this.inFlight);
      next.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
