// Standard controller components, named as in OCPP 2.0.1 Part 2 Appendix 3.
import type { DeviceModelOptions, MessageLimits, Variable } from './device-model-types';
import { componentVariables, ro, rw, type VariableSpec } from './variable-builder';
import { monitoringCtrlr } from './monitoring-controller';

const MEASURANDS = [
  'Current.Import',
  'Current.Offered',
  'Energy.Active.Import.Register',
  'Energy.Active.Import.Interval',
  'Power.Active.Import',
  'Power.Offered',
  'SoC',
  'Voltage',
];
const TX_POINTS = ['ParkingBayOccupancy', 'EVConnected', 'Authorized', 'DataSigned', 'PowerPathClosed', 'EnergyTransfer'];
const TIME_SOURCES = ['Heartbeat', 'NTP', 'GPS', 'RealTimeClock', 'MobileNetwork', 'RadioTimeTransmitter'];
const ENERGY = 'Energy.Active.Import.Register';

function ocppCommCtrlr(): Variable[] {
  return componentVariables({ name: 'OCPPCommCtrlr' }, [
    ['ActiveNetworkProfile', ro('integer', '1')],
    ['FileTransferProtocols', ro('MemberList', 'HTTPS', { valuesList: ['FTP', 'FTPS', 'HTTP', 'HTTPS', 'SFTP'] })],
    ['HeartbeatInterval', rw('integer', '300', { unit: 's', minLimit: 1 })],
    ['MessageTimeout', rw('integer', '30', { instance: 'Default', unit: 's', minLimit: 1 })],
    ['MessageAttempts', rw('integer', '3', { instance: 'TransactionEvent', minLimit: 0 })],
    ['MessageAttemptInterval', rw('integer', '60', { instance: 'TransactionEvent', unit: 's', minLimit: 0 })],
    ['NetworkConfigurationPriority', rw('SequenceList', '1', { valuesList: ['0', '1', '2'] })],
    ['NetworkProfileConnectionAttempts', rw('integer', '3', { minLimit: 1 })],
    ['OfflineThreshold', rw('integer', '60', { unit: 's', minLimit: 0 })],
    ['QueueAllMessages', rw('boolean', 'false')],
    ['ResetRetries', rw('integer', '2', { minLimit: 0 })],
    ['UnlockOnEVSideDisconnect', rw('boolean', 'true')],
    ['WebSocketPingInterval', rw('integer', '30', { unit: 's', minLimit: 0 })],
  ]);
}

function securityCtrlr(o: DeviceModelOptions): Variable[] {
  return componentVariables({ name: 'SecurityCtrlr' }, [
    ['AdditionalRootCertificateCheck', ro('boolean', 'false')],
    ['BasicAuthPassword', { dataType: 'string', value: o.basicAuthPassword ?? '', mutability: 'WriteOnly', maxLimit: 40 }],
    ['CertificateEntries', ro('integer', '0', { persistent: false })],
    ['CertSigningRepeatTimes', rw('integer', '3', { minLimit: 0 })],
    ['CertSigningWaitMinimum', rw('integer', '60', { unit: 's', minLimit: 0 })],
    ['Identity', rw('string', o.stationId, { maxLimit: 48 })],
    ['MaxCertificateChainSize', ro('integer', '5600', { unit: 'B' })],
    ['OrganizationName', rw('string', 'Chargegraph Simulation')],
    ['SecurityProfile', ro('integer', String(o.securityProfile), { minLimit: 1, maxLimit: 3 })],
  ]);
}

function perMessage(name: string, limits: MessageLimits, unit?: string): Array<[string, VariableSpec]> {
  const instances: Array<[string, number]> = [
    ['GetReport', limits.getReport],
    ['GetVariables', limits.getVariables],
    ['SetVariables', limits.setVariables],
  ];
  return instances.map(
    ([instance, limit]) => [name, ro('integer', String(limit), { instance, constant: true, ...(unit && { unit }) })],
  );
}

function deviceDataCtrlr(items: MessageLimits, bytes: MessageLimits): Variable[] {
  return componentVariables({ name: 'DeviceDataCtrlr' }, [
    ...perMessage('BytesPerMessage', bytes, 'B'),
    ...perMessage('ItemsPerMessage', items),
    ['ConfigurationValueSize', ro('integer', '1000', { constant: true })],
    ['ReportingValueSize', ro('integer', '2500', { constant: true })],
    ['ValueSize', ro('integer', '1000', { constant: true })],
  ]);
}

