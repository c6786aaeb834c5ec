// The main thread's side of the station workers: splits stations among threads, sends each the
// same request and gathers the answers.
import type { Worker } from 'node:worker_threads';
import { tsWorker } from './ts-worker';
import type { ConnectResult, LoadResult, WorkerRequest } from './worker-protocol';

type Body<R> = R extends unknown ? Omit<R, 'requestId'> : never;

export class StationWorkers {
  private readonly workers: Worker[];
  private nextRequest = 0;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  private failure: Error | undefined;

  constructor(count: number, compress: boolean) {
    this.workers = Array.from({ length: count }, () => {
      const worker = tsWorker(new URL('./station-worker.ts', import.meta.url), { workerData: { compress } });
      worker.on('message', (m: { requestId: number; result: unknown }) => {
        this.waiting.get(m.requestId)?.resolve(m.result);
        this.waiting.delete(m.requestId);
      });
      // A failed worker fails the run (the caller's cleanup still stops the children).
      worker.on('error', (err) => {
        this.failure = new Error(`station worker failed: ${err.stack ?? err}`);
        for (const w of this.waiting.values()) w.reject(this.failure);
        this.waiting.clear();
      });
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  private ask<T>(worker: Worker, body: Body<WorkerRequest>): Promise<T> {
    const requestId = ++this.nextRequest;
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...body, requestId });
    });
  }

  /** Connects and boots `stations` spread over the workers, all starting together. */
  connect(url: string, stations: Array<{ id: string; password: string }>, startAt: number, timeoutMs: number): Promise<ConnectResult[]> {
    return Promise.all(
      this.workers.map((w, i) =>
        this.ask<ConnectResult>(w, { op: 'connect', url, stations: stations.filter((_, j) => j % this.workers.length === i), startAt, timeoutMs }),
      ),
    );
  }

  /** Each worker gets an equal share of the aggregate rate. */
  load(mode: 'mix' | 'heartbeat', rate: number, durationMs: number, graceMs: number, runId: string): Promise<LoadResult[]> {
    const share = rate / this.workers.length;
    return Promise.all(this.workers.map((w) => this.ask<LoadResult>(w, { op: 'load', mode, rate: share, durationMs, graceMs, runId })));
  }

  async closeStations(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.ask(w, { op: 'close' })));
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
