// Half-open and idle connections: a client that connects and never completes an HTTP request or a
// websocket upgrade (silent TCP, headers trickled byte by byte) is closed after `timeoutMs`. Node's
// own headersTimeout does not cover a connection that sends nothing at all, and is only checked
// every connectionsCheckingInterval. On the TLS listener the timer starts after the handshake
// (the handshake itself is bounded by the server's handshakeTimeout, HTTP_SERVER_OPTIONS).
import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';

export function closeIdleConnectionsAfter(server: Server | HttpsServer, timeoutMs: number): void {
  const timers = new WeakMap<Socket, NodeJS.Timeout>();
  const started = (socket: Socket) => {
    clearTimeout(timers.get(socket));
    timers.delete(socket);
  };
  const arm = (socket: Socket) => {
    const timer: NodeJS.Timeout = setTimeout(() => {
      // Timers run before the event loop reads sockets: after a busy stretch the request may be
      // waiting unread. Decide after this turn's reads (a request or upgrade calls `started`).
      setImmediate(() => {
        if (timers.get(socket) !== timer) return;
        timers.delete(socket);
        socket.destroy();
      });
    }, timeoutMs);
    timer.unref();
    timers.set(socket, timer);
    socket.once('close', () => started(socket));
  };
  server.on(server instanceof TlsServer ? 'secureConnection' : 'connection', arm);
  // A complete request or upgrade ends the wait; keep-alive idling afterwards is keepAliveTimeout's job.
  server.prependListener('request', (req) => started(req.socket));
  server.prependListener('upgrade', (req) => started(req.socket));
}
