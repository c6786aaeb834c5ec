// ChargingStation, EVSE and Connector components of the device model.
import type { ComponentRef, DeviceModelOptions, Variable } from './device-model-types';
import { componentVariables, ro, type VariableSpec } from './variable-builder';

const AVAILABILITY_STATES = ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'];
const EVSE_MAX_POWER_W = 22000;

function availability(): Array<[string, VariableSpec]> {
  return [
    ['AvailabilityState', ro('OptionList', 'Available', { valuesList: AVAILABILITY_STATES, supportsMonitoring: true })],
    ['Available', ro('boolean', 'true')],
  ];
}

function chargingStation(o: DeviceModelOptions): Variable[] {
  return componentVariables({ name: 'ChargingStation' }, [
    ...availability(),
    ['Model', ro('string', o.model, { constant: true })],
    ['Problem', ro('boolean', 'false', { persistent: false })],
    ['SupplyPhases', ro('integer', '3', { constant: true, minLimit: 0, maxLimit: 3 })],
    ['VendorName', ro('string', o.vendorName, { constant: true })],
  ]);
}

function evse(id: number): Variable[] {
  const component: ComponentRef = { name: 'EVSE', evse: { id } };
  return componentVariables(component, [
    ...availability(),
    [
      'Power',
      ro('decimal', '0', {
        unit: 'W',
        maxLimit: EVSE_MAX_POWER_W,
        persistent: false,
        supportsMonitoring: true,
        extra: [{ type: 'MaxSet', value: String(EVSE_MAX_POWER_W), mutability: 'ReadOnly' }],
      }),
    ],
    ['SupplyPhases', ro('integer', '3', { constant: true, minLimit: 0, maxLimit: 3 })],
  ]);
}

function connector(evseId: number, connectorId: number): Variable[] {
  const component: ComponentRef = { name: 'Connector', evse: { id: evseId, connectorId } };
  return componentVariables(component, [
    ...availability(),
    ['ConnectorType', ro('string', 'cType2', { constant: true })],
    ['SupplyPhases', ro('integer', '3', { constant: true, minLimit: 0, maxLimit: 3 })],
  ]);
}

export function stationComponents(o: DeviceModelOptions): Variable[] {
  const variables = chargingStation(o);
  for (let e = 1; e <= o.evses; e++) {
    variables.push(...evse(e));
    for (let c = 1; c <= o.connectorsPerEvse; c++) variables.push(...connector(e, c));
  }
  return variables;
}
