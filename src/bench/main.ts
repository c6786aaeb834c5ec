// `npm run bench`: provisions stations, storms, drives the mix, measures heartbeat throughput
// against a canned-reply ceiling, command round trips, subscription latency and idle memory,
// then prints a table and writes a JSON report. See HELP in options.ts and the README.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionStations, type Api } from './api-load';
import { authFloodPhase, runAuthFlood } from './auth-flood';
import { repoRoot, startCanned, startCsms, type Child } from './children';
import { COMMAND_STATIONS, commandsPhase } from './commands-phase';
import { LatencyBook, summarize } from './latency';
import { machineInfo } from './machine';
import { HELP, parseOptions, UsageError, type BenchOptions } from './options';
import { measured, ProcWatcher, waitUntilQuiet } from './proc-stats';
import { checkTargets, renderTable, type BenchReport, type PhaseReport } from './report';
import { createScratchDatabase, type ScratchDatabase } from './scratch-postgres';
import { runSubscriptions } from './subscriptions';
import { StationWorkers } from './worker-pool';
import type { ConnectResult, LoadResult } from './worker-protocol';

const GRACE_MS = 10_000;
/**
 * The mix's first seconds on a fresh CSMS run its code unoptimized and prepare each statement on
 * each pooled connection: a backlog of ~2 s forms and drains. The mix is measured after this many
 * seconds at the same rate (not counted), as the commands phase is after its own warm-up.
 */
const MIX_WARM_UP_S = 5;
const BOOT_TIMEOUT_MS = 120_000;

type StationCred = { id: string; password: string };

function say(options: BenchOptions, text: string): void {
  if (!options.quiet) process.stderr.write(`bench: ${text}\n`);
}

const sum = (list: Array<Record<string, number>>) => {
  const out: Record<string, number> = {};
  for (const r of list) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
};

async function storm(workers: StationWorkers, watcher: ProcWatcher, url: string, stations: StationCred[]): Promise<PhaseReport> {
  const startAt = performance.timeOrigin + performance.now();
  const m = await measured(watcher, () => workers.connect(url, stations, startAt, BOOT_TIMEOUT_MS));
  const results: ConnectResult[] = m.value;
  const accepted = results.reduce((n, r) => n + r.accepted, 0);
  const boot = new LatencyBook();
  for (const r of results) boot.merge({ BootNotification: r.bootMs });
  const refused = sum(results.map((r) => r.refused));
  const notAccepted = sum(results.map((r) => r.notAccepted));
  const failed = sum(results.map((r) => r.failed));
  const timedOut = results.reduce((n, r) => n + r.timedOut, 0);
  const errors: Record<string, number> = { ...Object.fromEntries(Object.entries(refused).map(([k, v]) => [`HTTP ${k}`, v])), ...notAccepted };
  for (const [cause, n] of Object.entries(failed)) errors[`connectionFailed ${cause}`] = n;
  if (timedOut) errors.timedOut = timedOut;
  return {
    stations: stations.length, accepted, timeToAllAcceptedMs: Math.round(Math.max(...results.map((r) => r.lastAcceptedAt)) - startAt),
    durationS: Math.round(m.seconds * 10) / 10, errors, lost: 0, latency: boot.summaries(), server: m.server, clientCpuPercent: m.clientCpuPercent,
  };
}

