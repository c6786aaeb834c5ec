// What a charging session sends: TransactionEvent and MeterValues payloads, and the start/stop
// points of OCPP 2.0.1 E01/E06 (TxCtrlr.TxStartPoint / TxStopPoint) as the station reads them.
import type { DeviceModel } from './device-model';

export interface IdToken {
  idToken: string;
  type: string;
}

export type ChargingState = 'EVConnected' | 'Charging' | 'SuspendedEV' | 'SuspendedEVSE' | 'Idle';

export interface Transaction {
  transactionId: string;
  evseId: number;
  connectorId: number;
  /** seqNo of the next event; 0 for the Started event (per transaction). */
  seqNo: number;
  chargingState: ChargingState;
  idToken?: IdToken;
  /** Sent with the next event, then forgotten (F02.FR.01). */
  remoteStartId?: number;
}

export interface EventDetails {
  eventType: 'Started' | 'Updated' | 'Ended';
  triggerReason: string;
  idToken?: IdToken;
  stoppedReason?: string;
  meterValue?: unknown[];
}

const TX = { name: 'TxCtrlr' };
const SAMPLED = { name: 'SampledDataCtrlr' };
export const ENERGY = 'Energy.Active.Import.Register';
export const POWER = 'Power.Active.Import';

/** Builds the next TransactionEvent of `tx` and advances its seqNo. */
export function transactionEvent(tx: Transaction, details: EventDetails) {
  const remoteStartId = tx.remoteStartId;
  tx.remoteStartId = undefined;
  return {
    eventType: details.eventType,
    timestamp: new Date().toISOString(),
    triggerReason: details.triggerReason,
    seqNo: tx.seqNo++,
    transactionInfo: {
      transactionId: tx.transactionId,
      chargingState: tx.chargingState,
      ...(details.stoppedReason !== undefined && { stoppedReason: details.stoppedReason }),
      ...(remoteStartId !== undefined && { remoteStartId }),
    },
    evse: { id: tx.evseId, connectorId: tx.connectorId },
    ...(details.idToken && { idToken: details.idToken }),
    ...(details.meterValue && { meterValue: details.meterValue }),
  };
}

/** One meterValue entry with the energy register (Wh) and, when given, the power (W). */
export function meterValue(energyWh: number, context: string, powerW?: number) {
  const sampledValue: unknown[] = [{ value: energyWh, context, measurand: ENERGY, unitOfMeasure: { unit: 'Wh' } }];
  if (powerW !== undefined) sampledValue.push({ value: powerW, context, measurand: POWER, unitOfMeasure: { unit: 'W' } });
  return { timestamp: new Date().toISOString(), sampledValue };
}

function pointList(model: DeviceModel, name: string): Set<string> {
  return new Set((model.read(TX, name) ?? '').split(',').map((p) => p.trim()).filter(Boolean));
}

export interface SessionFacts {
  plugged: boolean;
  authorized: boolean;
}

/** E01: a transaction starts at the first configured start point that is reached. */
export function startPointReached(model: DeviceModel, facts: SessionFacts): boolean {
  const points = pointList(model, 'TxStartPoint');
  const powerPath = facts.plugged && facts.authorized;
  return (
    ((points.has('EVConnected') || points.has('ParkingBayOccupancy')) && facts.plugged) ||
    (points.has('Authorized') && facts.authorized) ||
    ((points.has('PowerPathClosed') || points.has('EnergyTransfer') || points.has('DataSigned')) && powerPath)
  );
}

/** E06: a transaction stops as soon as one configured stop point no longer holds. */
export function stopPointLeft(model: DeviceModel, facts: SessionFacts): boolean {
  const points = pointList(model, 'TxStopPoint');
  const powerPath = facts.plugged && facts.authorized;
  return (
    ((points.has('EVConnected') || points.has('ParkingBayOccupancy')) && !facts.plugged) ||
    (points.has('Authorized') && !facts.authorized) ||
    ((points.has('PowerPathClosed') || points.has('EnergyTransfer')) && !powerPath)
  );
}

/** SampledDataCtrlr.TxUpdatedInterval in ms (0: no periodic values). */
export function updatedIntervalMs(model: DeviceModel): number {
  return Math.max(0, Number(model.read(SAMPLED, 'TxUpdatedInterval') ?? 0) * 1000);
}

export function readFlag(model: DeviceModel, component: string, name: string): boolean {
  return model.read({ name: component }, name) === 'true';
}
