// What one benchmark station sends: a BootNotification, then a realistic cycle of one charging
// session (Authorize, Occupied, TransactionEvent Started / Updated with meter values / Ended,
// Available) interleaved with main-meter MeterValues and Heartbeats.
export interface OutgoingMessage {
  action: string;
  payload: Record<string, unknown>;
}

export interface ScriptState {
  step: number;
  session: number;
  seqNo: number;
  energyWh: number;
  transactionId: string | undefined;
}

const UPDATES_PER_SESSION = 4;
const HEARTBEATS_PER_CYCLE = 4;

/** The cycle, by kind; one entry per message. */
const CYCLE: string[] = [
  'Authorize', 'Occupied', 'Started',
  ...Array<string>(UPDATES_PER_SESSION).fill('Updated'),
  'MeterValues', 'Ended', 'Available',
  ...Array<string>(HEARTBEATS_PER_CYCLE).fill('Heartbeat'),
];

export const CYCLE_LENGTH = CYCLE.length;

/**
 * Stations start spread evenly over the cycle, as a fleet's sessions are: in step, every station
 * would send its TransactionEvents in the same seconds and the mix would come in waves. One that
 * starts inside a session opens it at its first Updated, and skips that session's Ended.
 */
export function newScriptState(index: number): ScriptState {
  return { step: index % CYCLE_LENGTH, session: 0, seqNo: 0, energyWh: 0, transactionId: undefined };
}

const iso = () => new Date().toISOString();

export function bootNotification(): OutgoingMessage {
  return {
    action: 'BootNotification',
    payload: { reason: 'PowerUp', chargingStation: { model: 'BenchStation', vendorName: 'Chargegraph', serialNumber: 'bench', firmwareVersion: '1.0' } },
  };
}

export function heartbeat(): OutgoingMessage {
  return { action: 'Heartbeat', payload: {} };
}

function status(connectorStatus: string): OutgoingMessage {
  return { action: 'StatusNotification', payload: { timestamp: iso(), connectorStatus, evseId: 1, connectorId: 1 } };
}

function sample(wh: number, context: string) {
  return {
    timestamp: iso(),
    sampledValue: [
      { value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
      { value: 7400, context, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
    ],
  };
}

function transactionEvent(s: ScriptState, eventType: string, triggerReason: string, extra: Record<string, unknown>, context: string) {
  return {
    action: 'TransactionEvent',
    payload: {
      eventType, timestamp: iso(), triggerReason, seqNo: s.seqNo++,
      transactionInfo: { transactionId: s.transactionId, chargingState: eventType === 'Ended' ? 'EVConnected' : 'Charging', ...(eventType === 'Ended' ? { stoppedReason: 'Local' } : {}) },
      evse: { id: 1, connectorId: 1 },
      meterValue: [sample(s.energyWh, context)],
      ...extra,
    },
  };
}

/** The next message of this station's cycle; `runId` keeps transaction ids unique across runs. */
export function nextMessage(stationId: string, s: ScriptState, runId: string): OutgoingMessage {
  let kind = CYCLE[s.step]!;
  s.step = (s.step + 1) % CYCLE_LENGTH;
  if (s.transactionId === undefined && kind === 'Updated') kind = 'Started';
  if (s.transactionId === undefined && kind === 'Ended') kind = 'Heartbeat';
  const idToken = { idToken: `TOKEN-${stationId}`.slice(0, 36), type: 'ISO14443' };
  switch (kind) {
    case 'Authorize':
      return { action: 'Authorize', payload: { idToken } };
    case 'Occupied':
      return status('Occupied');
    case 'Started':
      s.session += 1;
      s.seqNo = 0;
      s.transactionId = `${runId}-${s.session}`;
      return transactionEvent(s, 'Started', 'Authorized', { idToken }, 'Transaction.Begin');
    case 'Updated':
      s.energyWh += 250;
      return transactionEvent(s, 'Updated', 'MeterValuePeriodic', {}, 'Sample.Periodic');
    case 'MeterValues':
      return { action: 'MeterValues', payload: { evseId: 0, meterValue: [sample(100000 + s.energyWh, 'Sample.Clock')] } };
    case 'Ended':
      s.energyWh += 100;
      return transactionEvent(s, 'Ended', 'StopAuthorized', { idToken }, 'Transaction.End');
    case 'Available':
      s.transactionId = undefined;
      return status('Available');
    default:
      return heartbeat();
  }
}

/** Answers to CALLs the CSMS sends a benchmark station (commands, onboarding, reconciliation). */
export function answerCsmsCall(action: string, payload: any, s: ScriptState): Record<string, unknown> | undefined {
  switch (action) {
    case 'GetVariables':
      return {
        getVariableResult: (payload.getVariableData ?? []).map((d: any) => ({
          attributeStatus: 'Accepted', attributeType: d.attributeType ?? 'Actual', attributeValue: '300', component: d.component, variable: d.variable,
        })),
      };
    case 'TriggerMessage':
      return { status: 'Rejected' };
    case 'GetBaseReport':
    case 'GetReport':
      return { status: 'EmptyResultSet' };
    case 'GetTransactionStatus':
      return { messagesInQueue: false, ...(payload.transactionId ? { ongoingIndicator: payload.transactionId === s.transactionId } : {}) };
    default:
      return undefined;
  }
}

/** A frame from the CSMS as an array, or undefined when it is not JSON or not an array. */
export function decodeFrame(raw: string): any[] | undefined {
  try {
    const frame = JSON.parse(raw);
    return Array.isArray(frame) ? frame : undefined;
  } catch {
    return undefined;
  }
}

/** The bench station's answer to a CALL from the CSMS: a CALLRESULT, or NotImplemented. */
export function replyToCsmsCall(frame: any[], s: ScriptState): string {
  const answer = answerCsmsCall(frame[2], frame[3] ?? {}, s);
  return JSON.stringify(answer ? [3, frame[1], answer] : [4, frame[1], 'NotImplemented', 'Not supported by the benchmark station', {}]);
}
