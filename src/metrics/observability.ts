// Metrics and readiness for one app, built from the config and the open database (wired in app.ts).
import type { Config } from '../config';
import type { Database } from '../db/client';
import { instrumentDatabase, poolSize } from '../db/instrument';
import { probeRoutes, type ProbeRoute } from '../http/probe-routes';
import { createReadiness, type Readiness } from '../http/readiness';
import { createMetrics, type Metrics } from './metrics';

export interface Observability {
  /** Undefined with METRICS_ENABLED=false (nothing is counted, /metrics is 404). */
  metrics: Metrics | undefined;
  readiness: Readiness;
  /** GET routes by path for src/http/server.ts: /ready and /metrics. */
  probes: Map<string, ProbeRoute>;
}

export function createObservability(config: Readonly<Config>, database: Database): Observability {
  const metrics = config.metricsEnabled ? createMetrics({ storage: database.kind, poolSize: poolSize(database) }) : undefined;
  if (metrics) instrumentDatabase(database, metrics.db);
  const readiness = createReadiness(database);
  return { metrics, readiness, probes: probeRoutes({ readiness, metrics, metricsToken: config.metricsToken }) };
}
