// What the default CALL handlers may use of the station.
import type { ChargingSessions } from './charging-sessions';
import type { ConnectorState } from './connector-state';
import type { DeviceModel } from './device-model';
import type { StationSecurity } from './network-security';
import type { StationCertificates } from './station-certificates';

export type CallHandler = (payload: any) => unknown;

export interface StationContext {
  readonly model: DeviceModel;
  readonly connectors: ConnectorState;
  readonly sessions: ChargingSessions;
  readonly reportPartSize: number;
  call(action: string, payload: unknown): Promise<any>;
  /** Runs `task` once the CALLRESULT of the CALL being handled has been sent. */
  afterResponse(task: () => unknown): void;
  boot(reason: string): Promise<any>;
  /** Closes the connection, reconnects and boots with reason RemoteReset. */
  reboot(): Promise<void>;
  networkProfiles: Map<number, unknown>;
  /** A01/A05: password changes and the connection used after a reset. */
  readonly security: StationSecurity;
  /** A02/A03, M03–M05: key pairs, signed and installed certificates. */
  readonly certificates: StationCertificates;
}