async function load(workers: StationWorkers, watcher: ProcWatcher, mode: 'mix' | 'heartbeat', rate: number, seconds: number, runId: string): Promise<PhaseReport> {
  const m = await measured(watcher, () => workers.load(mode, rate, seconds * 1000, GRACE_MS, runId));
  const results: LoadResult[] = m.value;
  const book = new LatencyBook();
  for (const r of results) book.merge(r.latencies);
  const answered = results.reduce((n, r) => n + r.answered, 0);
  const latency = { ...book.summaries(), all: summarize(book.all()) };
  const disconnects = results.reduce((n, r) => n + r.disconnects, 0);
  const errors = sum(results.map((r) => r.errors));
  if (disconnects) errors.disconnects = disconnects;
  return {
    targetRate: rate, durationS: seconds, stations: results.reduce((n, r) => n + r.stations, 0),
    sent: results.reduce((n, r) => n + r.sent, 0), answered, throughput: Math.round(answered / seconds),
    errors, lost: results.reduce((n, r) => n + r.lost, 0), latency, server: m.server, clientCpuPercent: m.clientCpuPercent,
    loadGeneratorLoopDelayMs: {
      p99: Math.max(0, ...results.map((r) => round1(r.loopDelayP99Ms))),
      max: Math.max(0, ...results.map((r) => round1(r.loopDelayMaxMs))),
    },
  };
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const has = (s: string) => options.scenarios.includes(s as never);
  const startedAt = new Date();
  const runId = Date.now().toString(36);
  const machine = machineInfo(repoRoot);
  const phases: Record<string, PhaseReport> = {};
  // The bench stations are provisioned only for the scenarios that use them (not for subscriptions or authflood alone).
  const usesStations = !options.provision || ['storm', 'mix', 'heartbeat', 'commands', 'idle'].some(has);
  const total = usesStations ? Math.max(has('idle') ? options.idleStations : 0, options.stations) : 0;
  const stations: StationCred[] = Array.from({ length: total }, (_, i) => ({
    id: `${options.idPrefix}${i + 1}`,
    password: options.provision ? `bench-${runId}-${i + 1}-pw` : options.password!,
  }));
  const subscriptionStation = { id: `${options.idPrefix}sub`, password: `bench-${runId}-sub-pw` };
  const commandStations: StationCred[] = has('commands') && options.provision
    ? Array.from({ length: COMMAND_STATIONS }, (_, i) => ({ id: `${options.idPrefix}cmd-${i + 1}`, password: `bench-${runId}-cmd-${i + 1}-pw` }))
    : [];
  // authflood's real stations: their own when provisioning, else the first of the given ones.
  const floodCount = has('authflood') ? Math.max(1, options.floodStations) * 2 : 0;
  const floodStations: StationCred[] = options.provision
    ? Array.from({ length: floodCount }, (_, i) => ({ id: `${options.idPrefix}flood-${i + 1}`, password: `bench-${runId}-flood-${i + 1}-pw` }))
    : stations.slice(0, floodCount);
  let scratch: ScratchDatabase | undefined;
  let csms: Child | undefined;
  let api: Api | undefined;
  let ocppUrl = options.url ?? '';
  const workers = new StationWorkers(options.workers, options.compress);
  // Interrupted (Ctrl-C): stop the child and drop the scratch database before leaving.
  const interrupted = () => {
    say(options, 'interrupted, cleaning up');
    void Promise.allSettled([csms?.stop(), scratch?.drop()]).then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    if (options.provision) {
      if (options.db === 'postgres') {
        scratch = await createScratchDatabase(options.postgresUrl);
        say(options, `scratch database ${new URL(scratch.url).pathname.slice(1)}`);
      }
      const key = `bench-admin-${randomBytes(18).toString('base64url')}`;
      csms = await startCsms({ databaseUrl: scratch?.url, adminKey: key, logLevel: options.logLevel, cpuProfDir: options.cpuProf });
      say(options, `CSMS pid ${csms.pid} on port ${csms.port} (log ${csms.logFile})`);
      api = { httpUrl: `http://127.0.0.1:${csms.port}`, key };
      ocppUrl = `ws://127.0.0.1:${csms.port}/ocpp`;
      const t0 = performance.now();
      await provisionStations(api, [...stations, subscriptionStation, ...floodStations, ...commandStations]);
      say(options, `provisioned ${total + 1 + floodStations.length + commandStations.length} stations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const watcher = new ProcWatcher(csms?.pid);
    watcher.begin();
    const active = stations.slice(0, options.stations);
    if (['storm', 'mix', 'heartbeat', 'commands'].some(has)) {
      say(options, `storm: ${active.length} stations connect and boot at once`);
      const report = await storm(workers, watcher, ocppUrl, active);
      // Onboarding requests and reconciliation checks the boots started run on after the last
      // Accepted; the next phase starts once the CSMS is quiet, and the report says how long that took.
      await new Promise((r) => setTimeout(r, 2000));
      const settledMs = 2000 + (await waitUntilQuiet(csms?.pid));
      say(options, `storm: the CSMS was quiet ${(settledMs / 1000).toFixed(1)} s after the last boot`);
      if (has('storm')) phases.storm = { ...report, settledAfterMs: settledMs };
    }
    if (has('mix')) {
      say(options, `mix: ${MIX_WARM_UP_S} s of warm-up, then ${options.rate} msg/s for ${options.duration} s`);
      await workers.load('mix', options.rate, MIX_WARM_UP_S * 1000, GRACE_MS, runId);
      phases.mix = await load(workers, watcher, 'mix', options.rate, options.duration, runId);
    }
    if (has('heartbeat')) {
      say(options, `heartbeat: ${options.heartbeatRate || 'closed-loop'} for ${options.heartbeatDuration} s`);
      phases.heartbeat = await load(workers, watcher, 'heartbeat', options.heartbeatRate, options.heartbeatDuration, runId);
    }
    if (has('commands') && api) {
      say(options, `commands: ${options.commandRate}/s for ${options.commandDuration} s to ${commandStations.length} stations (${active.length} more connected)`);
      phases.commands = await commandsPhase(watcher, {
        api, ocppUrl, stations: commandStations, rate: options.commandRate, durationS: options.commandDuration,
        compress: options.compress, graceMs: GRACE_MS,
      });
    }
    if (has('storm')) {
      // The same stations drop and come back at once (a network blip): credentials already verified.
      await workers.closeStations();
      await new Promise((r) => setTimeout(r, 2000));
      say(options, `reconnect: ${active.length} stations reconnect and boot at once`);
      phases.reconnect = await storm(workers, watcher, ocppUrl, active);
    }
    if (has('subscriptions') && api && csms) {
      say(options, `subscriptions: ${options.subscribers} subscribers, ${options.subscriptionRate} events/s for ${options.subscriptionDuration} s`);
      const m = await measured(watcher, () =>
        runSubscriptions({
          ocppUrl, graphqlWsUrl: `ws://127.0.0.1:${csms!.port}/graphql`, key: api!.key, station: subscriptionStation,
          subscribers: options.subscribers, rate: options.subscriptionRate, durationMs: options.subscriptionDuration * 1000,
          workers: Math.max(1, options.workers), graceMs: 3000,
        }),
      );
      const r = m.value;
      phases.subscriptions = {
        subscribers: r.subscribers, events: r.events, expected: r.expected, answered: r.delivered, durationS: options.subscriptionDuration,
        throughput: Math.round(r.delivered / options.subscriptionDuration), errors: r.errors, lost: r.lost,
        latency: new LatencyBookFrom(r.latencies).summaries(), server: m.server, clientCpuPercent: m.clientCpuPercent,
      };
    }
    if (has('idle')) {
      const more = stations.slice(options.stations);
      say(options, `idle: ${more.length} more stations connect, then ${options.idleSeconds} s idle`);
      const m = await measured(watcher, async () => {
        const results = more.length > 0 ? await workers.connect(ocppUrl, more, performance.timeOrigin + performance.now(), BOOT_TIMEOUT_MS) : [];
        await new Promise((r) => setTimeout(r, options.idleSeconds * 1000));
        return results;
      });
      const connected = options.stations * (['storm', 'mix', 'heartbeat', 'commands'].some(has) ? 1 : 0) + m.value.reduce((n, r) => n + r.accepted, 0);
      phases.idle = { connected, errors: {}, lost: 0, latency: {}, server: m.server, clientCpuPercent: m.clientCpuPercent };
    }
    await workers.closeStations();
    if (has('authflood')) {
      // Last against the CSMS: afterwards 127.0.0.1 stays rate-limited for minutes.
      const half = Math.ceil(floodStations.length / 2);
      say(options, `authflood: ${options.floodAttempts} wrong-password upgrades from 127.0.0.1 (${options.floodConcurrency} in flight${options.floodRate ? `, ≤ ${options.floodRate}/s` : ''}), ${floodStations.length} real stations from 127.0.0.2`);
      const m = await measured(watcher, () =>
        runAuthFlood({
          url: ocppUrl, steady: floodStations.slice(0, half), joining: floodStations.slice(half), attempts: options.floodAttempts,
          concurrency: options.floodConcurrency, rate: options.floodRate, baselineMs: options.floodBaseline * 1000,
        }),
      );
      phases.authflood = authFloodPhase(m.value, m);
    }
    watcher.stop();
    if (csms) await csms.stop();
    csms = undefined;
    if (has('heartbeat')) {
      const canned = await startCanned();
      try {
        const cannedWatcher = new ProcWatcher(canned.pid);
        cannedWatcher.begin();
        say(options, `ceiling: ${active.length} stations against the canned-reply server`);
        await storm(workers, cannedWatcher, `ws://127.0.0.1:${canned.port}/ocpp`, active);
        phases.ceiling = await load(workers, cannedWatcher, 'heartbeat', options.heartbeatRate, options.heartbeatDuration, runId);
        cannedWatcher.stop();
        await workers.closeStations();
      } finally {
        await canned.stop();
      }
    }
  } finally {
    await workers.terminate();
    if (csms) await csms.stop();
    if (scratch) await scratch.drop();
  }
  const report: BenchReport = {
    tool: 'chargegraph-bench', startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine,
    storage: options.provision ? options.db : 'external', target: options.provision ? 'chargegraph (child process)' : ocppUrl,
    options: { ...options, password: options.password ? '[redacted]' : undefined }, phases, targets: checkTargets(phases),
  };
  const out = options.out ?? join(tmpdir(), `chargegraph-bench-${runId}.json`);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${renderTable(report)}\n\nJSON report: ${out}\n`);
}

class LatencyBookFrom extends LatencyBook {
  constructor(samples: Record<string, ArrayLike<number>>) {
    super();
    this.merge(samples);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(err instanceof UsageError ? (err.message === HELP ? 0 : 2) : 1);
  },
);
