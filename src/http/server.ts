// The one HTTP server: routes requests and websocket upgrades by path.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { rejectUpgrade } from '../ocpp/transport/reject';
import { closeIdleConnectionsAfter } from './idle-connections';

export interface Routes {
  health(): Promise<{ status: number; body: unknown }>;
  graphql(req: IncomingMessage, res: ServerResponse): Promise<void>;
  ocppUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, pathname: string): void;
  graphqlUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** GET-only routes by exact path: /ready and /metrics (src/http/probe-routes.ts). */
  probes?: ReadonlyMap<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
  /** /files and /uploads (src/files/file-routes.ts); resolves false when the path is not one of its own. */
  files?(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
  /** A connection without a complete request or upgrade by then is closed (idle-connections.ts). */
  idleConnectionTimeoutMs?: number;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Server options both listeners share (the TLS one adds its secure context, see tls-server.ts). */
// handshakeTimeout (TLS listener only): a TCP connection that never completes the TLS handshake is dropped.
// headersTimeout is only a backstop: Node checks it from a timer, before the loop reads its sockets, so
// after a busy stretch (a boot storm) it failed upgrades whose headers had arrived but were not read
// yet. Incomplete requests are closed by idle-connections.ts, which decides after the reads.
export const HTTP_SERVER_OPTIONS = { requestTimeout: 30_000, headersTimeout: 30_000, connectionsCheckingInterval: 2_000, handshakeTimeout: 10_000 } as const;

export function createHttpServer(routes: Routes, onError: (err: unknown) => void): Server {
  const server = createServer(HTTP_SERVER_OPTIONS);
  routeRequests(server, routes, onError);
  return server;
}

/** The one routing table, attached to the plain server and to the TLS server alike. */
export function routeRequests(server: Server | HttpsServer, routes: Routes, onError: (err: unknown) => void): void {
  if (routes.idleConnectionTimeoutMs) closeIdleConnectionsAfter(server, routes.idleConnectionTimeoutMs);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    const handle = async () => {
      if (path === '/health' && req.method === 'GET') {
        const { status, body } = await routes.health();
        return sendJson(res, status, body);
      }
      if (path === '/graphql') return routes.graphql(req, res);
      if (req.method === 'GET' && routes.probes?.has(path)) return routes.probes.get(path)!(req, res);
      if (routes.files && (await routes.files(req, res, path))) return;
      sendJson(res, 404, { error: 'Not Found' });
    };
    handle().catch((err) => {
      onError(err);
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal Server Error' });
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = pathOf(req);
    if (path.startsWith('/ocpp/')) return routes.ocppUpgrade(req, socket, head, path);
    if (path === '/graphql') return routes.graphqlUpgrade(req, socket, head);
    rejectUpgrade(socket, 404);
  });
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });
}
