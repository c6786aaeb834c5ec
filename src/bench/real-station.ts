// One "real" station of the `authflood` scenario: connects from its own local address, boots, then
// sends Heartbeats on a fixed period and records their round trips. It answers the CSMS's calls
// like the other benchmark stations (onboarding sends a few).
import WebSocket from 'ws';
import { bootNotification, decodeFrame, replyToCsmsCall, heartbeat, newScriptState, type OutgoingMessage } from './station-script';

type Pending = { resolve(answer: { error?: string; payload?: any }): void; timer: NodeJS.Timeout };

export class RealStation {
  private ws: WebSocket | undefined;
  private nextId = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly script = newScriptState(0);
  private ticker: NodeJS.Timeout | undefined;
  /** Heartbeat round trips (ms) since the last `takeSamples`. */
  private samples: number[] = [];
  heartbeatErrors = 0;

  constructor(
    private readonly url: string,
    readonly id: string,
    private readonly password: string,
    private readonly localAddress: string,
  ) {}

  /** Opens the websocket: resolves with 101, or the refusing HTTP status, or 'error'. */
  connect(timeoutMs: number): Promise<'101' | string> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${this.url.replace(/\/$/, '')}/${encodeURIComponent(this.id)}`, 'ocpp2.0.1', {
        headers: { authorization: `Basic ${Buffer.from(`${this.id}:${this.password}`).toString('base64')}` },
        localAddress: this.localAddress,
        handshakeTimeout: timeoutMs,
        rejectUnauthorized: false,
      });
      this.ws = ws;
      ws.once('open', () => resolve('101'));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        ws.terminate();
        resolve(String(res.statusCode ?? 0));
      });
      ws.on('error', () => resolve('error'));
      ws.on('message', (data) => this.onFrame(data.toString()));
      ws.on('close', () => {
        for (const p of this.pending.values()) p.resolve({ error: 'closed' });
        this.pending.clear();
      });
    });
  }

  private onFrame(raw: string): void {
    const frame = decodeFrame(raw);
    if (!frame) return;
    if (frame[0] === 2) {
      this.ws?.send(replyToCsmsCall(frame, this.script));
      return;
    }
    const p = this.pending.get(frame[1]);
    if (!p) return;
    this.pending.delete(frame[1]);
    clearTimeout(p.timer);
    p.resolve(frame[0] === 4 ? { error: String(frame[2]) } : { payload: frame[2] });
  }

  /** Sends a CALL and waits for its answer (or 'timeout' / 'closed'). */
  call(message: OutgoingMessage, timeoutMs: number): Promise<{ error?: string; payload?: any }> {
    const id = String(++this.nextId);
    return new Promise((resolve) => {
      if (this.ws?.readyState !== WebSocket.OPEN) return resolve({ error: 'closed' });
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ error: 'timeout' });
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      this.ws.send(JSON.stringify([2, id, message.action, message.payload]));
    });
  }

  /** True when the BootNotification was Accepted. */
  async boot(timeoutMs: number): Promise<boolean> {
    const answer = await this.call(bootNotification(), timeoutMs);
    return !answer.error && answer.payload?.status === 'Accepted';
  }

  /** Heartbeats every `periodMs` (one in flight at most) until `stopHeartbeats`. */
  startHeartbeats(periodMs: number, timeoutMs: number): void {
    let busy = false;
    this.ticker = setInterval(() => {
      if (busy) return;
      busy = true;
      const t0 = performance.now();
      void this.call(heartbeat(), timeoutMs).then((answer) => {
        busy = false;
        if (answer.error) this.heartbeatErrors += 1;
        else this.samples.push(performance.now() - t0);
      });
    }, periodMs);
  }

  stopHeartbeats(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  takeSamples(): number[] {
    const out = this.samples;
    this.samples = [];
    return out;
  }

  close(): Promise<void> {
    this.stopHeartbeats();
    const ws = this.ws;
    this.ws = undefined;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => ws.terminate(), 2000);
      ws.once('close', () => {
        clearTimeout(kill);
        resolve();
      });
      ws.close(1000);
    });
  }
}
