// Opening the station's websocket (OCPP 2.0.1 Part 4 §3 and Part 2 A00 security profile 1).
import WebSocket from 'ws';

export interface SocketOptions {
  url: string;
  id: string;
  password?: string;
  protocols: string[];
  extraHeaders?: Record<string, string>;
}

/** Refused websocket upgrade; `statusCode` is the HTTP status the CSMS answered with. */
export class UpgradeRefused extends Error {
  constructor(readonly statusCode: number) {
    super(`HTTP ${statusCode}`);
    this.name = 'UpgradeRefused';
  }
}

export function createSocket(o: SocketOptions): WebSocket {
  const headers: Record<string, string> = { ...o.extraHeaders };
  if (o.password !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${o.id}:${o.password}`).toString('base64')}`;
  }
  const base = o.url.replace(/\/+$/, '');
  return new WebSocket(`${base}/${encodeURIComponent(o.id)}`, o.protocols, { headers });
}

export function whenOpen(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    let refused: UpgradeRefused | undefined;
    const cleanup = () => {
      ws.off('open', onOpen);
      ws.off('error', onError);
      ws.off('close', onClose);
    };
    const onOpen = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(refused ?? error);
    };
    const onClose = () => {
      cleanup();
      reject(refused ?? new Error('connection closed during the websocket handshake'));
    };
    ws.once('unexpected-response', (_request, response) => {
      refused = new UpgradeRefused(response.statusCode ?? 0);
      response.resume();
      ws.terminate();
    });
    ws.on('open', onOpen);
    ws.on('error', onError);
    ws.on('close', onClose);
  });
}
