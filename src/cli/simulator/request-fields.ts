// Tolerant readers for fields of CSMS requests: odd input yields undefined, never a throw.
import type { AttributeType, ComponentRef, EvseRef, VariableRef } from './device-model-types';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

export function readString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function readInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

export function readArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function readEvse(value: unknown): EvseRef | undefined {
  const id = readInteger(field(value, 'id'));
  if (id === undefined) return undefined;
  const connectorId = readInteger(field(value, 'connectorId'));
  return connectorId === undefined ? { id } : { id, connectorId };
}

/** Missing names read as '' so that lookups answer UnknownComponent/UnknownVariable. */
export function readComponent(value: unknown): ComponentRef {
  const component: ComponentRef = { name: readString(field(value, 'name')) ?? '' };
  const instance = readString(field(value, 'instance'));
  const evse = readEvse(field(value, 'evse'));
  if (instance !== undefined) component.instance = instance;
  if (evse !== undefined) component.evse = evse;
  return component;
}

export function readVariable(value: unknown): VariableRef {
  const variable: VariableRef = { name: readString(field(value, 'name')) ?? '' };
  const instance = readString(field(value, 'instance'));
  if (instance !== undefined) variable.instance = instance;
  return variable;
}

const ATTRIBUTE_TYPES: readonly string[] = ['Actual', 'Target', 'MinSet', 'MaxSet'];

/** undefined when absent (meaning Actual); null when present but not a known type. */
export function readAttributeType(value: unknown): AttributeType | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'string' && ATTRIBUTE_TYPES.includes(value) ? (value as AttributeType) : null;
}
