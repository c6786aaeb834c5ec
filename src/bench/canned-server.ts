// The ceiling: a `ws` server with the CSMS's websocket settings that answers every CALL with a
// canned CALLRESULT at once. No validation, no storage: what the wire and `ws` cost on this machine.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const now = new Date().toISOString();
const CANNED: Record<string, string> = {
  BootNotification: JSON.stringify({ currentTime: now, interval: 300, status: 'Accepted' }),
  Heartbeat: JSON.stringify({ currentTime: now }),
  Authorize: JSON.stringify({ idTokenInfo: { status: 'Accepted' } }),
};

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({
  server,
  clientTracking: false,
  perMessageDeflate: { threshold: 1024, zlibDeflateOptions: { memLevel: 7, level: 3 }, concurrencyLimit: 10 },
  handleProtocols: () => 'ocpp2.0.1',
});
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (!Array.isArray(frame) || frame[0] !== 2) return;
    ws.send(`[3,${JSON.stringify(frame[1])},${CANNED[frame[2]] ?? '{}'}]`);
  });
  ws.on('error', () => {});
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
