// The connection life of a simulated OCPP 2.0.1 station: boot, heartbeat, reset, reconnect with
// backoff. Charging sessions and the offline mode live in station.ts.
import { ConnectorState, statusNotification } from './connector-state';
import type { DeviceModel } from './device-model';
import { TimerSet } from './timer-set';
import { StationSecurity } from './network-security';
import { StationCertificates } from './station-certificates';
import { securityProfileOf } from './open-socket';
import { OcppClient, type CloseInfo } from './ocpp-client';
import { field, readInteger, readString } from './request-fields';
import type { StationContext } from './station-context';
import { DEFAULT_MODEL, DEFAULT_VENDOR, deviceModelFor, type RegistrationStatus, type SimulatedStationOptions } from './station-options';

const OCPP_COMM = { name: 'OCPPCommCtrlr' };
const RESET_PAUSE_MS = 100;
const BOOT_RETRY_FALLBACK_S = 30;
const MAX_BACKOFF_MS = 30_000;

export abstract class StationCore extends OcppClient {
  readonly id: string;
  readonly model: DeviceModel;
  readonly connectors: ConnectorState;
  readonly networkProfiles = new Map<number, unknown>();
  /** A01/A05: the answer to a new password and the connection a reset switches to. */
  readonly security: StationSecurity;
  /** A02/A03, M03–M05: the station's keys and certificates. */
  readonly certificates: StationCertificates;
  registration: RegistrationStatus = 'Unknown';
  protected readonly settings: SimulatedStationOptions;
  private readonly timers = new TimerSet((error) => this.options.log(error.message));
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private rebooting = false;
  private reconnectAttempts = 0;

  constructor(options: SimulatedStationOptions) {
    super({
      url: options.url,
      id: options.id,
      ...(options.password !== undefined && { password: options.password }),
      protocols: options.protocols ?? ['ocpp2.0.1'],
      ...(options.extraHeaders && { extraHeaders: options.extraHeaders }),
      ...(options.tls && { tls: { ...options.tls } }),
      callTimeoutMs: options.callTimeoutMs ?? 10_000,
      log: options.log ?? (() => {}),
    });
    this.settings = options;
    this.id = options.id;
    this.model = deviceModelFor(options);
    this.connectors = new ConnectorState(options.evses ?? 1, options.connectorsPerEvse ?? 1);
    const initial = { url: options.url, securityProfile: securityProfileOf(options) };
    this.security = new StationSecurity(this.model, this.networkProfiles, initial, options.passwordChangeAnswer);
    this.certificates = new StationCertificates({ commonName: options.id, organization: options.certificateOrganization, keyType: options.certificateKeyType, directory: options.certificateDir });
    this.model.onChange((variable, attribute) => {
      if (variable.component.name === 'SecurityCtrlr' && variable.variable.name === 'BasicAuthPassword') {
        this.options.password = String(attribute.value);
      }
      if (variable.variable.name === 'HeartbeatInterval' && this.heartbeatTimer) this.scheduleHeartbeat();
    });
  }

  /** False while the station should stay away (the simulated network is down). */
  protected mayReconnect(): boolean {
    return true;
  }

  /** Runs once an accepted station is connected again (queued messages go out here). */
  protected async afterReconnect(): Promise<void> {
    await this.announceConnectors();
  }

  override async connect(): Promise<void> {
    this.stopped = false;
    await super.connect();
  }

  /** Connects, boots and, once accepted, reports every connector's status. */
  async start(): Promise<any> {
    try {
      await this.connect();
    } catch (error) {
      if (this.settings.autoReconnect && !this.stopped) this.scheduleReconnect();
      throw error;
    }
    return this.bootAndAnnounce('PowerUp');
  }

  async boot(reason = 'PowerUp'): Promise<any> {
    const s = this.settings;
    const response = await this.call('BootNotification', {
      reason,
      chargingStation: {
        model: s.model ?? DEFAULT_MODEL,
        vendorName: s.vendorName ?? DEFAULT_VENDOR,
        ...(s.serialNumber !== undefined && { serialNumber: s.serialNumber }),
        ...(s.firmwareVersion !== undefined && { firmwareVersion: s.firmwareVersion }),
      },
    });
    const status = readString(field(response, 'status'));
    if (status === 'Accepted' || status === 'Pending' || status === 'Rejected') this.registration = status;
    const interval = readInteger(field(response, 'interval'));
    if (status === 'Accepted') {
      if (interval !== undefined && interval > 0) this.model.setInternal(OCPP_COMM, 'HeartbeatInterval', String(interval));
      if (s.heartbeat) this.scheduleHeartbeat();
    }
    return response;
  }

  /** Sends a StatusNotification for every connector. */
  async announceConnectors(): Promise<void> {
    for (const c of this.connectors.connectors) await this.call('StatusNotification', statusNotification(c));
  }

