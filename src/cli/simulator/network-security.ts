// The station side of A01 (new Basic-auth password) and A05 (security profile upgrade):
// SetVariables SecurityCtrlr.BasicAuthPassword answered as configured (Accepted, Rejected or
// RebootRequired); on reboot the first slot of OCPPCommCtrlr.NetworkConfigurationPriority that
// holds a stored network profile (SetNetworkProfile) decides the URL and security profile.
import type { DeviceModel } from './device-model';
import type { SocketOptions, TlsClientOptions } from './open-socket';
import { field, readArray, readAttributeType, readComponent, readString, readVariable } from './request-fields';
import type { StationContext } from './station-context';
import { isValidValue } from './value-validation';
import { setOne } from './variable-handlers';

export type PasswordChangeAnswer = 'Accepted' | 'Rejected' | 'RebootRequired';

/** Where and how the station connects: its CSMS URL and security profile (A00). */
export interface ConnectionTarget {
  url: string;
  securityProfile: number;
  /** The configuration slot it came from; undefined for the station's initial settings. */
  slot?: number;
}

const SECURITY = { name: 'SecurityCtrlr' };
const OCPP_COMM = { name: 'OCPPCommCtrlr' };

export class StationSecurity {
  /** How SetVariables BasicAuthPassword is answered; tests change it between calls. */
  passwordChangeAnswer: PasswordChangeAnswer;
  /** A01: a password answered RebootRequired, applied at the next reboot. */
  private pendingPassword: string | undefined;

  constructor(
    private readonly model: DeviceModel,
    private readonly networkProfiles: Map<number, unknown>,
    private readonly initial: ConnectionTarget,
    passwordChangeAnswer: PasswordChangeAnswer = 'Accepted',
  ) {
    this.passwordChangeAnswer = passwordChangeAnswer;
  }

  /** The answer to one BasicAuthPassword write; Accepted stores it (used from the next connection on). */
  setPassword(value: string, attributeType: string): string {
    const found = this.model.lookup(SECURITY, { name: 'BasicAuthPassword' });
    if (found.status !== 'Found' || attributeType !== 'Actual') return 'Rejected';
    if (!isValidValue(value, found.variable.characteristics) || this.passwordChangeAnswer === 'Rejected') return 'Rejected';
    if (this.passwordChangeAnswer === 'RebootRequired') {
      this.pendingPassword = value;
      return 'RebootRequired';
    }
    this.model.setInternal(SECURITY, 'BasicAuthPassword', value);
    return 'Accepted';
  }

  /** A client certificate set aside while the station connects with profile 1 or 2. */
  private clientCertificate: Pick<TlsClientOptions, 'cert' | 'key'> | undefined;

  /** A certificate (PEM chain and key) the station presents once a reset moves it to profile 3. */
  setClientCertificate(cert: string, key: string): void {
    this.clientCertificate = { cert, key };
  }

  /**
   * Reset: the next connection uses the first-priority slot's URL and profile (A05 step 4). A client
   * certificate is presented exactly on profile 3 (open-socket.ts decides the profile by it).
   */
  rebootInto(socket: SocketOptions): ConnectionTarget {
    const target = this.rebootTarget();
    socket.url = target.url;
    if (socket.tls?.cert !== undefined) this.clientCertificate = { cert: socket.tls.cert, key: socket.tls.key };
    const { cert: _cert, key: _key, ...serverTrust } = socket.tls ?? {};
    if (target.securityProfile === 3 && this.clientCertificate) socket.tls = { ...serverTrust, ...this.clientCertificate };
    else if (socket.tls) socket.tls = serverTrust;
    return target;
  }

  /**
   * At boot: applies a password that waited for the reboot, and picks the connection of the first
   * priority slot with a stored profile (the initial settings when none has one).
   */
  rebootTarget(): ConnectionTarget {
    if (this.pendingPassword !== undefined) {
      this.model.setInternal(SECURITY, 'BasicAuthPassword', this.pendingPassword);
      this.pendingPassword = undefined;
    }
    const target = this.priorityTarget() ?? this.initial;
    if (target.slot !== undefined) this.model.setInternal(OCPP_COMM, 'ActiveNetworkProfile', String(target.slot));
    this.model.setInternal(SECURITY, 'SecurityProfile', String(target.securityProfile));
    return target;
  }

  private priorityTarget(): ConnectionTarget | undefined {
    const priority = (this.model.read(OCPP_COMM, 'NetworkConfigurationPriority') ?? '').split(',');
    for (const entry of priority) {
      const slot = Number(entry.trim());
      const data = this.networkProfiles.get(slot);
      const url = readString(field(data, 'ocppCsmsUrl'));
      const securityProfile = field(data, 'securityProfile');
      if (url && typeof securityProfile === 'number') return { url, securityProfile, slot };
    }
    return undefined;
  }
}

function isPassword(item: unknown): boolean {
  const component = readComponent(field(item, 'component'));
  return component.name === SECURITY.name && component.instance === undefined && readVariable(field(item, 'variable')).name === 'BasicAuthPassword';
}

/** SetVariables with the A01 answer for BasicAuthPassword; every other item as variable-handlers.ts answers it. */
export function securityHandlers(ctx: StationContext) {
  return {
    SetVariables: (payload: unknown) => {
      const limit = ctx.model.itemsPerMessage.setVariables;
      const items = readArray(field(payload, 'setVariableData'));
      return {
        setVariableResult: items.map((item, i) => {
          const attributeType = readAttributeType(field(item, 'attributeType'));
          if (i >= limit || !isPassword(item) || attributeType === null) return setOne(ctx.model, item, i >= limit);
          const value = readString(field(item, 'attributeValue')) ?? '';
          const echo = { attributeType: attributeType ?? 'Actual', component: SECURITY, variable: { name: 'BasicAuthPassword' } };
          return { attributeStatus: ctx.security.setPassword(value, echo.attributeType), ...echo };
        }),
      };
    },
  };
}