function authControllers(): Variable[] {
  return [
    ...componentVariables({ name: 'AuthCtrlr' }, [
      ['Enabled', rw('boolean', 'true')],
      ['AuthorizeRemoteStart', rw('boolean', 'true')],
      ['DisableRemoteAuthorization', rw('boolean', 'false')],
      ['LocalAuthorizeOffline', rw('boolean', 'true')],
      ['LocalPreAuthorize', rw('boolean', 'false')],
      ['OfflineTxForUnknownIdEnabled', rw('boolean', 'false')],
    ]),
    ...componentVariables({ name: 'AuthCacheCtrlr' }, [
      ['Available', ro('boolean', 'true')],
      ['Enabled', rw('boolean', 'true')],
      ['LifeTime', rw('integer', '86400', { unit: 's', minLimit: 0 })],
      ['Policy', rw('OptionList', 'LRU', { valuesList: ['LRU', 'LFU', 'FIFO', 'CUSTOM'] })],
      ['Storage', ro('integer', '65536', { unit: 'B', constant: true })],
    ]),
  ];
}

function transactionControllers(): Variable[] {
  const measurands = (value: string) => rw('MemberList', value, { valuesList: MEASURANDS });
  return [
    ...componentVariables({ name: 'TxCtrlr' }, [
      ['EVConnectionTimeOut', rw('integer', '120', { unit: 's', minLimit: 0 })],
      ['MaxEnergyOnInvalidId', rw('integer', '0', { unit: 'Wh', minLimit: 0 })],
      ['StopTxOnEVSideDisconnect', rw('boolean', 'true')],
      ['StopTxOnInvalidId', rw('boolean', 'true')],
      ['TxBeforeAcceptedEnabled', rw('boolean', 'false')],
      ['TxStartPoint', rw('MemberList', 'PowerPathClosed', { valuesList: TX_POINTS })],
      ['TxStopPoint', rw('MemberList', 'EVConnected,Authorized', { valuesList: TX_POINTS })],
    ]),
    ...componentVariables({ name: 'SampledDataCtrlr' }, [
      ['Available', ro('boolean', 'true')],
      ['Enabled', rw('boolean', 'true')],
      ['RegisterValuesWithoutPhases', rw('boolean', 'false')],
      ['SignReadings', rw('boolean', 'false')],
      ['TxEndedInterval', rw('integer', '0', { unit: 's', minLimit: 0 })],
      ['TxEndedMeasurands', measurands(ENERGY)],
      ['TxStartedMeasurands', measurands(ENERGY)],
      ['TxUpdatedInterval', rw('integer', '60', { unit: 's', minLimit: 0 })],
      ['TxUpdatedMeasurands', measurands(`${ENERGY},Power.Active.Import`)],
    ]),
    ...componentVariables({ name: 'AlignedDataCtrlr' }, [
      ['Available', ro('boolean', 'true')],
      ['Enabled', rw('boolean', 'true')],
      ['Interval', rw('integer', '900', { unit: 's', minLimit: 0 })],
      ['Measurands', measurands(ENERGY)],
      ['SendDuringIdle', rw('boolean', 'false')],
      ['TxEndedInterval', rw('integer', '0', { unit: 's', minLimit: 0 })],
      ['TxEndedMeasurands', measurands(ENERGY)],
    ]),
  ];
}

function clockCtrlr(): Variable[] {
  return componentVariables({ name: 'ClockCtrlr' }, [
    ['DateTime', ro('dateTime', () => new Date().toISOString(), { persistent: false })],
    ['TimeSource', rw('SequenceList', 'Heartbeat', { valuesList: TIME_SOURCES })],
  ]);
}

export function controllerVariables(
  options: DeviceModelOptions,
  items: MessageLimits,
  bytes: MessageLimits,
): Variable[] {
  return [
    ...ocppCommCtrlr(),
    ...securityCtrlr(options),
    ...deviceDataCtrlr(items, bytes),
    ...authControllers(),
    ...transactionControllers(),
    ...clockCtrlr(),
    ...monitoringCtrlr(),
  ];
}
