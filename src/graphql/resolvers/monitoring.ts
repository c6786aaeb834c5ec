// N02–N08: monitoring commands, the stored monitors and the link from a NotifyEvent to its monitor.
import { sendClearVariableMonitoring } from '../../blocks/diagnostics/ClearVariableMonitoring';
import { sendGetMonitoringReport, type GetMonitoringReportInput } from '../../blocks/diagnostics/GetMonitoringReport';
import { monitoringSetting } from '../../blocks/diagnostics/monitoring-settings';
import { sendSetMonitoringBase } from '../../blocks/diagnostics/SetMonitoringBase';
import { sendSetMonitoringLevel } from '../../blocks/diagnostics/SetMonitoringLevel';
import { sendSetVariableMonitoring } from '../../blocks/diagnostics/SetVariableMonitoring';
import { findMonitors, listMonitors, monitorsOfVariables, type MonitorWithTarget } from '../../db/queries/monitors';
import { listMonitorEvents } from '../../db/queries/monitor-events';
import { BatchLoader } from '../batch-loader';
import type { GraphqlContext } from '../context';
import type { Resolvers } from '../generated/resolvers';
import { command } from './commands';
import { pageSize } from './stations';

interface Loaders {
  byVariable: BatchLoader<number, MonitorWithTarget[]>;
  byStationMonitor: BatchLoader<string, MonitorWithTarget | null>;
}
const loaders = new WeakMap<GraphqlContext, Loaders>();

function loadersOf(context: GraphqlContext): Loaders {
  let l = loaders.get(context);
  if (l) return l;
  const db = context.services.db;
  l = {
    byVariable: new BatchLoader(async (ids) => {
      const map = new Map<number, MonitorWithTarget[]>();
      for (const m of await monitorsOfVariables(db, ids)) map.set(m.monitor.variableId, [...(map.get(m.monitor.variableId) ?? []), m]);
      return map;
    }, []),
    // Keys are JSON [stationId, monitorId]; one query per station among the keys.
    byStationMonitor: new BatchLoader(async (keys) => {
      const byStation = new Map<string, number[]>();
      for (const k of keys) {
        const [stationId, monitorId] = JSON.parse(k) as [string, number];
        byStation.set(stationId, [...(byStation.get(stationId) ?? []), monitorId]);
      }
      const map = new Map<string, MonitorWithTarget | null>();
      for (const [stationId, ids] of byStation) {
        for (const m of await findMonitors(db, stationId, ids)) map.set(JSON.stringify([stationId, m.monitor.monitorId]), m);
      }
      return map;
    }, null),
  };
  loaders.set(context, l);
  // A subscription keeps its context for every event: cache only within one round of resolving.
  setImmediate(() => loaders.delete(context));
  return l;
}

const intOrNull = (value: string | undefined) => (value === undefined || !Number.isInteger(Number(value)) ? null : Number(value));

export const monitoringResolvers: Resolvers = {
  Mutation: {
    setVariableMonitoring: command(sendSetVariableMonitoring),
    clearVariableMonitoring: command(sendClearVariableMonitoring),
    setMonitoringBase: command(sendSetMonitoringBase),
    setMonitoringLevel: command(sendSetMonitoringLevel),
    getMonitoringReport: command(async (ctx, input: GetMonitoringReportInput) => {
      const { response, report } = await sendGetMonitoringReport(ctx, input);
      return { ...response, report };
    }),
  },
  Station: {
    monitors: (s, { filter, first }, { services }) =>
      listMonitors(
        services.db,
        s.id,
        { component: filter?.component ?? undefined, variable: filter?.variable ?? undefined, evseId: filter?.evseId ?? undefined },
        pageSize(first, 100),
      ),
    monitoringBase: async (s, _, { services }) => ((await monitoringSetting(services.db, s.id, 'ActiveMonitoringBase')) ?? null) as never,
    monitoringLevel: async (s, _, { services }) => intOrNull(await monitoringSetting(services.db, s.id, 'ActiveMonitoringLevel')),
  },
  DeviceVariable: {
    monitors: (v, _, context) => loadersOf(context).byVariable.load(v.variable.id),
  },
  StationEvent: {
    monitor: (e, _, context) =>
      e.variableMonitoringId === null ? null : loadersOf(context).byStationMonitor.load(JSON.stringify([e.stationId, e.variableMonitoringId])),
  },
  VariableMonitor: {
    id: (m) => m.monitor.monitorId,
    transaction: (m) => m.monitor.transaction,
    value: (m) => m.monitor.value,
    type: (m) => m.monitor.type as never,
    severity: (m) => m.monitor.severity,
    source: (m) => m.monitor.source,
    updatedAt: (m) => m.monitor.updatedAt,
    component: ({ component: c }) => ({
      name: c.name,
      instance: c.instance,
      evse: c.evseId === null ? null : { id: c.evseId, connectorId: c.connectorId },
    }),
    variable: ({ variable: v }) => ({ name: v.name, instance: v.instance }),
    events: (m, { first }, { services }) => listMonitorEvents(services.db, m.monitor.stationId, m.monitor.monitorId, pageSize(first, 20)),
  },
};
