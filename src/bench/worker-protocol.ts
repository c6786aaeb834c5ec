// Messages between the benchmark's main thread and its station worker threads.
export type WorkerRequest = { requestId: number } & (
  | { op: 'connect'; url: string; stations: Array<{ id: string; password: string }>; startAt: number; timeoutMs: number }
  | { op: 'load'; mode: 'mix' | 'heartbeat'; rate: number; durationMs: number; graceMs: number; runId: string }
  | { op: 'close' }
);

export interface ConnectResult {
  accepted: number;
  /** Boot answers other than Accepted (Pending, Rejected, or a CALLERROR code). */
  notAccepted: Record<string, number>;
  /** Upgrades refused with an HTTP status. */
  refused: Record<string, number>;
  /** Connections that failed before any HTTP answer, by cause (an error code such as ECONNRESET, or `closed` before the boot was answered). */
  failed: Record<string, number>;
  timedOut: number;
  /** Milliseconds from the common start to each Accepted. */
  bootMs: Float64Array;
  lastAcceptedAt: number;
}

export interface LoadResult {
  latencies: Record<string, Float64Array>;
  sent: number;
  answered: number;
  /** CALLERRORs by `action:code`. */
  errors: Record<string, number>;
  /** CALLs still unanswered after the grace period. */
  lost: number;
  stations: number;
  disconnects: number;
  csmsCalls: number;
  /** This thread's own event-loop delay over the phase (ms): answers read late inflate the latencies by up to this. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}
