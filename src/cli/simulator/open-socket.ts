// Opening the station's websocket (OCPP 2.0.1 Part 4 §3 and Part 2 A00 security profile 1).
import WebSocket from 'ws';

/** wss:// settings (A00 profiles 2 and 3), PEM text. */
export interface TlsClientOptions {
  /** CA certificate(s) the CSMS server certificate must chain to (default: the system roots). */
  ca?: string;
  /** Profile 3: the station's client certificate (chain) and its private key. */
  cert?: string;
  key?: string;
}

/** How the station connects; the station may change it between connections (e.g. a profile switch). */
export interface SocketOptions {
  url: string;
  id: string;
  /** Basic auth (profiles 1 and 2); not sent when a client certificate is used (profile 3). */
  password?: string;
  protocols: string[];
  extraHeaders?: Record<string, string>;
  tls?: TlsClientOptions;
}

/** The security profile these options connect with: 3 with a client certificate, 2 over wss, else 1. */
export function securityProfileOf(o: Pick<SocketOptions, 'url' | 'tls'>): 1 | 2 | 3 {
  if (!o.url.startsWith('wss:')) return 1;
  return o.tls?.cert !== undefined ? 3 : 2;
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
  const profile = securityProfileOf(o);
  if (o.password !== undefined && profile !== 3) {
    headers.Authorization = `Basic ${Buffer.from(`${o.id}:${o.password}`).toString('base64')}`;
  }
  const base = o.url.replace(/\/+$/, '');
  const tls = profile === 1 ? {} : {
    ...(o.tls?.ca !== undefined && { ca: o.tls.ca }),
    ...(profile === 3 && { cert: o.tls!.cert, key: o.tls!.key }),
    minVersion: 'TLSv1.2' as const,
  };
  return new WebSocket(`${base}/${encodeURIComponent(o.id)}`, o.protocols, { headers, ...tls });
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
