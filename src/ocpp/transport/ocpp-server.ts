// The only OCPP code that imports `ws`. Checks an upgrade before any 101 (subprotocol, identity,
// credentials), then adapts the websocket to an RpcSession; pings and drops dead peers.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isValidIdentity, offeredProtocols, stationIdFromPath } from './identity';
import { Keepalive } from './keepalive';
import type { UpgradeRateLimiter } from './rate-limit';
import { rejectUpgrade } from './reject';

export const OCPP_SUBPROTOCOL = 'ocpp2.0.1';
export const OCPP_PATH_PREFIX = '/ocpp/';

export type AuthResult<A> =
  | { ok: true; stationId: string; station: A }
  | { ok: false; status: 401 | 403 | 404 | 429 };

export interface OcppServerOptions<A> {
  maxPayloadBytes: number;
  maxFragments: number;
  pingIntervalS: number;
  authenticate(requestedId: string, req: IncomingMessage): Promise<AuthResult<A>>;
  onConnection(socket: WebSocket, station: A, req: IncomingMessage): void;
  onRefused(reason: string, detail: Record<string, unknown>): void;
  /** Failed attempts per client address; 429 once exhausted (rate-limit.ts). */
  rateLimiter?: UpgradeRateLimiter;
}

export interface OcppServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, pathname: string): void;
  /** SIGTERM: new upgrades are refused with 503 from now on. */
  stopAccepting(): void;
  /** Closes every station socket with 1001; resolves once all are closed (stragglers terminated after `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

export function createOcppServer<A>(options: OcppServerOptions<A>): OcppServer {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: options.maxPayloadBytes,
    maxFragments: options.maxFragments,
    maxBufferedChunks: options.maxFragments * 4,
    // Part 4 §3.3 (errata 2025-01): the CSMS SHALL support RFC 7692 compression.
    perMessageDeflate: { threshold: 1024, zlibDeflateOptions: { memLevel: 7, level: 3 }, concurrencyLimit: 10 },
    handleProtocols: () => OCPP_SUBPROTOCOL,
  });
  const sockets = new Set<WebSocket>();
  const keepalive = options.pingIntervalS > 0 ? new Keepalive<WebSocket>(options.pingIntervalS) : undefined;
  const stopKeepalive = keepalive?.start();

  const refuse = (socket: Duplex, status: number, reason: string, detail: Record<string, unknown>) => {
    options.onRefused(reason, { ...detail, status });
    const headers: Record<string, string> =
      status === 401 ? { 'WWW-Authenticate': 'Basic realm="OCPP", charset="UTF-8"' } : status === 429 ? { 'Retry-After': String(detail.retryAfterS) } : {};
    rejectUpgrade(socket, status, headers);
  };
  let accepting = true;

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, pathname: string) {
    socket.on('error', () => socket.destroy());
    if (!accepting) return refuse(socket, 503, 'shutting down', {});
    const remote = req.socket.remoteAddress;
    // Before any lookup or password hash: a flood of wrong passwords from one address stays cheap.
    const retryAfterS = options.rateLimiter?.retryAfterS(remote) ?? 0;
    if (retryAfterS > 0) return refuse(socket, 429, 'too many failed attempts from this address', { remote, retryAfterS });
    const requestedId = stationIdFromPath(pathname, OCPP_PATH_PREFIX);
    if (requestedId === undefined || !isValidIdentity(requestedId)) {
      return refuse(socket, 404, 'invalid station identity in path', {});
    }
    const protocols = offeredProtocols(req.headers['sec-websocket-protocol']);
    if (!protocols.includes(OCPP_SUBPROTOCOL)) {
      return refuse(socket, 400, 'no acceptable subprotocol', { stationId: requestedId, protocols });
    }
    const auth = await options.authenticate(requestedId, req);
    if (!auth.ok) {
      if (auth.status !== 429) options.rateLimiter?.recordFailure(remote);
      return refuse(socket, auth.status, 'authentication failed', { stationId: requestedId });
    }
    if (socket.destroyed) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      keepalive?.add(ws);
      ws.on('close', () => {
        sockets.delete(ws);
        keepalive?.delete(ws);
      });
      options.onConnection(ws, auth.station, req);
    });
  }

  return {
    handleUpgrade(req, socket, head, pathname) {
      handleUpgrade(req, socket, head, pathname).catch((err) => {
        // Credentials could not be checked (database unreachable): the station retries later.
        options.onRefused('upgrade failed', { err: String(err), status: 503 });
        rejectUpgrade(socket, 503, { 'Retry-After': '10' });
      });
    },
    stopAccepting() {
      accepting = false;
    },
    close(graceMs = 1000) {
      accepting = false;
      stopKeepalive?.();
      const open = [...sockets];
      for (const ws of open) ws.close(1001, 'CSMS shutting down');
      wss.close();
      if (open.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let left = open.length;
        // A peer that never answers the close frame is cut off after the grace period.
        const timer = setTimeout(() => open.forEach((ws) => ws.terminate()), graceMs);
        for (const ws of open) {
          ws.once('close', () => {
            if (--left > 0) return;
            clearTimeout(timer);
            resolve();
          });
        }
      });
    },
  };
}
