// A simulated OCPP 2.0.1 charging station that runs charging sessions: plug in, authorize, charge
// with periodic meter values, stop by token, remotely or by unplugging, and lose its network
// (TransactionEvents are queued offline and replayed in order when it is back, E12).
import { ChargingSessions } from './charging-sessions';
import { defaultHandlers } from './default-handlers';
import type { CloseInfo } from './ocpp-client';
import type { IdToken } from './session-events';
import { StationCore } from './station-core';
import type { SimulatedStationOptions } from './station-options';

export { CallErrorResponse } from './call-error';
export { UpgradeRefused } from './open-socket';
export type { CloseInfo } from './ocpp-client';
export type { IdToken } from './session-events';
export type { RegistrationStatus, SimulatedStationOptions } from './station-options';

const DEFAULT_POWER_W = 11_000;
const DEFAULT_RETRY_MS = 1000;

/** A bare string is an ISO14443 (RFID) token. */
const asToken = (idToken: IdToken | string): IdToken => (typeof idToken === 'string' ? { idToken, type: 'ISO14443' } : idToken);

export class SimulatedStation extends StationCore {
  readonly sessions: ChargingSessions;
  private networkDown = false;

  constructor(options: SimulatedStationOptions) {
    super(options);
    this.sessions = new ChargingSessions(
      {
        model: this.model,
        connectors: this.connectors,
        online: () => this.online,
        call: (action, payload) => this.call(action, payload),
        log: (msg) => this.options.log(msg),
      },
      {
        meterIntervalMs: options.meterIntervalMs,
        chargingPowerW: options.chargingPowerW ?? DEFAULT_POWER_W,
        meterValuesMessages: options.meterValuesMessages ?? false,
        autoCharge: options.autoCharge ?? true,
        retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_MS,
      },
    );
    for (const [action, handler] of defaultHandlers({ ...this.context(), sessions: this.sessions })) this.defaults.set(action, handler);
  }

  /** Connected, accepted, and the simulated network is up. */
  get online(): boolean {
    return this.isOpen && !this.networkDown && this.registration === 'Accepted';
  }

  /** E02: the EV is plugged in (StatusNotification Occupied; a transaction starts when TxStartPoint says so). */
  plugIn(evseId = 1, connectorId = 1): Promise<void> {
    return this.sessions.plugIn(evseId, connectorId);
  }

  /** C01/E01: the driver presents a token to start; returns the authorization status. */
  authorize(idToken: IdToken | string, evseId = 1): Promise<string> {
    return this.sessions.authorize(asToken(idToken), evseId);
  }

  /** The token of the running session stops it (stoppedReason Local); another token authorizes. */
  presentToken(idToken: IdToken | string, evseId = 1): Promise<string> {
    return this.sessions.presentToken(asToken(idToken), evseId);
  }

  startCharging(evseId = 1): Promise<void> {
    return this.sessions.startCharging(evseId);
  }

  /** The EV leaves: the transaction ends (EVDisconnected) when TxStopPoint says so. */
  unplug(evseId = 1): Promise<void> {
    return this.sessions.unplug(evseId);
  }

  /** The transaction running on an EVSE, if any. */
  transaction(evseId = 1) {
    return this.sessions.session(evseId).tx;
  }

  /** Network loss: the connection drops and stays down; TransactionEvents are queued (offline: true). */
  async goOffline(): Promise<void> {
    this.networkDown = true;
    if (this.isOpen) await this.dropConnection();
  }

  /** The network is back: reconnect, replay the queued TransactionEvents in order, report connectors. */
  async goOnline(): Promise<void> {
    this.networkDown = false;
    await this.connect();
    await this.resume();
  }

  /**
   * Power loss: the connection drops and the station forgets its sessions and queued events, so no
   * Ended is sent (a ghost session for the CSMS); start() powers it up again (boot reason PowerUp).
   */
  async powerLoss(): Promise<void> {
    this.sessions.forget();
    for (const c of this.connectors.connectors) if (c.status === 'Occupied') c.status = this.connectors.freeStatus(c);
    this.registration = 'Unknown';
    if (this.isOpen) await this.dropConnection();
  }

  override close(code = 1000): Promise<CloseInfo> {
    this.sessions.stop();
    return super.close(code);
  }

  protected override mayReconnect(): boolean {
    return !this.networkDown;
  }

  /** Queued TransactionEvents first (E12), then the current connector statuses. */
  protected override async afterReconnect(): Promise<void> {
    await this.sessions.outbox.drained();
    await this.announceConnectors();
  }
}
