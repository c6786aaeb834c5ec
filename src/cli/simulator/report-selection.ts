// Which variables a GetBaseReport or GetReport covers (OCPP 2.0.1 Part 2 B07/B08).
import type { ComponentRef, Variable, VariableRef } from './device-model-types';
import { sameComponent, type DeviceModel } from './device-model';
import { field, readArray, readComponent, readString } from './request-fields';

type Include = (v: Variable) => boolean;

export function baseReportSelection(reportBase: unknown): Include | undefined {
  switch (reportBase) {
    case 'FullInventory':
      return () => true;
    case 'ConfigurationInventory':
      return (v) => v.attributes.some((a) => a.mutability !== 'ReadOnly');
    case 'SummaryInventory':
      return (v) => v.variable.name === 'AvailabilityState';
    default:
      return undefined;
  }
}

/** Omitted parts of the request's component/variable match anything. */
function matchesRequested(v: Variable, component: ComponentRef, variable: VariableRef | undefined): boolean {
  const c = v.component;
  if (c.name !== component.name) return false;
  if (component.instance !== undefined && c.instance !== component.instance) return false;
  if (component.evse !== undefined) {
    if (c.evse?.id !== component.evse.id) return false;
    if (component.evse.connectorId !== undefined && c.evse.connectorId !== component.evse.connectorId) return false;
  }
  if (!variable) return true;
  return v.variable.name === variable.name && (variable.instance === undefined || v.variable.instance === variable.instance);
}

function readOptionalVariable(value: unknown): VariableRef | undefined {
  const name = readString(field(value, 'name'));
  if (name === undefined) return undefined;
  const instance = readString(field(value, 'instance'));
  return instance === undefined ? { name } : { name, instance };
}

/** Components whose criterion variable (Active, Available, Enabled, Problem) is true. */
function componentsMeeting(model: DeviceModel, criteria: string[]): ComponentRef[] {
  return model.variables
    .filter((v) => criteria.includes(v.variable.name) && v.variable.instance === undefined)
    .filter((v) => model.read(v.component, v.variable.name) === 'true')
    .map((v) => v.component);
}

export function reportSelection(model: DeviceModel, request: unknown): Include {
  const wanted = readArray(field(request, 'componentVariable')).map((cv) => ({
    component: readComponent(field(cv, 'component')),
    variable: readOptionalVariable(field(cv, 'variable')),
  }));
  const criteria = readArray(field(request, 'componentCriteria')).filter((c): c is string => typeof c === 'string');
  const meeting = criteria.length > 0 ? componentsMeeting(model, criteria) : undefined;
  return (v) =>
    (wanted.length === 0 || wanted.some((w) => matchesRequested(v, w.component, w.variable))) &&
    (meeting === undefined || meeting.some((c) => sameComponent(c, v.component)));
}
