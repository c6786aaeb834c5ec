// The one HTTP server: routes requests and websocket upgrades by path.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { rejectUpgrade } from '../ocpp/transport/reject';

export interface Routes {
  health(): Promise<{ status: number; body: unknown }>;
  graphql(req: IncomingMessage, res: ServerResponse): Promise<void>;
  ocppUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, pathname: string): void;
  graphqlUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
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

export function createHttpServer(routes: Routes, onError: (err: unknown) => void): Server {
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, (req, res) => {
    const path = pathOf(req);
    const handle = async () => {
      if (path === '/health' && req.method === 'GET') {
        const { status, body } = await routes.health();
        return sendJson(res, status, body);
      }
      if (path === '/graphql') return routes.graphql(req, res);
      sendJson(res, 404, { error: 'Not Found' });
    };
    handle().catch((err) => {
      onError(err);
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal Server Error' });
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const path = pathOf(req);
    if (path.startsWith('/ocpp/')) return routes.ocppUpgrade(req, socket, head, path);
    if (path === '/graphql') return routes.graphqlUpgrade(req, socket, head);
    rejectUpgrade(socket, 404);
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
