// Counters and histograms whose hot path is plain arithmetic on a cached "cell" (no label hashing,
// no allocation); prom-client reads the cells only when /metrics is scraped.
//   prom-client's own labels(...).inc() hashes the label object on every call, which is the
//   per-message allocation we avoid for OCPP traffic and database queries.
import { Counter, type Metric, type Registry } from 'prom-client';

export type Labels<L extends string> = Record<L, string>;

export class CounterCell {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }
  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.counts[i]! += 1;
        return;
      }
    }
  }
}

function keyOf<L extends string>(names: readonly L[], labels: Labels<L>): string {
  return names.map((n) => labels[n]).join('\u0001');
}

/** A prom-client Counter fed from cells. `cell()` allocates: call it once per label set and keep the cell. */
export class CellCounter<L extends string> {
  private readonly cells = new Map<string, { labels: Labels<L>; cell: CounterCell }>();

  constructor(registry: Registry, name: string, help: string, private readonly labelNames: readonly L[]) {
    const cells = this.cells;
    new Counter<L>({
      name, help, labelNames, registers: [registry],
      collect() {
        this.reset();
        for (const { labels, cell } of cells.values()) if (cell.value > 0) this.inc(labels, cell.value);
      },
    });
  }

  cell(labels: Labels<L>): CounterCell {
    const key = keyOf(this.labelNames, labels);
    let entry = this.cells.get(key);
    if (!entry) this.cells.set(key, (entry = { labels: { ...labels }, cell: new CounterCell() }));
    return entry.cell;
  }
}

/**
 * A histogram fed from cells. prom-client offers no public way to load bucket counts into its
 * Histogram, so this is registered as a metric of its own: the registry only calls name/help/type,
 * get() and reset() (prom-client's documented duck type for `registerMetric`).
 */
export class CellHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly cells = new Map<string, { labels: Labels<L>; cell: HistogramCell }>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    private readonly buckets: readonly number[],
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  cell(labels: Labels<L>): HistogramCell {
    const key = keyOf(this.labelNames, labels);
    let entry = this.cells.get(key);
    if (!entry) this.cells.set(key, (entry = { labels: { ...labels }, cell: new HistogramCell(this.buckets) }));
    return entry.cell;
  }

  async get() {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const { labels, cell } of this.cells.values()) {
      if (cell.count === 0) continue;
      let cumulative = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        cumulative += cell.counts[i]!;
        values.push({ labels: { ...labels, le: this.buckets[i]! }, value: cumulative, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { ...labels, le: '+Inf' }, value: cell.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: cell.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: cell.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const { cell } of this.cells.values()) {
      cell.counts.fill(0);
      cell.sum = 0;
      cell.count = 0;
    }
  }
}
