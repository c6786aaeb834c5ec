// The `authflood` scenario (issue 5 §4): wrong-password upgrades from one address (127.0.0.1) get
// 401, then 429 once the address's failure budget is spent, without slowing other stations; the
// attacked station itself, from another address (127.0.0.2), still connects.
//   1. `steady` stations connect from 127.0.0.2, boot and send Heartbeats: the baseline latency;
//   2. the flood starts (its own thread, auth-flood-worker.ts) against the first `joining` station's id;
//   3. at its first 429 the `joining` stations (the attacked one included) connect from 127.0.0.2 and boot;
//   4. all real stations send Heartbeats until the flood ends: the latency during the flood.
import type { PhaseReport } from './report';
import { summarize } from './latency';
import { RealStation } from './real-station';
import { tsWorker } from './ts-worker';
import type { FloodJob, FloodMessage, FloodResult } from './auth-flood-protocol';

export interface AuthFloodOptions {
  url: string;
  steady: Array<{ id: string; password: string }>;
  joining: Array<{ id: string; password: string }>;
  attempts: number;
  concurrency: number;
  /** Attempts per second at most (0: closed loop). */
  rate: number;
  baselineMs: number;
  floodAddress?: string;
  stationAddress?: string;
}

export interface AuthFloodResult {
  flood: FloodResult;
  victimId: string;
  stations: number;
  /** Upgrade answers of the real stations by status ('101' = connected). */
  connectStatuses: Record<string, number>;
  booted: number;
  /** Joining stations Accepted before the flood was over. */
  bootedDuringFlood: number;
  heartbeatErrors: number;
  heartbeatBefore: number[];
  heartbeatDuring: number[];
  /** The same split at the first 429: while attempts still reach the password check, and after. */
  heartbeatUnlimited: number[];
  heartbeatLimited: number[];
  /** Joining stations: connect + BootNotification, ms. */
  joinMs: number[];
}

const HEARTBEAT_PERIOD_MS = 20;
const TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connects and boots one real station; starts its Heartbeats when Accepted. */
async function join(st: RealStation, statuses: Record<string, number>): Promise<boolean> {
  const status = await st.connect(TIMEOUT_MS);
  statuses[status] = (statuses[status] ?? 0) + 1;
  if (status !== '101' || !(await st.boot(TIMEOUT_MS))) return false;
  st.startHeartbeats(HEARTBEAT_PERIOD_MS, TIMEOUT_MS);
  return true;
}

export async function runAuthFlood(o: AuthFloodOptions): Promise<AuthFloodResult> {
  const address = o.stationAddress ?? '127.0.0.2';
  const victim = o.joining[0] ?? o.steady[0];
  if (!victim) throw new Error('authflood needs at least one real station');
  const steady = o.steady.map((s) => new RealStation(o.url, s.id, s.password, address));
  const joining = o.joining.map((s) => new RealStation(o.url, s.id, s.password, address));
  const connectStatuses: Record<string, number> = {};
  try {
    const steadyBooted = await Promise.all(steady.map((st) => join(st, connectStatuses)));
    await sleep(o.baselineMs);
    const heartbeatBefore = steady.flatMap((st) => st.takeSamples());

    const job: FloodJob = {
      url: o.url, stationId: victim.id, password: `wrong-${victim.password}-x`, attempts: o.attempts,
      concurrency: o.concurrency, rate: o.rate, localAddress: o.floodAddress ?? '127.0.0.1', timeoutMs: TIMEOUT_MS,
    };
    const worker = tsWorker(new URL('./auth-flood-worker.ts', import.meta.url), { workerData: job });
    let floodOver = false;
    let firstLimited!: () => void;
    const limited = new Promise<void>((resolve) => (firstLimited = resolve));
    const done = new Promise<FloodResult>((resolve, reject) => {
      worker.on('message', (m: FloodMessage) => {
        if (m.type === 'first429') firstLimited();
        else resolve(m.result);
      });
      worker.on('error', reject);
    }).finally(() => {
      floodOver = true;
      firstLimited();
    });
    done.catch(() => {}); // awaited below; a failed flood thread fails the run there
    try {
      await limited;
      const heartbeatUnlimited = steady.flatMap((st) => st.takeSamples());
      const joinMs: number[] = [];
      let bootedDuringFlood = 0;
      const joinings = joining.map(async (st) => {
        const t0 = performance.now();
        const ok = await join(st, connectStatuses);
        if (ok) joinMs.push(performance.now() - t0);
        if (ok && !floodOver) bootedDuringFlood += 1;
        return ok;
      });
      const flood = await done;
      const heartbeatLimited = [...steady, ...joining].flatMap((st) => st.takeSamples());
      const joiningBooted = await Promise.all(joinings);
      return {
        flood, victimId: victim.id, stations: steady.length + joining.length, connectStatuses,
        booted: [...steadyBooted, ...joiningBooted].filter(Boolean).length, bootedDuringFlood,
        heartbeatErrors: [...steady, ...joining].reduce((n, st) => n + st.heartbeatErrors, 0),
        heartbeatBefore, heartbeatDuring: [...heartbeatUnlimited, ...heartbeatLimited], heartbeatUnlimited, heartbeatLimited, joinMs,
      };
    } finally {
      await worker.terminate();
    }
  } finally {
    await Promise.all([...steady, ...joining].map((st) => st.close()));
  }
}

/** The scenario as a report phase; `measured` is the server and load generator usage over it. */
export function authFloodPhase(r: AuthFloodResult, measured: Pick<PhaseReport, 'server' | 'clientCpuPercent'>): PhaseReport {
  const f = r.flood;
  const errors: Record<string, number> = {};
  for (const [status, n] of Object.entries(f.statuses)) if (status !== '401' && status !== '429') errors[`HTTP ${status}`] = n;
  if (f.connectionErrors) errors.connectionErrors = f.connectionErrors;
  if (f.timedOut) errors.timedOut = f.timedOut;
  for (const [status, n] of Object.entries(r.connectStatuses)) if (status !== '101') errors[`real station upgrade ${status}`] = n;
  const connected = r.connectStatuses['101'] ?? 0;
  if (connected > r.booted) errors['real station boot not Accepted'] = connected - r.booted;
  if (r.heartbeatErrors) errors['real station Heartbeat failed'] = r.heartbeatErrors;
  const seconds = f.durationMs / 1000;
  const latency: PhaseReport['latency'] = {};
  for (const status of Object.keys(f.latencyMs).sort()) latency[`upgrade ${status}`] = summarize(f.latencyMs[status]!);
  latency['Heartbeat before'] = summarize(r.heartbeatBefore);
  latency['Heartbeat during'] = summarize(r.heartbeatDuring);
  latency['Heartbeat 401 phase'] = summarize(r.heartbeatUnlimited);
  latency['Heartbeat 429 phase'] = summarize(r.heartbeatLimited);
  latency['connect+boot during'] = summarize(r.joinMs);
  return {
    attempts: f.attempts, durationS: Math.round(seconds * 100) / 100, throughput: seconds > 0 ? Math.round(f.attempts / seconds) : 0,
    answered: (f.statuses['401'] ?? 0) + (f.statuses['429'] ?? 0), statuses: f.statuses, victimId: r.victimId,
    realStations: { stations: r.stations, connected, booted: r.booted, bootedDuringFlood: r.bootedDuringFlood },
    errors, lost: 0, latency, server: measured.server, clientCpuPercent: measured.clientCpuPercent,
  };
}
