// OCPP traffic metrics: the RpcObserver the sessions report to, plus gauges read from the station
// registry at scrape time. Label values are bounded: actions outside OCPP 2.0.1 count as "unknown",
// error codes outside Part 4 Table 8 as "other", so a hostile station cannot grow the series.
import { Gauge, type Registry } from 'prom-client';
import type { StationRegistry } from '../ocpp/registry';
import { RPC_ERROR_CODES } from '../ocpp/rpc/errors';
import type { FlowDirection, FrameKind, OutgoingOutcome, RpcObserver } from '../ocpp/rpc/observer';
import { CellCounter, CellHistogram, type CounterCell, type HistogramCell } from './cells';

export const UNKNOWN_ACTION = 'unknown';
export const OTHER_CODE = 'other';
const DIRECTIONS: readonly FlowDirection[] = ['in', 'out'];
const KINDS: readonly FrameKind[] = ['call', 'result', 'error', 'invalid'];
/** Seconds; 20 ms is the benchmark's p99 target, so it is a bucket edge. */
export const HANDLER_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ROUND_TRIP_BUCKETS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const UPGRADE_STATUSES = ['101', '400', '401', '403', '404', '429', '500'];

type Table<T> = Map<string, T>;

export class OcppMetrics implements RpcObserver {
  private readonly known: Set<string>;
  private readonly messages: Record<FlowDirection, Record<FrameKind, Table<CounterCell>>>;
  private readonly errors: Record<FlowDirection, Table<Table<CounterCell>>>;
  private readonly handled: Table<HistogramCell> = new Map();
  private readonly outgoing: Table<Table<CounterCell>> = new Map();
  private readonly roundTrips: Table<HistogramCell> = new Map();
  private readonly upgrades: Table<CounterCell> = new Map();
  private readonly errorCounter: CellCounter<'direction' | 'code' | 'action'>;
  private readonly outgoingCounter: CellCounter<'action' | 'outcome'>;
  private stations: StationRegistry | undefined;

  constructor(registry: Registry, actions: readonly string[]) {
    this.known = new Set(actions);
    const all = [...actions, UNKNOWN_ACTION];
    const messages = new CellCounter(registry, 'chargegraph_ocpp_messages_total',
      'OCPP-J frames by direction (in = from stations), type and action (for answers: the action of the CALL answered)',
      ['direction', 'type', 'action']);
    const table = <T>(make: (action: string) => T): Table<T> => new Map(all.map((a) => [a, make(a)]));
    const byKind = (direction: FlowDirection) =>
      Object.fromEntries(KINDS.map((type) => [type, table((action) => messages.cell({ direction, type, action }))])) as Record<FrameKind, Table<CounterCell>>;
    this.messages = { in: byKind('in'), out: byKind('out') };

    this.errorCounter = new CellCounter(registry, 'chargegraph_ocpp_call_errors_total',
      'CALLERRORs by direction (out = sent by the CSMS), RPC error code and action', ['direction', 'code', 'action']);
    const codes = () => new Map([...RPC_ERROR_CODES, OTHER_CODE].map((c) => [c, new Map<string, CounterCell>()]));
    this.errors = Object.fromEntries(DIRECTIONS.map((d) => [d, codes()])) as Record<FlowDirection, Table<Table<CounterCell>>>;

    const handler = new CellHistogram(registry, 'chargegraph_ocpp_handler_duration_seconds',
      'Time to answer an incoming CALL (validation, handler, response validation), by action', ['action'], HANDLER_BUCKETS);
    for (const action of all) this.handled.set(action, handler.cell({ action }));

    this.outgoingCounter = new CellCounter(registry, 'chargegraph_ocpp_outgoing_calls_total',
      'CALLs sent by the CSMS, by action and outcome (result, CallError, Timeout, StationOffline, …)', ['action', 'outcome']);
    const roundTrip = new CellHistogram(registry, 'chargegraph_ocpp_outgoing_call_duration_seconds',
      'Round trip of CALLs sent by the CSMS that were answered, by action', ['action'], ROUND_TRIP_BUCKETS);
    for (const action of all) {
      this.outgoing.set(action, new Map());
      this.roundTrips.set(action, roundTrip.cell({ action }));
    }

    const upgrades = new CellCounter(registry, 'chargegraph_ocpp_upgrades_total',
      'OCPP websocket upgrade attempts by HTTP status (101 = accepted)', ['status']);
    for (const status of [...UPGRADE_STATUSES, OTHER_CODE]) this.upgrades.set(status, upgrades.cell({ status }));

    const metrics = this;
    new Gauge({
      name: 'chargegraph_ocpp_stations_connected', help: 'Stations with an open OCPP connection', registers: [registry],
      collect() {
        this.set(metrics.stations?.size ?? 0);
      },
    });
    new Gauge({
      name: 'chargegraph_ocpp_outgoing_calls_pending', help: 'CALLs to stations in flight or queued', registers: [registry],
      collect() {
        let pending = 0;
        if (metrics.stations) for (const session of metrics.stations.all()) pending += session.pendingOutgoing;
        this.set(pending);
      },
    });
  }

  /** The connected-station registry the gauges read at scrape time. */
  trackStations(stations: StationRegistry): void {
    this.stations = stations;
  }

  private actionKey(action: string | undefined): string {
    return action !== undefined && this.known.has(action) ? action : UNKNOWN_ACTION;
  }

  frame(direction: FlowDirection, kind: FrameKind, action: string | undefined, errorCode?: string): void {
    const key = this.actionKey(action);
    this.messages[direction][kind].get(key)!.inc();
    if (kind !== 'error') return;
    const codes = this.errors[direction];
    const byAction = codes.get(errorCode ?? OTHER_CODE) ?? codes.get(OTHER_CODE)!;
    let cell = byAction.get(key);
    if (!cell) {
      const code = codes.has(errorCode ?? '') ? errorCode! : OTHER_CODE;
      byAction.set(key, (cell = this.errorCounter.cell({ direction, code, action: key })));
    }
    cell.inc();
  }

  callHandled(action: string, seconds: number): void {
    this.handled.get(this.actionKey(action))!.observe(seconds);
  }

  outgoingSettled(action: string, seconds: number, outcome: OutgoingOutcome): void {
    const key = this.actionKey(action);
    const byOutcome = this.outgoing.get(key)!;
    let cell = byOutcome.get(outcome);
    if (!cell) byOutcome.set(outcome, (cell = this.outgoingCounter.cell({ action: key, outcome })));
    cell.inc();
    if (outcome === 'result') this.roundTrips.get(key)!.observe(seconds);
  }

  /** One upgrade attempt answered with this HTTP status (101 when the station was accepted). */
  upgrade(status: number): void {
    (this.upgrades.get(String(status)) ?? this.upgrades.get(OTHER_CODE)!).inc();
  }
}
