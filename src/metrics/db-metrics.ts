// Database metrics: query latency by statement kind, failures, queries in flight against the pool size.
import { Gauge, type Registry } from 'prom-client';
import { DB_OPERATIONS, type DbObserver, type DbOperation } from '../db/instrument';
import { CellCounter, CellHistogram, type CounterCell, type HistogramCell } from './cells';

const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class DbMetrics implements DbObserver {
  private inFlight = 0;
  private readonly latency = new Map<DbOperation, HistogramCell>();
  private readonly failures = new Map<DbOperation, CounterCell>();

  constructor(registry: Registry, storage: string, poolSize: number) {
    const histogram = new CellHistogram(registry, 'chargegraph_db_query_duration_seconds',
      'Database round trip per statement (a transaction counts as one), by statement kind; includes waiting for a pooled connection',
      ['operation'], QUERY_BUCKETS);
    const errors = new CellCounter(registry, 'chargegraph_db_query_errors_total', 'Database statements that failed, by statement kind', ['operation']);
    for (const operation of DB_OPERATIONS) {
      this.latency.set(operation, histogram.cell({ operation }));
      this.failures.set(operation, errors.cell({ operation }));
    }
    const metrics = this;
    new Gauge({
      name: 'chargegraph_db_queries_in_flight', help: 'Statements sent and not yet answered (compare with the pool size)', registers: [registry],
      collect() {
        this.set(metrics.inFlight);
      },
    });
    const pool = new Gauge({
      name: 'chargegraph_db_pool_max_connections', help: 'Connections the pool may open (PGlite: 1)', labelNames: ['storage'], registers: [registry],
    });
    pool.set({ storage }, poolSize);
  }

  queryStarted(): void {
    this.inFlight += 1;
  }

  queryFinished(operation: DbOperation, seconds: number, ok: boolean): void {
    this.inFlight -= 1;
    this.latency.get(operation)!.observe(seconds);
    if (!ok) this.failures.get(operation)!.inc();
  }
}
