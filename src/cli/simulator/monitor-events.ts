// N07: active monitors watch the device model; a change that trips one is reported with NotifyEvent
// (trigger Delta or Alerting, variableMonitoringId = the monitor's id), filtered by the
// monitoring level (N05.FR.03). Sent after the current message, errors ignored (a simulator).
import { attributeValue, sameComponent } from './device-model';
import type { Variable } from './device-model-types';
import type { Monitor, MonitorList } from './monitor-list';
import type { StationContext } from './station-context';

interface Trip {
  monitor: Monitor;
  trigger: 'Delta' | 'Alerting';
  cleared: boolean;
}

export function watchMonitors(ctx: StationContext, list: MonitorList): void {
  const exceeded = new Set<number>();
  const baseline = new Map<number, number>();
  let eventId = 0;

  function trips(monitor: Monitor, value: string): Trip | undefined {
    const n = Number(value);
    if (monitor.type === 'Delta') {
      if (Number.isNaN(n)) return { monitor, trigger: 'Delta', cleared: false }; // N07.FR.19: any change
      const last = baseline.get(monitor.id);
      if (last !== undefined && Math.abs(n - last) < monitor.value) return undefined;
      baseline.set(monitor.id, n);
      return { monitor, trigger: 'Delta', cleared: false }; // N07.FR.18
    }
    if (monitor.type !== 'UpperThreshold' && monitor.type !== 'LowerThreshold') return undefined;
    const beyond = monitor.type === 'UpperThreshold' ? n > monitor.value : n < monitor.value; // N07.FR.16/17
    if (beyond === exceeded.has(monitor.id)) return undefined;
    if (beyond) exceeded.add(monitor.id);
    else exceeded.delete(monitor.id);
    return { monitor, trigger: 'Alerting', cleared: !beyond };
  }

  ctx.model.onChange((variable: Variable, attribute) => {
    if (attribute.type !== 'Actual') return;
    const value = attributeValue(attribute);
    const level = Number(ctx.model.read({ name: 'MonitoringCtrlr' }, 'ActiveMonitoringLevel') ?? 9);
    const tripped = list
      .active()
      .filter((m) => sameComponent(m.component, variable.component) && m.variable.name === variable.variable.name && m.severity <= level)
      .map((m) => trips(m, value))
      .filter((t): t is Trip => t !== undefined);
    if (tripped.length === 0) return;
    const timestamp = new Date().toISOString();
    const eventData = tripped.map((t) => ({
      eventId: ++eventId,
      timestamp,
      trigger: t.trigger,
      actualValue: value.slice(0, 2500),
      ...(t.cleared && { cleared: true }),
      component: t.monitor.component,
      variable: t.monitor.variable,
      variableMonitoringId: t.monitor.id,
      eventNotificationType: t.monitor.kind,
    }));
    setImmediate(() => {
      ctx.call('NotifyEvent', { generatedAt: timestamp, seqNo: 0, eventData }).catch(() => undefined);
    });
  });
}
