// What the default CALL handlers may use of the station.
import type { ChargingSessions } from './charging-sessions';
import type { ConnectorState } from './connector-state';
import type { DeviceModel } from './device-model';

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
}
