// Turns OCPP ReportData into stored device-model entries.
import type { DeviceModelEntry } from '../../db/queries/device-model';
import type { ReportDataType } from '../../ocpp/generated/types';

export function entriesFromReport(reportData: ReportDataType[]): DeviceModelEntry[] {
  return reportData.map((item) => ({
    component: {
      name: item.component.name,
      instance: item.component.instance,
      evseId: item.component.evse?.id,
      connectorId: item.component.evse?.connectorId,
    },
    variable: { name: item.variable.name, instance: item.variable.instance },
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
