// What charging sessions need of the station, their per-EVSE state, and the authorization check a
// station makes before it starts (C01: Authorize online, LocalAuthorizeOffline when offline).
import type { ConnectorState } from './connector-state';
import type { DeviceModel } from './device-model';
import { readFlag, type IdToken, type Transaction } from './session-events';

export interface SessionHost {
  readonly model: DeviceModel;
  readonly connectors: ConnectorState;
  online(): boolean;
  call(action: string, payload: unknown): Promise<any>;
  log(msg: string): void;
}

export interface SessionSettings {
  /** Overrides SampledDataCtrlr.TxUpdatedInterval (tests use sub-second intervals). */
  meterIntervalMs?: number | undefined;
  chargingPowerW: number;
  /** Also send a MeterValues message with every periodic sample. */
  meterValuesMessages: boolean;
  /** Start charging as soon as the EV is plugged in and authorized. */
  autoCharge: boolean;
  retryDelayMs: number;
}

export interface EvseSession {
  evseId: number;
  connectorId: number;
  plugged: boolean;
  authorized?: IdToken | undefined;
  /** remoteStartId of an accepted RequestStartTransaction whose transaction has not started yet. */
  pendingRemoteStartId?: number | undefined;
  tx?: Transaction | undefined;
  meterTimer?: NodeJS.Timeout | undefined;
  lastMeterAt?: number;
  connectTimer?: NodeJS.Timeout | undefined;
}

export const sameToken = (a: IdToken, b: IdToken) => a.type === b.type && a.idToken.toLowerCase() === b.idToken.toLowerCase();

/** The status the station acts on for a token: Authorize online, its local policy offline. */
export async function authorizeToken(host: SessionHost, idToken: IdToken): Promise<string> {
  if (idToken.type === 'NoAuthorization') return 'Accepted';
  const offline = () => (readFlag(host.model, 'AuthCtrlr', 'LocalAuthorizeOffline') ? 'Accepted' : 'Unknown');
  if (!host.online()) return offline();
  try {
    const response = await host.call('Authorize', { idToken });
    return String(response?.idTokenInfo?.status ?? 'Unknown');
  } catch (error) {
    host.log(`Authorize failed: ${(error as Error).message}`);
    return host.online() ? 'Unknown' : offline();
  }
}
