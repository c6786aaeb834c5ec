// Resource use of a process read from /proc (Linux): resident memory and CPU time, so the server's
// numbers stay apart from the load generator's. Elsewhere the readings are absent (null).
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ProcSample {
  at: number;
  rssBytes: number;
  cpuSeconds: number;
}

export function readProc(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { at: Date.now(), rssBytes: rssKb * 1024, cpuSeconds: (utime + stime) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

export interface ProcUsage {
  /** Resident memory at the end of the window and the highest sampled in it. */
  rssMb: number;
  maxRssMb: number;
  /** CPU over the window, 100 = one core busy. */
  cpuPercent: number;
}

/** Samples a process every second; `window()` reports use since the last `mark()`. */
export class ProcWatcher {
  private timer: NodeJS.Timeout | undefined;
  private start: ProcSample | null = null;
  private maxRss = 0;

  constructor(private readonly pid: number | undefined) {}

  begin(): void {
    if (this.pid === undefined) return;
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  private sample(): ProcSample | null {
    const s = this.pid === undefined ? null : readProc(this.pid);
    if (s) this.maxRss = Math.max(this.maxRss, s.rssBytes);
    return s;
  }

  mark(): void {
    this.start = this.sample();
    this.maxRss = this.start?.rssBytes ?? 0;
  }

  window(): ProcUsage | null {
    const end = this.sample();
    if (!end || !this.start) return null;
    const wall = (end.at - this.start.at) / 1000;
    return {
      rssMb: Math.round(end.rssBytes / 1048576),
      maxRssMb: Math.round(this.maxRss / 1048576),
      cpuPercent: wall > 0 ? Math.round(((end.cpuSeconds - this.start.cpuSeconds) / wall) * 1000) / 10 : 0,
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** CPU of this (load generator) process, all threads, as a percentage of one core since `since`. */
export function clientCpu(since: { cpu: NodeJS.CpuUsage; at: number }): number {
  const used = process.cpuUsage(since.cpu);
  const wall = (Date.now() - since.at) / 1000;
  return wall > 0 ? Math.round(((used.user + used.system) / 1e6 / wall) * 1000) / 10 : 0;
}

/**
 * Waits until the process uses less than `belowPercent` of a core over `windowMs` (work that a
 * storm leaves behind: onboarding requests, reconciliation checks), at most `maxMs`. Resolves with the
 * time waited; without a pid (a CSMS elsewhere) it just waits `windowMs`.
 */
export async function waitUntilQuiet(pid: number | undefined, belowPercent = 15, windowMs = 500, maxMs = 60_000): Promise<number> {
  const started = Date.now();
  let previous = pid === undefined ? null : readProc(pid);
  for (;;) {
    await new Promise((r) => setTimeout(r, windowMs));
    const current = pid === undefined ? null : readProc(pid);
    if (!previous || !current) return Date.now() - started;
    const percent = ((current.cpuSeconds - previous.cpuSeconds) / ((current.at - previous.at) / 1000)) * 100;
    if (percent < belowPercent || Date.now() - started >= maxMs) return Date.now() - started;
    previous = current;
  }
}

/** Measures a phase: server resources and load generator CPU over `run`. */
export async function measured<T>(watcher: ProcWatcher, run: () => Promise<T>) {
  watcher.mark();
  const since = { cpu: process.cpuUsage(), at: Date.now() };
  const started = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - started) / 1000, server: watcher.window(), clientCpuPercent: clientCpu(since) };
}
