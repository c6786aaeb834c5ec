// Raw `ws` clients for upgrade tests: choose subprotocols and headers, and see exactly what the
// server answered — the HTTP status of a refused upgrade, or the 101's headers and extensions.
import type { IncomingHttpHeaders } from 'node:http';
import WebSocket, { type ClientOptions } from 'ws';

export type UpgradeOutcome =
  | { upgraded: true; status: 101; headers: IncomingHttpHeaders; ws: WebSocket; protocol: string; extensions: string }
  | { upgraded: false; status: number; headers: IncomingHttpHeaders; body: string };

export interface AttemptOptions {
  /** Subprotocols to offer; [] sends no Sec-WebSocket-Protocol header. */
  protocols?: string[];
  headers?: Record<string, string>;
  perMessageDeflate?: ClientOptions['perMessageDeflate'];
  timeoutMs?: number;
  /** wss:// only: CA to trust, client certificate and key (PEM), TLS versions. */
  tls?: Pick<ClientOptions, 'ca' | 'cert' | 'key' | 'minVersion' | 'maxVersion' | 'ciphers'>;
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Attempts an upgrade at `url` (path used verbatim) and reports the server's answer. */
export function attemptUpgrade(url: string, options: AttemptOptions = {}): Promise<UpgradeOutcome> {
  const { protocols = ['ocpp2.0.1'], headers = {}, perMessageDeflate = true, timeoutMs = 3000, tls = {} } = options;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { headers, perMessageDeflate, handshakeTimeout: timeoutMs, ...tls });
    let upgradeHeaders: IncomingHttpHeaders = {};
    let settled = false;
    const settle = (outcome: UpgradeOutcome | Error) => {
      if (settled) return;
      settled = true;
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    ws.on('upgrade', (res) => (upgradeHeaders = res.headers));
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        settle({ upgraded: false, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
        ws.terminate();
      });
      res.on('error', () => ws.terminate());
    });
    ws.on('open', () =>
      settle({ upgraded: true, status: 101, headers: upgradeHeaders, ws, protocol: ws.protocol, extensions: ws.extensions }),
    );
    ws.on('error', (err) => settle(err));
  });
}

/** Like attemptUpgrade but fails unless the server upgraded; returns the open socket. */
export async function openRaw(url: string, options: AttemptOptions = {}): Promise<WebSocket> {
  const outcome = await attemptUpgrade(url, options);
  if (!outcome.upgraded) throw new Error(`upgrade refused with HTTP ${outcome.status}`);
  return outcome.ws;
}

/** Resolves with the close code once the socket is closed. */
export function closeCode(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

/** Closes the socket and waits for it (force after a short grace period). */
export async function closeRaw(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return;
  const closed = closeCode(ws);
  ws.close(1000);
  const timer = setTimeout(() => ws.terminate(), 1000);
  await closed;
  clearTimeout(timer);
}

/**
 * Sends several text frames in one TCP write, so the server reads them in one chunk and handles
 * them back to back (a second frame cannot slip in only after the first was fully processed).
 */
export function sendInOneWrite(ws: WebSocket, texts: string[]): void {
  // `_socket` is ws's underlying net.Socket (not public API, stable across ws 8.x).
  const socket = (ws as unknown as { _socket?: import('node:net').Socket })._socket;
  if (!socket) throw new Error('ws socket not available');
  socket.cork();
  for (const text of texts) ws.send(text, { compress: false });
  socket.uncork();
}

/** Resolves with the next `count` text messages parsed as JSON, in arrival order. */
export function nextMessages(ws: WebSocket, count: number, timeoutMs = 2000): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    const messages: unknown[][] = [];
    const onMessage = (data: WebSocket.RawData) => {
      messages.push(JSON.parse(data.toString()) as unknown[]);
      if (messages.length === count) finish(() => resolve(messages));
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`got ${messages.length} of ${count} messages: ${JSON.stringify(messages)}`))),
      timeoutMs,
    );
    const finish = (done: () => void) => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      done();
    };
    ws.on('message', onMessage);
  });
}
