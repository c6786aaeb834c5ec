// Latency samples (milliseconds) and their summary: count, mean, p50/p95/p99, max.
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const n = sorted.length;
  return {
    count: n,
    mean: n ? round(sum / n) : 0,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: n ? round(sorted[n - 1]!) : 0,
  };
}

/** Samples grouped by a name (an OCPP action), growable, mergeable across workers. */
export class LatencyBook {
  private readonly byName = new Map<string, number[]>();

  add(name: string, ms: number): void {
    let list = this.byName.get(name);
    if (!list) this.byName.set(name, (list = []));
    list.push(ms);
  }

  merge(other: Record<string, ArrayLike<number>>): void {
    for (const [name, values] of Object.entries(other)) for (const v of Array.from(values)) this.add(name, v);
  }

  /** Plain arrays, for postMessage. */
  export(): Record<string, Float64Array> {
    return Object.fromEntries([...this.byName].map(([k, v]) => [k, Float64Array.from(v)]));
  }

  all(): number[] {
    return [...this.byName.values()].flat();
  }

  summaries(): Record<string, LatencySummary> {
    const out: Record<string, LatencySummary> = {};
    for (const name of [...this.byName.keys()].sort()) out[name] = summarize(this.byName.get(name)!);
    return out;
  }
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across worker threads. */
export const nowMs = () => performance.timeOrigin + performance.now();
