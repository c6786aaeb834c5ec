// Shapes of the simulated device model (OCPP 2.0.1 Part 1 §4 / Part 2 §2 "Device model").

export type AttributeType = 'Actual' | 'Target' | 'MinSet' | 'MaxSet';
export type Mutability = 'ReadOnly' | 'ReadWrite' | 'WriteOnly';
export type DataType =
  | 'string'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'boolean'
  | 'OptionList'
  | 'SequenceList'
  | 'MemberList';

export interface EvseRef {
  id: number;
  connectorId?: number;
}

export interface ComponentRef {
  name: string;
  instance?: string;
  evse?: EvseRef;
}

export interface VariableRef {
  name: string;
  instance?: string;
}

export interface Attribute {
  type: AttributeType;
  /** A function is read on every access (e.g. the clock). */
  value: string | (() => string);
  mutability: Mutability;
  persistent: boolean;
  constant: boolean;
}

export interface Characteristics {
  dataType: DataType;
  unit?: string;
  minLimit?: number;
  maxLimit?: number;
  /** Comma separated, as on the wire. */
  valuesList?: string;
  supportsMonitoring: boolean;
}

export interface Variable {
  component: ComponentRef;
  variable: VariableRef;
  attributes: Attribute[];
  characteristics: Characteristics;
}

/** One entry of NotifyReportRequest.reportData. */
export interface ReportItem {
  component: ComponentRef;
  variable: VariableRef;
  variableAttribute: Array<{
    type: AttributeType;
    value?: string;
    mutability: Mutability;
    persistent: boolean;
    constant: boolean;
  }>;
  variableCharacteristics: Characteristics;
}

export interface MessageLimits {
  getVariables: number;
  setVariables: number;
  getReport: number;
}

export interface DeviceModelOptions {
  stationId: string;
  evses: number;
  connectorsPerEvse: number;
  model: string;
  vendorName: string;
  serialNumber?: string;
  firmwareVersion?: string;
  securityProfile: number;
  basicAuthPassword?: string;
  itemsPerMessage?: Partial<MessageLimits>;
  bytesPerMessage?: Partial<MessageLimits>;
}
