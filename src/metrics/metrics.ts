// One metrics registry per app (tests start several apps in one process), plus the process-wide
// default metrics (CPU, memory, event loop, GC) collected once per process and appended on scrape.
import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { OCPP_ACTIONS } from '../ocpp/generated/actions';
import { DbMetrics } from './db-metrics';
import { GraphqlMetrics } from './graphql-metrics';
import { OcppMetrics } from './ocpp-metrics';

export interface Metrics {
  readonly registry: Registry;
  readonly ocpp: OcppMetrics;
  readonly graphql: GraphqlMetrics;
  readonly db: DbMetrics;
  readonly contentType: string;
  /** The Prometheus text exposition of this app's metrics and the process metrics. */
  render(): Promise<string>;
}

export interface MetricsOptions {
  storage: 'pglite' | 'postgres';
  poolSize: number;
}

let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

function version(): string {
  try {
    return String(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  const info = new Gauge({
    name: 'chargegraph_info', help: 'Always 1; labels carry the version and the storage backend',
    labelNames: ['version', 'storage'], registers: [registry],
  });
  info.set({ version: version(), storage: options.storage }, 1);
  const shared = processMetrics();
  return {
    registry,
    ocpp: new OcppMetrics(registry, OCPP_ACTIONS),
    graphql: new GraphqlMetrics(registry),
    db: new DbMetrics(registry, options.storage, options.poolSize),
    contentType: registry.contentType,
    async render() {
      const [own, proc] = await Promise.all([registry.metrics(), shared.metrics()]);
      return `${own}\n${proc}`;
    },
  };
}
