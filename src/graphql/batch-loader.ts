// A per-request batch loader: keys requested in one tick are fetched with one query.
export class BatchLoader<K, V> {
  private pending = new Map<K, Array<(value: V) => void>>();
  private failures = new Map<K, Array<(err: unknown) => void>>();
  private cache = new Map<K, Promise<V>>();

  constructor(private readonly fetch: (keys: K[]) => Promise<Map<K, V>>, private readonly fallback: V) {}

  load(key: K): Promise<V> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const promise = new Promise<V>((resolve, reject) => {
      if (this.pending.size === 0) queueMicrotask(() => void this.flush());
      this.pending.set(key, [...(this.pending.get(key) ?? []), resolve]);
      this.failures.set(key, [...(this.failures.get(key) ?? []), reject]);
    });
    this.cache.set(key, promise);
    return promise;
  }

  private async flush(): Promise<void> {
    const pending = this.pending;
    const failures = this.failures;
    this.pending = new Map();
    this.failures = new Map();
    try {
      const values = await this.fetch([...pending.keys()]);
      for (const [key, resolvers] of pending) for (const r of resolvers) r(values.get(key) ?? this.fallback);
    } catch (err) {
      for (const rejecters of failures.values()) for (const r of rejecters) r(err);
    }
  }
}
