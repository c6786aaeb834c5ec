import type {
  Attribute,
  AttributeType,
  ComponentRef,
  DataType,
  Mutability,
  Variable,
} from './device-model-types';

export interface VariableSpec {
  instance?: string;
  dataType: DataType;
  value: string | (() => string);
  /** Mutability of the Actual attribute; ReadWrite when omitted. */
  mutability?: Mutability;
  persistent?: boolean;
  constant?: boolean;
  unit?: string;
  minLimit?: number;
  maxLimit?: number;
  valuesList?: string[];
  supportsMonitoring?: boolean;
  /** Further attributes next to Actual (Target, MinSet, MaxSet). */
  extra?: Array<{ type: AttributeType; value: string; mutability?: Mutability }>;
}

export function defineVariable(component: ComponentRef, name: string, spec: VariableSpec): Variable {
  const mutability = spec.mutability ?? 'ReadWrite';
  const persistent = spec.persistent ?? true;
  const constant = spec.constant ?? false;
  const attributes: Attribute[] = [
    { type: 'Actual', value: spec.value, mutability, persistent, constant },
    ...(spec.extra ?? []).map((a) => ({
      type: a.type,
      value: a.value,
      mutability: a.mutability ?? 'ReadWrite',
      persistent,
      constant: false,
    })),
  ];
  return {
    component,
    variable: spec.instance === undefined ? { name } : { name, instance: spec.instance },
    attributes,
    characteristics: {
      dataType: spec.dataType,
      ...(spec.unit !== undefined && { unit: spec.unit }),
      ...(spec.minLimit !== undefined && { minLimit: spec.minLimit }),
      ...(spec.maxLimit !== undefined && { maxLimit: spec.maxLimit }),
      ...(spec.valuesList !== undefined && { valuesList: spec.valuesList.join(',') }),
      supportsMonitoring: spec.supportsMonitoring ?? false,
    },
  };
}

/** Binds a component so a controller's variables read as a flat table. */
export function componentVariables(
  component: ComponentRef,
  specs: Array<[name: string, spec: VariableSpec]>,
): Variable[] {
  return specs.map(([name, spec]) => defineVariable(component, name, spec));
}

export const ro = (dataType: DataType, value: string | (() => string), more: Partial<VariableSpec> = {}): VariableSpec => ({
  dataType,
  value,
  mutability: 'ReadOnly',
  ...more,
});

export const rw = (dataType: DataType, value: string, more: Partial<VariableSpec> = {}): VariableSpec => ({
  dataType,
  value,
  mutability: 'ReadWrite',
  ...more,
});
