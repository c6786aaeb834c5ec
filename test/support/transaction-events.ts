// Builders for raw TransactionEvent and MeterValues payloads, for tests that speak OCPP directly.
import { randomBytes } from 'node:crypto';
import type { SimulatedStation } from '../../src/cli/simulator/station';

export const BASE_TIME = Date.parse('2025-03-01T10:00:00.000Z');
/** An ISO time `seconds` after BASE_TIME. */
export const at = (seconds: number) => new Date(BASE_TIME + seconds * 1000).toISOString();
export const newTxId = (prefix = 'tx') => `${prefix}-${randomBytes(6).toString('hex')}`;

export interface Sample {
  value: number;
  context?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unitOfMeasure?: { unit?: string; multiplier?: number };
  signedMeterValue?: { signedMeterData: string; signingMethod: string; encodingMethod: string; publicKey: string };
}

export const meterValue = (seconds: number, ...sampledValue: Sample[]) => ({ timestamp: at(seconds), sampledValue });
/** An energy register reading in kWh. */
export const kWh = (value: number, context = 'Sample.Periodic'): Sample => ({ value, context, unitOfMeasure: { unit: 'kWh' } });

export interface EventOptions {
  seqNo: number;
  seconds?: number;
  triggerReason?: string;
  chargingState?: string;
  stoppedReason?: string;
  remoteStartId?: number;
  evse?: { id: number; connectorId?: number };
  idToken?: { idToken: string; type: string };
  offline?: boolean;
  meterValue?: ReturnType<typeof meterValue>[];
  numberOfPhasesUsed?: number;
  cableMaxCurrent?: number;
  reservationId?: number;
}

export function txEvent(eventType: 'Started' | 'Updated' | 'Ended', transactionId: string, o: EventOptions) {
  const defaults = { Started: 'CablePluggedIn', Updated: 'ChargingStateChanged', Ended: 'EVDeparted' } as const;
  return {
    eventType,
    timestamp: at(o.seconds ?? o.seqNo * 60),
    triggerReason: o.triggerReason ?? defaults[eventType],
    seqNo: o.seqNo,
    ...(o.offline !== undefined && { offline: o.offline }),
    ...(o.numberOfPhasesUsed !== undefined && { numberOfPhasesUsed: o.numberOfPhasesUsed }),
    ...(o.cableMaxCurrent !== undefined && { cableMaxCurrent: o.cableMaxCurrent }),
    ...(o.reservationId !== undefined && { reservationId: o.reservationId }),
    transactionInfo: {
      transactionId,
      ...(o.chargingState && { chargingState: o.chargingState }),
      ...(o.stoppedReason && { stoppedReason: o.stoppedReason }),
      ...(o.remoteStartId !== undefined && { remoteStartId: o.remoteStartId }),
    },
    ...(o.evse && { evse: o.evse }),
    ...(o.idToken && { idToken: o.idToken }),
    ...(o.meterValue && { meterValue: o.meterValue }),
  };
}

/** Sends a TransactionEvent and returns the response payload. */
export function send(station: SimulatedStation, event: ReturnType<typeof txEvent>): Promise<any> {
  return station.call('TransactionEvent', event);
}

/** A whole E01–E06 session: Started (Transaction.Begin 10 kWh), Updated (Charging), Ended (Transaction.End). */
export function session(transactionId: string, evseId: number, idToken?: { idToken: string; type: string }) {
  return [
    txEvent('Started', transactionId, {
      seqNo: 0, evse: { id: evseId, connectorId: 1 }, chargingState: 'EVConnected', ...(idToken && { idToken, triggerReason: 'Authorized' }),
      meterValue: [meterValue(0, kWh(10, 'Transaction.Begin'))],
    }),
    txEvent('Updated', transactionId, { seqNo: 1, chargingState: 'Charging', meterValue: [meterValue(60, kWh(11.5))] }),
    txEvent('Ended', transactionId, {
      seqNo: 2, seconds: 600, chargingState: 'Idle', stoppedReason: 'EVDisconnected', triggerReason: 'EVCommunicationLost',
      meterValue: [meterValue(600, kWh(22.345, 'Transaction.End'))],
    }),
  ];
}
