// TransactionEvents leave the station through this queue, strictly in the order they were made
// (E12/E13: while offline they are queued, marked offline, and replayed in order on reconnect). An
// event whose delivery failed because the connection went away stays first in line and is sent
// again with the same seqNo; a CALLERROR answer is retried MessageAttempts times (E13.FR).
import { CallErrorResponse } from './call-error';

export interface OutboxHost {
  online(): boolean;
  send(payload: unknown): Promise<any>;
  log(msg: string): void;
  /** TransactionEvent attempts after a CALLERROR (OCPPCommCtrlr.MessageAttempts). */
  attempts(): number;
  retryDelayMs: number;
}

type Payload = Record<string, unknown>;

interface Entry {
  payload: Payload;
  failures: number;
  delivered: (response: any) => void;
}

export class TxOutbox {
  private readonly queue: Entry[] = [];
  private pumping: Promise<void> | undefined;

  constructor(private readonly host: OutboxHost) {}

  get pending(): number {
    return this.queue.length;
  }

  /** E14: whether undelivered events are queued, of one transaction or (without an id) of any. */
  holds(transactionId?: string): boolean {
    return this.queue.some((e) => transactionId === undefined || transactionIdOf(e.payload) === transactionId);
  }

  /** Forgets everything queued (the station lost power); waiting callers resolve with undefined. */
  clear(): void {
    for (const entry of this.queue.splice(0)) entry.delivered(undefined);
  }

  /**
   * Queues an event. Online it resolves with the CSMS's response once delivered; offline (or if
   * the connection drops first) it resolves with undefined and the event waits for flush().
   */
  submit(payload: Payload): Promise<any> {
    if (!this.host.online()) payload.offline = true;
    return new Promise((resolve) => {
      this.queue.push({ payload, failures: 0, delivered: resolve });
      if (!this.host.online()) resolve(undefined);
      void this.flush();
    });
  }

  /** Sends what is queued, oldest first; stops (keeping the rest) when the connection is gone. */
  flush(): Promise<void> {
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
      // An event queued while the pump was finishing must not be left behind.
      if (this.queue.length > 0 && this.host.online()) void this.flush();
    });
    return this.pumping;
  }

  /** Resolves once everything queued so far was delivered (or the station went offline). */
  async drained(): Promise<void> {
    while (this.queue.length > 0 && this.host.online()) await this.flush();
  }

  /** Removes a sent entry; clear() may have emptied the queue while it was in flight. */
  private remove(entry: Entry): void {
    if (this.queue[0] === entry) this.queue.shift();
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && this.host.online()) {
      const entry = this.queue[0]!;
      try {
        const response = await this.host.send(entry.payload);
        this.remove(entry);
        entry.delivered(response);
      } catch (error) {
        if (!(error instanceof CallErrorResponse)) {
          // Connection lost or no answer: keep it first in line; resolve waiting callers.
          entry.delivered(undefined);
          if (this.host.online()) await delay(this.host.retryDelayMs);
          continue;
        }
        entry.failures++;
        this.host.log(`TransactionEvent seqNo ${String(entry.payload.seqNo)} refused: ${error.code}`);
        if (entry.failures >= this.host.attempts()) {
          this.remove(entry);
          entry.delivered(undefined);
          this.host.log('TransactionEvent dropped after MessageAttempts CALLERRORs');
        } else await delay(this.host.retryDelayMs);
      }
    }
  }
}

const transactionIdOf = (payload: Payload) => (payload.transactionInfo as { transactionId?: unknown } | undefined)?.transactionId;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
