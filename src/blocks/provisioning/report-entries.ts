// Turns OCPP ReportData into stored device-model entries.
import type { ComponentKey, DeviceModelEntry, VariableKey } from '../../db/queries/device-model';
import type { ComponentType, ReportDataType, VariableType } from '../../ocpp/generated/types';

export const componentKeyOf = (c: ComponentType): ComponentKey => ({
  name: c.name, instance: c.instance, evseId: c.evse?.id, connectorId: c.evse?.connectorId,
});

export const variableKeyOf = (v: VariableType): VariableKey => ({ name: v.name, instance: v.instance });

export function entriesFromReport(reportData: ReportDataType[]): DeviceModelEntry[] {
  return reportData.map((item) => ({
    component: componentKeyOf(item.component),
    variable: variableKeyOf(item.variable),
    characteristics: item.variableCharacteristics && {
      unit: item.variableCharacteristics.unit,
      dataType: item.variableCharacteristics.dataType,
      minLimit: item.variableCharacteristics.minLimit,
      maxLimit: item.variableCharacteristics.maxLimit,
      valuesList: item.variableCharacteristics.valuesList,
      supportsMonitoring: item.variableCharacteristics.supportsMonitoring,
    },
    attributes: item.variableAttribute.map((a) => ({
      type: a.type ?? 'Actual',
      // A WriteOnly value is never stored, even if a station sends one.
      value: a.mutability === 'WriteOnly' ? undefined : a.value,
      mutability: a.mutability ?? 'ReadWrite',
      persistent: a.persistent ?? false,
      constant: a.constant ?? false,
    })),
  }));
}
