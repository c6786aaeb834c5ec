// MonitoringCtrlr of the simulated station (OCPP 2.0.1 Part 2 Appendix 3), with small message
// limits so that the CSMS has to split SetVariableMonitoring and ClearVariableMonitoring (N04.FR.09, N06.FR.04).
import type { Variable } from './device-model-types';
import { componentVariables, ro, type VariableSpec } from './variable-builder';

export const MONITORING_ITEMS_PER_MESSAGE = 3;
export const MONITORING_BYTES_PER_MESSAGE = 4096;

const perMessage = (instance: string): Array<[string, VariableSpec]> => [
  ['ItemsPerMessage', ro('integer', String(MONITORING_ITEMS_PER_MESSAGE), { instance, constant: true })],
  ['BytesPerMessage', ro('integer', String(MONITORING_BYTES_PER_MESSAGE), { instance, constant: true, unit: 'B' })],
];

export function monitoringCtrlr(): Variable[] {
  return componentVariables({ name: 'MonitoringCtrlr' }, [
    ['Available', ro('boolean', 'true')],
    ['Enabled', ro('boolean', 'true')],
    ...perMessage('SetVariableMonitoring'),
    ...perMessage('ClearVariableMonitoring'),
    ['ActiveMonitoringBase', ro('OptionList', 'All', { valuesList: ['All', 'FactoryDefault', 'HardWiredOnly'] })],
    ['ActiveMonitoringLevel', ro('integer', '9', { minLimit: 0, maxLimit: 9 })],
    ['OfflineQueuingSeverity', ro('integer', '0', { minLimit: 0, maxLimit: 9 })],
  ]);
}
