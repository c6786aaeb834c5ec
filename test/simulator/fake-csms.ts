// A minimal CSMS for exercising the simulator: accepts boots, answers {} to everything else.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ReceivedCall {
  action: string;
  payload: any;
  frame: unknown[];
}

export class FakeCsms {
  readonly received: ReceivedCall[] = [];
  private readonly log: ReceivedCall[] = [];
  readonly requests: IncomingMessage[] = [];
  private readonly sockets: WebSocket[] = [];
  private readonly waiters: Array<{ action: string; resolve: (call: ReceivedCall) => void }> = [];
  private readonly pending = new Map<string, (frame: unknown[]) => void>();
  /** Answers per action; null leaves the CALL unanswered. */
  readonly responders = new Map<string, ((payload: any) => unknown) | null>();

  private constructor(private readonly wss: WebSocketServer) {
    wss.on('connection', (ws, request) => {
      this.sockets.push(ws);
      this.requests.push(request);
      ws.on('message', (data) => this.onMessage(ws, JSON.parse(data.toString()) as unknown[]));
    });
  }

  static async start(): Promise<FakeCsms> {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      handleProtocols: () => 'ocpp2.0.1',
      verifyClient: ({ req }, done) => (req.url?.includes('/BAD') ? done(false, 401) : done(true)),
    });
    await new Promise((resolve) => wss.once('listening', resolve));
    return new FakeCsms(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/ocpp`;
  }

  get connectionCount(): number {
    return this.sockets.length;
  }

  /** Oldest not yet taken CALL of `action` from the station, waiting if needed. */
  take(action: string, timeoutMs = 3000): Promise<ReceivedCall> {
    const index = this.received.findIndex((c) => c.action === action);
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${action} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ action, resolve: (call) => (clearTimeout(timer), resolve(call)) });
    });
  }

  /** Sends a CALL on the latest connection; resolves with the station's answer frame. */
  call(action: string, payload: unknown): Promise<unknown[]> {
    const id = randomUUID();
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.sendRaw(JSON.stringify([2, id, action, payload]));
    });
  }

  sendRaw(text: string): void {
    this.sockets.at(-1)?.send(text);
  }

  /** Every CALL of `action` received so far (taken or not), oldest first. */
  all(action: string): ReceivedCall[] {
    return this.log.filter((c) => c.action === action);
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise((resolve) => this.wss.close(resolve));
  }

  private onMessage(ws: WebSocket, frame: unknown[]): void {
    const [type, id, action, payload] = frame;
    if (type !== 2) {
      this.pending.get(id as string)?.(frame);
      this.pending.delete(id as string);
      return;
    }
    const respond = this.responders.get(action as string);
    if (respond === null) {
      this.log.push({ action: action as string, payload, frame }); // never answered: the station's call times out
      return;
    }
    const response = respond
      ? respond(payload)
      : action === 'BootNotification'
        ? { currentTime: new Date().toISOString(), interval: 300, status: 'Accepted' }
        : action === 'Authorize'
          ? { idTokenInfo: { status: 'Accepted' } }
          : {};
    ws.send(JSON.stringify([3, id, response]));
    const call = { action: action as string, payload, frame };
    this.log.push(call);
    const waiter = this.waiters.findIndex((w) => w.action === call.action);
    if (waiter >= 0) this.waiters.splice(waiter, 1)[0]!.resolve(call);
    else this.received.push(call);
  }
}
