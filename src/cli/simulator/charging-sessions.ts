// Charging sessions of the simulated station, one per EVSE (OCPP 2.0.1 E01–E15): plug in,
// authorize, charge with periodic meter values, stop by token, remotely or by unplugging. Every
// TransactionEvent goes through the outbox, so offline events are queued and replayed in order.
import { randomUUID } from 'node:crypto';
import { statusNotification, type Connector } from './connector-state';
import {
  meterValue, readFlag, startPointReached, stopPointLeft, transactionEvent,
  type EventDetails, type IdToken, type Transaction,
} from './session-events';
import { authorizeToken, sameToken, type EvseSession, type SessionHost, type SessionSettings } from './session-host';
import { SessionMeter } from './session-meter';
import { TxOutbox } from './tx-outbox';

export type { EvseSession, SessionHost, SessionSettings } from './session-host';

export class ChargingSessions {
  readonly outbox: TxOutbox;
  private readonly sessions = new Map<number, EvseSession>();
  private readonly meter: SessionMeter;

  constructor(private readonly host: SessionHost, private readonly settings: SessionSettings) {
    this.outbox = new TxOutbox({
      online: () => host.online(),
      send: (payload) => host.call('TransactionEvent', payload),
      log: (msg) => host.log(msg),
      attempts: () => Number(host.model.read({ name: 'OCPPCommCtrlr' }, 'MessageAttempts', 'TransactionEvent') ?? 3) || 1,
      retryDelayMs: settings.retryDelayMs,
    });
    this.meter = new SessionMeter(host, settings, (s, tx, value) =>
      this.emit(s, tx, { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', meterValue: [value] }));
  }

  /** The session of an EVSE; throws for an EVSE the station does not have. */
  session(evseId: number): EvseSession {
    if (!this.host.connectors.hasEvse(evseId)) throw new Error(`no EVSE ${evseId}`);
    let s = this.sessions.get(evseId);
    if (!s) this.sessions.set(evseId, (s = { evseId, connectorId: 1, plugged: false }));
    return s;
  }

  all(): EvseSession[] {
    return [...this.sessions.values()];
  }

  byTransaction(transactionId: string): EvseSession | undefined {
    return this.all().find((s) => s.tx?.transactionId === transactionId);
  }

  connectorOf(s: EvseSession): Connector {
    return this.host.connectors.find(s.evseId, s.connectorId)!;
  }

  async plugIn(evseId = 1, connectorId = 1): Promise<void> {
    const s = this.session(evseId);
    const c = this.host.connectors.find(evseId, connectorId);
    if (!c) throw new Error(`no connector ${evseId}/${connectorId}`);
    s.plugged = true;
    s.connectorId = connectorId;
    clearTimeout(s.connectTimer);
    if (c.status === 'Available') {
      c.status = 'Occupied';
      await this.sendStatus(c);
    }
    await this.advance(s, 'CablePluggedIn');
  }

  /** Local authorization (C01): Authorize online, the local policy offline. Returns the status. */
  async authorize(idToken: IdToken, evseId = 1): Promise<string> {
    const s = this.session(evseId);
    const status = await this.checkToken(idToken);
    if (status !== 'Accepted') return status;
    s.authorized = idToken;
    await this.advance(s, 'Authorized', idToken);
    this.expectCable(s);
    return status;
  }

  /** The token that started the session stops it (E06, stoppedReason Local); another one authorizes. */
  async presentToken(idToken: IdToken, evseId = 1): Promise<string> {
    const s = this.session(evseId);
    if (s.tx && s.authorized && sameToken(s.authorized, idToken)) {
      await this.deauthorize(s, 'StopAuthorized', 'Local', idToken);
      return 'Accepted';
    }
    return this.authorize(idToken, evseId);
  }

  async startCharging(evseId = 1): Promise<void> {
    const s = this.session(evseId);
    const tx = s.tx;
    if (!tx || !s.plugged || !s.authorized || tx.chargingState === 'Charging') return;
    tx.chargingState = 'Charging';
    s.lastMeterAt = Date.now();
    await this.emit(s, tx, { eventType: 'Updated', triggerReason: 'ChargingStateChanged' });
    this.meter.start(s);
  }

  async unplug(evseId = 1): Promise<void> {
    const s = this.session(evseId);
    s.plugged = false;
    this.meter.stop(s);
    const tx = s.tx;
    if (tx && stopPointLeft(this.host.model, { plugged: false, authorized: !!s.authorized })) {
      await this.end(s, 'EVCommunicationLost', 'EVDisconnected');
    } else if (tx) {
      tx.chargingState = 'Idle';
      await this.emit(s, tx, { eventType: 'Updated', triggerReason: 'EVCommunicationLost' });
    }
    if (!s.tx) s.authorized = undefined;
    const c = this.connectorOf(s);
    if (c.status === 'Occupied') {
      c.status = this.host.connectors.freeStatus(c);
      await this.sendStatus(c);
    }
  }

  /** Authorization ends (token, remote stop, invalid token): the transaction ends or idles (E06). */
  async deauthorize(s: EvseSession, triggerReason: string, stoppedReason: string, idToken?: IdToken): Promise<void> {
    s.authorized = undefined;
    this.meter.stop(s);
    const tx = s.tx;
    if (!tx) return;
    if (stopPointLeft(this.host.model, { plugged: s.plugged, authorized: false })) {
      await this.end(s, triggerReason, stoppedReason, idToken);
      return;
    }
    tx.chargingState = s.plugged ? 'EVConnected' : 'Idle';
    await this.emit(s, tx, { eventType: 'Updated', triggerReason, ...(idToken && { idToken }) });
  }

  /** Starts the transaction at its start point, or reports the new fact in an Updated event. */
  async advance(s: EvseSession, triggerReason: string, idToken?: IdToken): Promise<void> {
    if (!this.host.connectors.isOperative(this.connectorOf(s))) return;
    let tx = s.tx;
    if (!tx) {
      if (!startPointReached(this.host.model, { plugged: s.plugged, authorized: !!s.authorized })) return;
      tx = s.tx = {
        transactionId: randomUUID(), evseId: s.evseId, connectorId: s.connectorId, seqNo: 0,
        chargingState: s.plugged ? 'EVConnected' : 'Idle',
        ...(s.authorized && { idToken: s.authorized }),
        ...(s.pendingRemoteStartId !== undefined && { remoteStartId: s.pendingRemoteStartId }),
      };
      s.pendingRemoteStartId = undefined;
      const begin = [meterValue(this.host.connectors.energy(s.evseId), 'Transaction.Begin')];
      await this.emit(s, tx, { eventType: 'Started', triggerReason, ...(s.authorized && { idToken: s.authorized }), meterValue: begin });
    } else {
      if (triggerReason === 'CablePluggedIn') tx.chargingState = 'EVConnected';
      if (idToken) tx.idToken = idToken;
      await this.emit(s, tx, { eventType: 'Updated', triggerReason, ...(idToken && { idToken }) });
    }
    if (this.settings.autoCharge) await this.startCharging(s.evseId);
  }

  /** F06: a TransactionEvent (Updated, triggerReason Trigger) for every running transaction in scope. */
  async trigger(evseId?: number): Promise<void> {
    for (const s of this.all()) {
      if (!s.tx || (evseId !== undefined && evseId !== 0 && s.evseId !== evseId)) continue;
      const sample = [meterValue(this.host.connectors.energy(s.evseId), 'Trigger')];
      await this.emit(s, s.tx, { eventType: 'Updated', triggerReason: 'Trigger', meterValue: sample });
    }
  }

  /** EVConnectionTimeOut (E03.FR.05, TC_F_04): an authorization without a cable expires. */
  expectCable(s: EvseSession): void {
    const seconds = Number(this.host.model.read({ name: 'TxCtrlr' }, 'EVConnectionTimeOut') ?? 0);
    if (s.plugged || !(seconds > 0)) return;
    clearTimeout(s.connectTimer);
    s.connectTimer = setTimeout(() => {
      if (s.plugged) return;
      s.pendingRemoteStartId = undefined;
      void this.deauthorize(s, 'EVConnectTimeout', 'Timeout').catch((e: Error) => this.host.log(e.message));
    }, seconds * 1000);
  }

  /** C01: Authorize online, the local policy offline (LocalAuthorizeOffline). */
  checkToken(idToken: IdToken): Promise<string> {
    return authorizeToken(this.host, idToken);
  }

  /** Stops every timer (the station is shut down). */
  stop(): void {
    for (const s of this.all()) {
      this.meter.stop(s);
      clearTimeout(s.connectTimer);
    }
  }

  /** Power loss: sessions and queued events are forgotten; no Ended is ever sent for them. */
  forget(): void {
    this.stop();
    this.sessions.clear();
    this.outbox.clear();
  }

  private async end(s: EvseSession, triggerReason: string, stoppedReason: string, idToken?: IdToken): Promise<void> {
    const tx = s.tx!;
    s.tx = undefined;
    this.meter.stop(s);
    const register = this.meter.accrue(s, tx);
    tx.chargingState = s.plugged ? 'EVConnected' : 'Idle';
    const final = [meterValue(register, 'Transaction.End')];
    await this.emit(s, tx, { eventType: 'Ended', triggerReason, stoppedReason, ...(idToken && { idToken }), meterValue: final });
  }

  private async emit(s: EvseSession, tx: Transaction, details: EventDetails): Promise<void> {
    const response = await this.outbox.submit(transactionEvent(tx, details));
    const status = response?.idTokenInfo?.status;
    // C_08/E_16: an idToken the CSMS does not accept ends the session (StopTxOnInvalidId).
    if (details.idToken && status && status !== 'Accepted' && s.tx === tx && readFlag(this.host.model, 'TxCtrlr', 'StopTxOnInvalidId')) {
      await this.deauthorize(s, 'Deauthorized', 'DeAuthorized');
    }
  }

  private async sendStatus(c: Connector): Promise<void> {
    if (!this.host.online()) return; // reported again on reconnect
    await this.host.call('StatusNotification', statusNotification(c)).catch((e: Error) => this.host.log(`StatusNotification failed: ${e.message}`));
  }
}
