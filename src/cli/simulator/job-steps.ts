// Helpers for the station's long-running maintenance jobs (firmware download, log upload): one job
// at a time per kind, cancellable, with waits that never keep the process alive.
import type { StationContext } from './station-context';

export interface Job {
  requestId: number;
  readonly abort: AbortController;
}

export class Cancelled extends Error {}

/** Waits `ms` (capped at one day) unless the job is cancelled first. */
export function pause(job: Job, ms: number): Promise<void> {
  if (job.abort.signal.aborted) return Promise.reject(new Cancelled());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, Math.max(0, Math.min(ms, 86_400_000)));
    timer.unref();
    job.abort.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Cancelled());
    }, { once: true });
  });
}

/** Milliseconds until an ISO date-time, 0 when absent, invalid or past. */
export function msUntil(value: unknown): number {
  if (typeof value !== 'string') return 0;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - Date.now());
}

/** Sends a status notification for the job unless it was cancelled meanwhile. */
export async function report(ctx: StationContext, job: Job, action: string, payload: Record<string, unknown>): Promise<void> {
  if (job.abort.signal.aborted) throw new Cancelled();
  await ctx.call(action, { ...payload, requestId: job.requestId });
}

/** Tracks the one running job of a kind: starting a new one cancels the old (…AcceptedCanceled). */
export class JobSlot {
  private current: Job | undefined;

  start(requestId: number): { job: Job; replaced: Job | undefined } {
    const replaced = this.current;
    replaced?.abort.abort();
    const job: Job = { requestId, abort: new AbortController() };
    this.current = job;
    return { job, replaced };
  }

  get running(): Job | undefined {
    return this.current;
  }

  finish(job: Job): void {
    if (this.current === job) this.current = undefined;
  }
}

/** Runs a job body after the response went out; cancellation and lost connections end it quietly. */
export function runJob(ctx: StationContext, slot: JobSlot, job: Job, body: () => Promise<void>, log?: (msg: string) => void): void {
  ctx.afterResponse(async () => {
    try {
      await body();
    } catch (error) {
      if (!(error instanceof Cancelled)) log?.(`job ${job.requestId} stopped: ${(error as Error).message}`);
    } finally {
      slot.finish(job);
    }
  });
}
