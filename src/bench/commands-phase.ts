// The command round trip phase: getVariables mutations at a fixed rate while the benchmark's other
// stations stay connected. The commands go to a few stations of their own, held by a thread of
// their own: the thread holding thousands of stations pauses for its own collections (scavenges of
// 13–41 ms were traced there), and those pauses would be read as the CSMS's latency. A first
// second of commands warms up the path (compilation, HTTP connections) and is not counted.
import { runCommands, type Api } from './api-load';
import { LatencyBook } from './latency';
import { measured, type ProcWatcher } from './proc-stats';
import type { PhaseReport } from './report';
import { StationWorkers } from './worker-pool';

export const COMMAND_STATIONS = 20;
const WARM_UP_MS = 1000;
const CONNECT_TIMEOUT_MS = 30_000;

export interface CommandsPhaseOptions {
  api: Api;
  ocppUrl: string;
  stations: Array<{ id: string; password: string }>;
  rate: number;
  durationS: number;
  compress: boolean;
  graceMs: number;
}

export async function commandsPhase(watcher: ProcWatcher, o: CommandsPhaseOptions): Promise<PhaseReport> {
  const thread = new StationWorkers(1, o.compress);
  try {
    const [connected] = await thread.connect(o.ocppUrl, o.stations, performance.timeOrigin + performance.now(), CONNECT_TIMEOUT_MS);
    if (connected!.accepted !== o.stations.length) throw new Error(`commands: ${connected!.accepted}/${o.stations.length} command stations accepted`);
    const ids = o.stations.map((s) => s.id);
    await runCommands(o.api, ids, o.rate, WARM_UP_MS, o.graceMs);
    const m = await measured(watcher, () => runCommands(o.api, ids, o.rate, o.durationS * 1000, o.graceMs));
    const r = m.value;
    const book = new LatencyBook();
    book.merge(r.latencies);
    return {
      targetRate: o.rate, durationS: o.durationS, stations: o.stations.length, sent: r.sent, answered: r.ok,
      throughput: Math.round(r.ok / o.durationS), errors: r.errors, lost: r.lost,
      latency: book.summaries(), server: m.server, clientCpuPercent: m.clientCpuPercent,
    };
  } finally {
    await thread.closeStations().catch(() => {});
    await thread.terminate();
  }
}