  override close(code = 1000): Promise<CloseInfo> {
    this.stopped = true;
    this.clearTimers();
    return super.close(code);
  }

  protected override connectionClosed(info: CloseInfo, wasOpen: boolean): void {
    this.clearTimers();
    super.connectionClosed(info, wasOpen);
    if (wasOpen && this.settings.autoReconnect && !this.stopped && !this.rebooting && this.mayReconnect()) this.scheduleReconnect();
  }

  protected override secrets(): Array<string | undefined> {
    return [this.options.password, this.settings.password];
  }

  protected async bootAndAnnounce(reason: string): Promise<any> {
    const response = await this.boot(reason);
    if (this.registration === 'Accepted') {
      this.reconnectAttempts = 0;
      await this.afterReconnect();
    } else if (this.settings.retryBoot) {
      const interval = readInteger(field(response, 'interval'));
      const seconds = interval !== undefined && interval > 0 ? interval : BOOT_RETRY_FALLBACK_S;
      this.timers.later(seconds * 1000, () => this.bootAndAnnounce(reason));
    }
    return response;
  }

  /** Reset: drop the connection, come back and boot with reason RemoteReset. */
  private async reboot(): Promise<void> {
    this.rebooting = true;
    try {
      if (this.isOpen) await super.close(1000);
      await new Promise((resolve) => setTimeout(resolve, RESET_PAUSE_MS));
      if (this.stopped) return;
      this.registration = 'Unknown';
      // A05 to profile 3: the certificate the CSMS signed (A02) is the one the station presents.
      const signed = this.certificates.current('ChargingStationCertificate');
      if (signed) this.security.setClientCertificate(signed.cert, signed.key);
      this.security.rebootInto(this.options); // A05: the first-priority network profile
      await this.connect();
      await this.bootAndAnnounce('RemoteReset');
    } catch (error) {
      this.options.log(`reboot failed: ${(error as Error).message}`);
      if (this.settings.autoReconnect && !this.stopped && !this.isOpen) this.scheduleReconnect();
    } finally {
      this.rebooting = false;
    }
  }

  /**
   * A02: drop the connection and come back with the certificate of the last accepted
   * CertificateSigned as TLS client certificate (profile 3), at `url` when given (a wss:// URL).
   * Boots when not accepted yet; an accepted station just resumes.
   */
  async reconnectWithCertificate(url?: string): Promise<void> {
    const signed = this.certificates.current('ChargingStationCertificate');
    if (!signed) throw new Error('no signed ChargingStationCertificate to connect with');
    this.rebooting = true;
    try {
      if (this.isOpen) await super.close(1000);
      if (url !== undefined) this.options.url = url;
      this.options.tls = { ...this.options.tls, cert: signed.cert, key: signed.key };
      await this.connect();
    } finally {
      this.rebooting = false;
    }
    await this.resume();
  }

  /** After a connection loss an accepted station does not boot again; it reports its connectors. */
  private scheduleReconnect(): void {
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.reconnectAttempts);
    this.reconnectAttempts++;
    this.options.log(`reconnecting in ${delay} ms`);
    this.timers.later(delay, async () => {
      if (!this.mayReconnect() || this.stopped) return;
      try {
        await this.connect();
      } catch (error) {
        this.options.log(`reconnect failed: ${(error as Error).message}`);
        if (!this.stopped) this.scheduleReconnect();
        return;
      }
      await this.resume();
    });
  }

  /** Connected again: boot unless already accepted, else heartbeats and afterReconnect. */
  protected async resume(): Promise<void> {
    if (this.registration !== 'Accepted') {
      await this.bootAndAnnounce('PowerUp');
      return;
    }
    this.reconnectAttempts = 0;
    if (this.settings.heartbeat) this.scheduleHeartbeat();
    await this.afterReconnect();
  }

  private scheduleHeartbeat(): void {
    this.timers.cancel(this.heartbeatTimer);
    const seconds = Number(this.model.read(OCPP_COMM, 'HeartbeatInterval')) || 300;
    this.heartbeatTimer = this.timers.later(seconds * 1000, async () => {
      this.heartbeatTimer = undefined;
      if (!this.isOpen) return;
      this.scheduleHeartbeat();
      await this.call('Heartbeat', {});
    });
  }

  private clearTimers(): void {
    this.timers.clear();
    this.heartbeatTimer = undefined;
  }

  protected context(): Omit<StationContext, 'sessions'> {
    return {
      model: this.model,
      connectors: this.connectors,
      reportPartSize: this.settings.reportPartSize ?? 20,
      networkProfiles: this.networkProfiles,
      security: this.security,
      certificates: this.certificates,
      call: (action, payload) => this.call(action, payload),
      afterResponse: (task) => this.afterResponse(task),
      boot: (reason) => this.boot(reason),
      reboot: () => this.reboot(),
    };
  }
}
