// GET /metrics (Prometheus text) and GET /ready, served by path from src/http/server.ts.
// /metrics is open on the API port like a usual Prometheus target unless METRICS_TOKEN is set,
// then it needs `Authorization: Bearer <token>` (Prometheus: `authorization: { credentials: … }`).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from '../metrics/metrics';
import type { Readiness } from './readiness';

export type ProbeRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface ProbeOptions {
  readiness: Readiness;
  /** Absent when METRICS_ENABLED=false: /metrics is then 404 like any unknown path. */
  metrics?: Metrics;
  metricsToken?: string;
}

function send(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function probeRoutes(options: ProbeOptions): Map<string, ProbeRoute> {
  const routes = new Map<string, ProbeRoute>();
  routes.set('/ready', async (_req, res) => {
    const { status, body } = await options.readiness.check();
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  });
  const { metrics, metricsToken } = options;
  if (metrics) {
    routes.set('/metrics', async (req, res) => {
      if (metricsToken && !tokenMatches(req.headers.authorization, metricsToken)) {
        return send(res, 401, 'application/json; charset=utf-8', JSON.stringify({ error: 'Unauthorized' }), { 'www-authenticate': 'Bearer' });
      }
      send(res, 200, metrics.contentType, await metrics.render());
    });
  }
  return routes;
}
