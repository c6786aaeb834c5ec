// Construction options of SimulatedStation.
import { DeviceModel } from './device-model';
import type { MessageLimits } from './device-model-types';
import type { PasswordChangeAnswer } from './network-security';
import { securityProfileOf, type TlsClientOptions } from './open-socket';

export interface SimulatedStationOptions {
  /** CSMS base URL, e.g. ws://127.0.0.1:8080/ocpp; the station id is appended. */
  url: string;
  id: string;
  password?: string;
  evses?: number;
  connectorsPerEvse?: number;
  model?: string;
  vendorName?: string;
  serialNumber?: string;
  firmwareVersion?: string;
  protocols?: string[];
  callTimeoutMs?: number;
  /** NotifyReport items per part. */
  reportPartSize?: number;
  itemsPerMessage?: Partial<MessageLimits>;
  bytesPerMessage?: Partial<MessageLimits>;
  log?: (msg: string, data?: unknown) => void;
  /** Reconnect with backoff when the connection drops. */
  autoReconnect?: boolean;
  /** Send Heartbeats at the interval the CSMS accepted the boot with. */
  heartbeat?: boolean;
  /** Boot again after the response interval while the CSMS answers Pending or Rejected. */
  retryBoot?: boolean;
  extraHeaders?: Record<string, string>;
  /** wss:// settings: CA to trust, and for profile 3 the client certificate and key (PEM). */
  tls?: TlsClientOptions;
  /** A01: how SetVariables SecurityCtrlr.BasicAuthPassword is answered (default Accepted). */
  passwordChangeAnswer?: PasswordChangeAnswer;
  /** A02: O of the station's CSRs (the CSO name the CSMS expects) and the key type (default ecdsa). */
  certificateOrganization?: string;
  certificateKeyType?: 'rsa' | 'ecdsa';
  /** A02: also write signed certificates and keys to this directory. */
  certificateDir?: string;
  /** TxCtrlr.TxStartPoint (default EVConnected,Authorized: a transaction starts at plug-in or authorization). */
  txStartPoint?: string;
  /** Periodic meter values every this many ms (default: SampledDataCtrlr.TxUpdatedInterval seconds). */
  meterIntervalMs?: number;
  /** Power drawn while charging, in W (default 11000). */
  chargingPowerW?: number;
  /** Also send MeterValues with every periodic sample. */
  meterValuesMessages?: boolean;
  /** Start charging once plugged in and authorized (default true). */
  autoCharge?: boolean;
  /** Pause before a TransactionEvent is sent again (default 1000 ms). */
  retryDelayMs?: number;
}

export type RegistrationStatus = 'Unknown' | 'Accepted' | 'Pending' | 'Rejected';

export const DEFAULT_MODEL = 'SimCharger';
export const DEFAULT_VENDOR = 'Chargegraph';

export const DEFAULT_TX_START_POINT = 'EVConnected,Authorized';

export function deviceModelFor(options: SimulatedStationOptions): DeviceModel {
  const model = new DeviceModel({
    stationId: options.id,
    evses: options.evses ?? 1,
    connectorsPerEvse: options.connectorsPerEvse ?? 1,
    model: options.model ?? DEFAULT_MODEL,
    vendorName: options.vendorName ?? DEFAULT_VENDOR,
    securityProfile: securityProfileOf(options),
    ...(options.password !== undefined && { basicAuthPassword: options.password }),
    ...(options.itemsPerMessage && { itemsPerMessage: options.itemsPerMessage }),
    ...(options.bytesPerMessage && { bytesPerMessage: options.bytesPerMessage }),
  });
  model.setInternal({ name: 'TxCtrlr' }, 'TxStartPoint', options.txStartPoint ?? DEFAULT_TX_START_POINT);
  return model;
}
