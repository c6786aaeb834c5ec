// The benchmark report: a JSON document and a table for the terminal, with the issue's targets
// checked against what was measured (the targets live here, never in a timed test).
import type { LatencySummary } from './latency';
import type { MachineInfo } from './machine';
import type { ProcUsage } from './proc-stats';

export interface PhaseReport {
  durationS?: number;
  /** Messages (or commands, deliveries) answered per second over the phase. */
  throughput?: number;
  sent?: number;
  answered?: number;
  errors: Record<string, number>;
  lost: number;
  latency: Record<string, LatencySummary>;
  server: ProcUsage | null;
  clientCpuPercent: number;
  [extra: string]: unknown;
}

export interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface BenchReport {
  tool: 'chargegraph-bench';
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  storage: 'pglite' | 'postgres' | 'external';
  target: string;
  options: Record<string, unknown>;
  phases: Record<string, PhaseReport>;
  targets: Target[];
}

const errorCount = (p: PhaseReport) => Object.values(p.errors).reduce((a, b) => a + b, 0);

export function checkTargets(phases: Record<string, PhaseReport>): Target[] {
  const out: Target[] = [];
  const t = (name: string, target: string, measured: string, met: boolean) => out.push({ name, target, measured, met });
  const storm = phases.storm;
  if (storm) {
    const all = storm.accepted === storm.stations;
    t('boot storm', 'all Accepted within 30 s, none refused', `${storm.accepted}/${storm.stations} in ${((storm.timeToAllAcceptedMs as number) / 1000).toFixed(1)} s, ${errorCount(storm)} refused/failed${typeof storm.settledAfterMs === 'number' ? `; follow-up work done ${(storm.settledAfterMs / 1000).toFixed(1)} s later` : ''}`,
      all && errorCount(storm) === 0 && (storm.timeToAllAcceptedMs as number) <= 30_000);
  }
  const reconnect = phases.reconnect;
  if (reconnect) {
    t('reconnect storm', 'all Accepted within 30 s, none refused', `${reconnect.accepted}/${reconnect.stations} in ${((reconnect.timeToAllAcceptedMs as number) / 1000).toFixed(1)} s, ${errorCount(reconnect)} refused/failed`,
      reconnect.accepted === reconnect.stations && errorCount(reconnect) === 0 && (reconnect.timeToAllAcceptedMs as number) <= 30_000);
  }
  const idle = phases.idle;
  if (idle?.server) t('idle memory', 'server RSS < 1 GB', `${idle.server.rssMb} MB with ${idle.connected} stations`, idle.server.rssMb < 1024);
  const mix = phases.mix;
  if (mix) {
    const p99 = mix.latency.all?.p99 ?? Infinity;
    t('steady mix', `≥ ${mix.targetRate} msg/s, p99 ≤ 20 ms, no errors, none lost`,
      `${mix.throughput} msg/s, p99 ${p99} ms, ${errorCount(mix)} errors, ${mix.lost} lost`,
      (mix.throughput ?? 0) >= (mix.targetRate as number) * 0.98 && p99 <= 20 && errorCount(mix) === 0 && mix.lost === 0);
  }
  const hb = phases.heartbeat;
  const ceiling = phases.ceiling;
  if (hb && ceiling && ceiling.throughput) {
    const ratio = (hb.throughput ?? 0) / ceiling.throughput;
    t('heartbeat vs ceiling', '≥ 50 % of the canned-reply ceiling', `${hb.throughput} / ${ceiling.throughput} msg/s = ${Math.round(ratio * 100)} %`, ratio >= 0.5);
  }
  const commands = phases.commands;
  if (commands) {
    const p99 = commands.latency.getVariables?.p99 ?? Infinity;
    t('command round trip', `p99 ≤ 20 ms at ${commands.targetRate}/s`, `p99 ${p99} ms at ${commands.throughput}/s, ${errorCount(commands)} errors`, p99 <= 20 && errorCount(commands) === 0);
  }
  const subs = phases.subscriptions;
  if (subs) {
    const p99 = subs.latency.meterValuesReceived?.p99 ?? Infinity;
    t('subscription delivery', `p99 ≤ 50 ms with ${subs.subscribers} subscribers`, `p99 ${p99} ms, ${subs.lost} lost`, p99 <= 50 && subs.lost === 0);
  }
  const flood = phases.authflood;
  if (flood) {
    // Issue 5 §4: 401 then 429 for the flood, nothing else; the real stations connect, boot and are not slowed.
    const st = flood.statuses as Record<string, number>;
    const real = flood.realStations as { stations: number; connected: number; booted: number };
    const n401 = st['401'] ?? 0;
    const n429 = st['429'] ?? 0;
    const other = (flood.attempts as number) - n401 - n429;
    const during = flood.latency['Heartbeat during'];
    const p99 = during?.count ? during.p99 : Infinity;
    t('auth flood', `${flood.attempts} wrong passwords from one address: only 401/429 (≥ 1 each); other address: all connect + boot, Heartbeat p99 ≤ 20 ms`,
      `401 × ${n401}, 429 × ${n429}, other/failed ${other}, ${flood.throughput} attempts/s; ${real.connected}/${real.stations} connected, ${real.booted} Accepted; ` +
        `Heartbeat p99 ${p99} ms (before: ${flood.latency['Heartbeat before']?.p99 ?? '–'} ms)`,
      n401 >= 1 && n429 >= 1 && other === 0 && real.connected === real.stations && real.booted === real.stations && p99 <= 20);
  }
  return out;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

export function renderTable(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Chargegraph benchmark — ${report.storage} — ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB — node ${m.node} — rev ${m.gitRevision.slice(0, 12)}`,
    `load average at start: ${m.loadAverage.join(' ')}`,
    '',
    `${'phase'.padEnd(14)}${'action'.padEnd(22)}${pad('count', 9)}${pad('p50', 9)}${pad('p95', 9)}${pad('p99', 9)}${pad('max', 9)}${pad('/s', 9)}${pad('errors', 8)}${pad('lost', 7)}`,
  ];
  for (const [phase, p] of Object.entries(report.phases)) {
    const rows = Object.entries(p.latency);
    rows.forEach(([action, s], i) => {
      const first = i === 0;
      lines.push(
        `${(first ? phase : '').padEnd(14)}${action.padEnd(22)}${pad(s.count, 9)}${pad(s.p50, 9)}${pad(s.p95, 9)}${pad(s.p99, 9)}${pad(s.max, 9)}` +
          `${pad(first ? (p.throughput ?? '') : '', 9)}${pad(first ? errorCount(p) : '', 8)}${pad(first ? p.lost : '', 7)}`,
      );
    });
    if (rows.length === 0) lines.push(phase);
    const server = p.server ? `server RSS ${p.server.rssMb} MB (max ${p.server.maxRssMb}), CPU ${p.server.cpuPercent} %` : 'server: n/a';
    lines.push(`${''.padEnd(14)}${server}; load generator CPU ${p.clientCpuPercent} %${errorCount(p) ? `; errors ${JSON.stringify(p.errors)}` : ''}`);
    const loop = p.loadGeneratorLoopDelayMs as { p99: number; max: number } | undefined;
    if (loop) lines.push(`${''.padEnd(14)}load generator's own event-loop delay: p99 ${loop.p99} ms, max ${loop.max} ms (answers read that late)`);
  }
  lines.push('', 'latencies in ms; CPU 100 % = one core', '');
  for (const target of report.targets) lines.push(`${target.met ? 'MET   ' : 'MISSED'} ${target.name}: ${target.target} — ${target.measured}`);
  return lines.join('\n');
}
