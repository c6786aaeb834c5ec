// The simulated station's device model: lookup, writes and report items.
import type {
  Attribute,
  AttributeType,
  ComponentRef,
  DeviceModelOptions,
  MessageLimits,
  ReportItem,
  Variable,
  VariableRef,
} from './device-model-types';
import { controllerVariables } from './controller-variables';
import { stationComponents } from './station-components';
import { isValidValue } from './value-validation';

export type GetVariableStatus = 'Accepted' | 'Rejected' | 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType';
export type SetVariableStatus = GetVariableStatus | 'RebootRequired';

export type ChangeListener = (variable: Variable, attribute: Attribute) => void;

const DEFAULT_ITEMS: MessageLimits = { getVariables: 4, setVariables: 4, getReport: 10 };
const DEFAULT_BYTES: MessageLimits = { getVariables: 8192, setVariables: 8192, getReport: 8192 };

export function sameComponent(a: ComponentRef, b: ComponentRef): boolean {
  return (
    a.name === b.name &&
    a.instance === b.instance &&
    a.evse?.id === b.evse?.id &&
    a.evse?.connectorId === b.evse?.connectorId
  );
}

export function attributeValue(attribute: Attribute): string {
  return typeof attribute.value === 'function' ? attribute.value() : attribute.value;
}

type Lookup =
  | { status: 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType' }
  | { status: 'Found'; variable: Variable; attribute: Attribute };

export class DeviceModel {
  readonly variables: Variable[];
  readonly itemsPerMessage: MessageLimits;
  readonly bytesPerMessage: MessageLimits;
  private readonly listeners: ChangeListener[] = [];

  constructor(options: DeviceModelOptions) {
    this.itemsPerMessage = { ...DEFAULT_ITEMS, ...options.itemsPerMessage };
    this.bytesPerMessage = { ...DEFAULT_BYTES, ...options.bytesPerMessage };
    this.variables = [
      ...controllerVariables(options, this.itemsPerMessage, this.bytesPerMessage),
      ...stationComponents(options),
    ];
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** A request without a variable instance gets the first instance (OCPP 2.0.1 errata 2.0 §5.2). */
  lookup(component: ComponentRef, variable: VariableRef, type: AttributeType = 'Actual'): Lookup {
    const ofComponent = this.variables.filter((v) => sameComponent(v.component, component));
    if (ofComponent.length === 0) return { status: 'UnknownComponent' };
    const named = ofComponent.filter((v) => v.variable.name === variable.name);
    const found =
      named.find((v) => v.variable.instance === variable.instance) ??
      (variable.instance === undefined ? named[0] : undefined);
    if (!found) return { status: 'UnknownVariable' };
    const attribute = found.attributes.find((a) => a.type === type);
    if (!attribute) return { status: 'NotSupportedAttributeType' };
    return { status: 'Found', variable: found, attribute };
  }

  /** As the CSMS sees it: WriteOnly values are never revealed. */
  get(component: ComponentRef, variable: VariableRef, type: AttributeType = 'Actual') {
    const found = this.lookup(component, variable, type);
    if (found.status !== 'Found') return { status: found.status };
    if (found.attribute.mutability === 'WriteOnly') return { status: 'Rejected' as const };
    return { status: 'Accepted' as const, value: attributeValue(found.attribute) };
  }

  /** As the CSMS writes it: ReadOnly attributes and out-of-range values are refused. */
  set(component: ComponentRef, variable: VariableRef, value: string, type: AttributeType = 'Actual'): SetVariableStatus {
    const found = this.lookup(component, variable, type);
    if (found.status !== 'Found') return found.status;
    if (found.attribute.mutability === 'ReadOnly' || found.attribute.constant) return 'Rejected';
    if (!isValidValue(value, found.variable.characteristics)) return 'Rejected';
    this.write(found.variable, found.attribute, value);
    return 'Accepted';
  }

  /** The station's own bookkeeping; ignores mutability. Returns false when the attribute does not exist. */
  setInternal(component: ComponentRef, name: string, value: string, type: AttributeType = 'Actual'): boolean {
    const found = this.lookup(component, { name }, type);
    if (found.status !== 'Found') return false;
    this.write(found.variable, found.attribute, value);
    return true;
  }

  /** Value regardless of mutability, for the station itself. */
  read(component: ComponentRef, name: string, instance?: string): string | undefined {
    const found = this.lookup(component, instance === undefined ? { name } : { name, instance });
    return found.status === 'Found' ? attributeValue(found.attribute) : undefined;
  }

  components(): ComponentRef[] {
    const unique: ComponentRef[] = [];
    for (const v of this.variables) {
      if (!unique.some((c) => sameComponent(c, v.component))) unique.push(v.component);
    }
    return unique;
  }

  reportItems(include: (v: Variable) => boolean = () => true): ReportItem[] {
    return this.variables.filter(include).map(toReportItem);
  }

  private write(variable: Variable, attribute: Attribute, value: string): void {
    if (attributeValue(attribute) === value) return;
    attribute.value = value;
    for (const listener of this.listeners) listener(variable, attribute);
  }
}

export function toReportItem(v: Variable): ReportItem {
  return {
    component: structuredClone(v.component),
    variable: { ...v.variable },
    variableAttribute: v.attributes.map((a) => ({
      type: a.type,
      ...(a.mutability !== 'WriteOnly' && { value: attributeValue(a) }),
      mutability: a.mutability,
      persistent: a.persistent,
      constant: a.constant,
    })),
    variableCharacteristics: { ...v.characteristics },
  };
}
