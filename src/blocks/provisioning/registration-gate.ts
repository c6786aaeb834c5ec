// Which messages may flow while a station is not (yet) Accepted (B01–B03, SPEC-NOTES §2.9).
import { CallFailure } from '../../ocpp/rpc/call-failure';
import { rpcError } from '../../ocpp/rpc/errors';
import type { SessionState } from '../session-state';

const ALLOWANCE_MS = 5 * 60 * 1000;

// B02.FR.02/B02.FR.06: while Pending the CSMS may configure the station and trigger messages.
const ALLOWED_WHILE_PENDING = new Set(['GetVariables', 'SetVariables', 'GetBaseReport', 'GetReport', 'TriggerMessage']);

const TRIGGERED_ACTION: Record<string, string> = {
  BootNotification: 'BootNotification',
  LogStatusNotification: 'LogStatusNotification',
  FirmwareStatusNotification: 'FirmwareStatusNotification',
  Heartbeat: 'Heartbeat',
  MeterValues: 'MeterValues',
  SignChargingStationCertificate: 'SignCertificate',
  SignV2GCertificate: 'SignCertificate',
  SignCombinedCertificate: 'SignCertificate',
  StatusNotification: 'StatusNotification',
  TransactionEvent: 'TransactionEvent',
  PublishFirmwareStatusNotification: 'PublishFirmwareStatusNotification',
};

/** Throws SecurityError for a CALL the station may not send in its registration state. */
export function checkIncoming(state: SessionState, action: string, now: Date): void {
  if (action === 'BootNotification' || state.registrationStatus === 'Accepted') return;
  const until = state.allowances.get(action);
  if (state.registrationStatus === 'Pending' && until !== undefined && until >= now.getTime()) return;
  // B01.FR.10 (never accepted), B02.FR.09 (Pending), B03.FR.07 (Rejected)
  throw rpcError.securityError(
    `${action} is not allowed while the registration status is ${state.registrationStatus ?? 'unknown (no BootNotification yet)'}`,
  );
}

/** Throws NotAllowed for a CALL the CSMS may not send in the station's registration state. */
export function checkOutgoing(state: SessionState, action: string, request: Record<string, unknown>, now: Date): void {
  if (state.registrationStatus === 'Accepted') return;
  if (state.registrationStatus === 'Rejected') {
    // B03.FR.03: the CSMS SHALL NOT initiate any message to a Rejected station.
    throw new CallFailure('NotAllowed', 'The station is Rejected; the CSMS sends it nothing');
  }
  if (!ALLOWED_WHILE_PENDING.has(action)) {
    throw new CallFailure('NotAllowed', `${action} cannot be sent before the station is Accepted`);
  }
  const allow = (incoming: string) => state.allowances.set(incoming, now.getTime() + ALLOWANCE_MS);
  if (action === 'TriggerMessage') {
    const triggered = TRIGGERED_ACTION[String(request.requestedMessage)];
    if (triggered) allow(triggered);
  }
  if (action === 'GetBaseReport' || action === 'GetReport') allow('NotifyReport');
}
