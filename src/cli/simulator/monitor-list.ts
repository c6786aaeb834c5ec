// The simulated station's variable monitors (OCPP 2.0.1 N02–N06): preconfigured, hardwired and
// custom monitors, the rules of SetVariableMonitoring (N04.FR.xx) and the monitoring base (N03).
import { sameComponent, type DeviceModel } from './device-model';
import type { ComponentRef, VariableRef } from './device-model-types';

export type MonitorKind = 'HardWiredMonitor' | 'PreconfiguredMonitor' | 'CustomMonitor';
export type MonitorType = 'UpperThreshold' | 'LowerThreshold' | 'Delta' | 'Periodic' | 'PeriodicClockAligned';

export interface Monitor {
  id: number;
  component: ComponentRef;
  variable: VariableRef;
  transaction: boolean;
  value: number;
  type: MonitorType;
  severity: number;
  kind: MonitorKind;
  active: boolean;
}

export interface MonitorRequest {
  id?: number | undefined;
  component: ComponentRef;
  variable: VariableRef;
  transaction?: boolean | undefined;
  value: number;
  type: string;
  severity: number;
}

const TYPES: readonly string[] = ['UpperThreshold', 'LowerThreshold', 'Delta', 'Periodic', 'PeriodicClockAligned'];
const sameVariable = (a: VariableRef, b: VariableRef) => a.name === b.name && a.instance === b.instance;

/**
 * Two factory monitors: an hourly Periodic one on the station's AvailabilityState (preconfigured;
 * the simulator sends no periodic events) and an UpperThreshold on EVSE 1 power (hardwired, never reached).
 */
function factoryMonitors(): Monitor[] {
  return [
    { id: 1, component: { name: 'ChargingStation' }, variable: { name: 'AvailabilityState' }, transaction: false, value: 3600, type: 'Periodic', severity: 8, kind: 'PreconfiguredMonitor', active: true },
    { id: 2, component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' }, transaction: false, value: 22000, type: 'UpperThreshold', severity: 4, kind: 'HardWiredMonitor', active: true },
  ];
}

export class MonitorList {
  private monitors = factoryMonitors();
  private nextId = 100;

  constructor(private readonly model: DeviceModel) {}

  active(): Monitor[] {
    return this.monitors.filter((m) => m.active);
  }

  /** N04: the status of one SetMonitoringData element and, when Accepted, the monitor's id. */
  set(request: MonitorRequest): { status: string; id?: number } {
    const found = this.model.lookup(request.component, request.variable);
    if (found.status === 'UnknownComponent' || found.status === 'UnknownVariable') return { status: found.status };
    if (found.status !== 'Found') return { status: 'UnknownVariable' };
    const { characteristics } = found.variable;
    if (!TYPES.includes(request.type) || !characteristics.supportsMonitoring) return { status: 'UnsupportedMonitorType' };
    const numeric = characteristics.dataType === 'integer' || characteristics.dataType === 'decimal';
    const threshold = request.type === 'UpperThreshold' || request.type === 'LowerThreshold';
    if (threshold && !numeric) return { status: 'UnsupportedMonitorType' };
    // N04.FR.06 thresholds within the variable's range; N04.FR.14 no negative delta.
    if (threshold && (request.value < (characteristics.minLimit ?? -Infinity) || request.value > (characteristics.maxLimit ?? Infinity))) {
      return { status: 'Rejected' };
    }
    if (request.type === 'Delta' && request.value < 0) return { status: 'Rejected' };
    const target = { component: found.variable.component, variable: found.variable.variable };
    const existing = request.id === undefined ? undefined : this.monitors.find((m) => m.id === request.id);
    // N04.FR.13 unknown id, N04.FR.16 other variable, N04.FR.18 hardwired.
    if (request.id !== undefined && (!existing || existing.kind === 'HardWiredMonitor')) return { status: 'Rejected' };
    if (existing && !(sameComponent(existing.component, target.component) && sameVariable(existing.variable, target.variable))) return { status: 'Rejected' };
    const duplicate = this.monitors.find(
      (m) => m.id !== request.id && sameComponent(m.component, target.component) && sameVariable(m.variable, target.variable) &&
        m.type === request.type && m.severity === request.severity,
    );
    if (duplicate) return { status: 'Duplicate' }; // N04.FR.10
    const monitor: Monitor = {
      ...target, id: existing?.id ?? this.nextId++, transaction: request.transaction ?? false, value: request.value,
      type: request.type as MonitorType, severity: request.severity, kind: 'CustomMonitor', active: true, // N04.FR.15
    };
    this.monitors = existing ? this.monitors.map((m) => (m === existing ? monitor : m)) : [...this.monitors, monitor];
    return { status: 'Accepted', id: monitor.id };
  }

  /** N06.FR.01–03. */
  clear(id: number): string {
    const monitor = this.monitors.find((m) => m.id === id);
    if (!monitor) return 'NotFound';
    if (monitor.kind === 'HardWiredMonitor') return 'Rejected';
    this.monitors = this.monitors.filter((m) => m !== monitor);
    return 'Accepted';
  }

  /** N03.FR.03–05. */
  setBase(base: string): boolean {
    if (base !== 'All' && base !== 'FactoryDefault' && base !== 'HardWiredOnly') return false;
    if (base === 'FactoryDefault') this.monitors = factoryMonitors();
    if (base === 'HardWiredOnly') this.monitors = this.monitors.filter((m) => m.kind !== 'CustomMonitor');
    for (const m of this.monitors) if (m.kind === 'PreconfiguredMonitor') m.active = base !== 'HardWiredOnly';
    this.model.setInternal({ name: 'MonitoringCtrlr' }, 'ActiveMonitoringBase', base);
    return true;
  }
}
