// Messages between the `authflood` scenario (auth-flood.ts) and its flood thread (auth-flood-worker.ts).
export interface FloodJob {
  /** ws(s)://host:port/ocpp */
  url: string;
  stationId: string;
  /** The wrong password every attempt offers. */
  password: string;
  attempts: number;
  /** Attempts in flight at once. */
  concurrency: number;
  /** Attempts started per second at most (0: as fast as answers come). */
  rate: number;
  localAddress: string;
  timeoutMs: number;
}

export interface FloodResult {
  attempts: number;
  /** Answers by HTTP status ("401", "429", anything else is a failure of the scenario). */
  statuses: Record<string, number>;
  /** Connections reset or refused before any HTTP answer. */
  connectionErrors: number;
  timedOut: number;
  /** Milliseconds from request to answer, by status. */
  latencyMs: Record<string, number[]>;
  durationMs: number;
}

export type FloodMessage = { type: 'first429' } | { type: 'done'; result: FloodResult };
