// SetVariableMonitoring, ClearVariableMonitoring, SetMonitoringBase, SetMonitoringLevel and
// GetMonitoringReport (N02–N06) over an in-memory monitor list; NotifyMonitoringReport in parts.
import { CallErrorResponse } from './call-error';
import { sameComponent } from './device-model';
import { MONITORING_ITEMS_PER_MESSAGE } from './monitoring-controller';
import { MonitorList, type Monitor } from './monitor-list';
import { field, readArray, readComponent, readInteger, readString, readVariable } from './request-fields';
import type { StationContext } from './station-context';

/** MonitoringData entries per NotifyMonitoringReport part, small so that reports come in parts. */
const MONITORS_PER_PART = 2;

const CRITERIA: Record<string, string[]> = {
  ThresholdMonitoring: ['UpperThreshold', 'LowerThreshold'],
  DeltaMonitoring: ['Delta'],
  PeriodicMonitoring: ['Periodic', 'PeriodicClockAligned'],
};

function overLimit(items: unknown[]): void {
  if (items.length > MONITORING_ITEMS_PER_MESSAGE) {
    throw new CallErrorResponse('OccurrenceConstraintViolation', `more than ${MONITORING_ITEMS_PER_MESSAGE} elements`);
  }
}

/** N02.FR.05–08, 12–17: filter by criteria and component/variable (absent instance/evse/variable match all). */
function selection(payload: unknown): (m: Monitor) => boolean {
  const criteria = readArray(field(payload, 'monitoringCriteria')).map(String);
  const targets = readArray(field(payload, 'componentVariable'));
  const types = criteria.flatMap((c) => CRITERIA[c] ?? []);
  return (m) =>
    (criteria.length === 0 || types.includes(m.type)) &&
    (targets.length === 0 ||
      targets.some((t) => {
        const c = readComponent(field(t, 'component'));
        const v = field(t, 'variable');
        return c.name === m.component.name &&
          (c.instance === undefined || c.instance === m.component.instance) &&
          (c.evse === undefined || sameComponent({ name: '', evse: c.evse }, { name: '', evse: m.component.evse })) &&
          (v === undefined || (readVariable(v).name === m.variable.name && (readString(field(v, 'instance')) ?? m.variable.instance) === m.variable.instance));
      }));
}

function monitoringData(monitors: Monitor[]) {
  const groups: Array<{ component: Monitor['component']; variable: Monitor['variable']; variableMonitoring: object[] }> = [];
  for (const m of monitors) {
    let group = groups.find((g) => sameComponent(g.component, m.component) && g.variable.name === m.variable.name && g.variable.instance === m.variable.instance);
    if (!group) groups.push((group = { component: m.component, variable: m.variable, variableMonitoring: [] }));
    group.variableMonitoring.push({ id: m.id, transaction: m.transaction, value: m.value, type: m.type, severity: m.severity });
  }
  return groups;
}

async function sendReport(ctx: StationContext, requestId: number, monitors: Monitor[]): Promise<void> {
  const data = monitoringData(monitors);
  const generatedAt = new Date().toISOString();
  const parts = Math.ceil(data.length / MONITORS_PER_PART);
  for (let seqNo = 0; seqNo < parts; seqNo++) {
    const monitor = data.slice(seqNo * MONITORS_PER_PART, (seqNo + 1) * MONITORS_PER_PART);
    await ctx.call('NotifyMonitoringReport', { requestId, generatedAt, seqNo, tbc: seqNo < parts - 1, monitor });
  }
}

export function monitoringHandlers(ctx: StationContext, list: MonitorList) {
  return {
    SetVariableMonitoring: (payload: unknown) => {
      const items = readArray(field(payload, 'setMonitoringData'));
      overLimit(items);
      return {
        setMonitoringResult: items.map((item) => {
          const request = {
            id: readInteger(field(item, 'id')),
            component: readComponent(field(item, 'component')),
            variable: readVariable(field(item, 'variable')),
            transaction: field(item, 'transaction') === true,
            value: Number(field(item, 'value')),
            type: readString(field(item, 'type')) ?? '',
            severity: readInteger(field(item, 'severity')) ?? 9,
          };
          const { status, id } = list.set(request);
          return { ...(id !== undefined && { id }), status, type: request.type, severity: request.severity, component: request.component, variable: request.variable };
        }),
      };
    },
    ClearVariableMonitoring: (payload: unknown) => {
      const ids = readArray(field(payload, 'id'));
      overLimit(ids);
      return { clearMonitoringResult: ids.map((id) => ({ id, status: list.clear(Number(id)) })) };
    },
    SetMonitoringBase: (payload: unknown) => ({ status: list.setBase(String(field(payload, 'monitoringBase'))) ? 'Accepted' : 'NotSupported' }),
    SetMonitoringLevel: (payload: unknown) => {
      const severity = readInteger(field(payload, 'severity'));
      if (severity === undefined || severity < 0 || severity > 9) return { status: 'Rejected' }; // N05.FR.02
      ctx.model.setInternal({ name: 'MonitoringCtrlr' }, 'ActiveMonitoringLevel', String(severity));
      return { status: 'Accepted' };
    },
    GetMonitoringReport: (payload: unknown) => {
      const requestId = readInteger(field(payload, 'requestId')) ?? 0;
      const monitors = list.active().filter(selection(payload));
      if (monitors.length === 0) return { status: 'EmptyResultSet' }; // N02.FR.10
      ctx.afterResponse(() => sendReport(ctx, requestId, monitors));
      return { status: 'Accepted' };
    },
  };
}
