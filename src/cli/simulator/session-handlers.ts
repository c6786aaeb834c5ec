// The station's answers to remote control (OCPP 2.0.1 F01–F05): RequestStartTransaction,
// RequestStopTransaction and UnlockConnector, acting on the charging sessions.
import type { EvseSession } from './charging-sessions';
import { field, isObject, readInteger, readString } from './request-fields';
import { readFlag, type IdToken } from './session-events';
import type { StationContext } from './station-context';

function readIdToken(value: unknown): IdToken | undefined {
  const idToken = readString(field(value, 'idToken'));
  const type = readString(field(value, 'type'));
  return idToken !== undefined && type !== undefined ? { idToken, type } : undefined;
}

/** The EVSE a remote start goes to: the one asked for, else a free operative one (a plugged one first). */
function chooseEvse(ctx: StationContext, evseId: number | undefined): EvseSession | undefined {
  const candidates = evseId !== undefined
    ? (ctx.connectors.hasEvse(evseId) ? [ctx.sessions.session(evseId)] : [])
    : [...new Set(ctx.connectors.connectors.map((c) => c.evseId))].map((id) => ctx.sessions.session(id));
  const free = candidates.filter(
    (s) => !s.authorized && s.pendingRemoteStartId === undefined && ctx.connectors.isOperative(ctx.sessions.connectorOf(s)),
  );
  return free.find((s) => s.plugged) ?? free[0];
}

/**
 * F01/F02: Accepted when an operative EVSE without an authorized session is free; the answer carries
 * the transactionId when the cable was plugged in first (F01). Afterwards the station authorizes the
 * token when AuthorizeRemoteStart is true (F01.FR.01), then starts the transaction with triggerReason
 * RemoteStart and the remoteStartId (F02.FR.01).
 */
function requestStartTransaction(ctx: StationContext) {
  return (payload: unknown) => {
    const idToken = readIdToken(field(payload, 'idToken'));
    const remoteStartId = readInteger(field(payload, 'remoteStartId'));
    const s = chooseEvse(ctx, readInteger(field(payload, 'evseId')));
    if (!idToken || remoteStartId === undefined || !s) return { status: 'Rejected' };
    s.pendingRemoteStartId = remoteStartId;
    const running = s.tx;
    ctx.afterResponse(async () => {
      const check = readFlag(ctx.model, 'AuthCtrlr', 'AuthorizeRemoteStart') && idToken.type !== 'Central';
      if (check && (await ctx.sessions.checkToken(idToken)) !== 'Accepted') {
        s.pendingRemoteStartId = undefined;
        return;
      }
      s.authorized = idToken;
      if (s.tx) {
        s.tx.remoteStartId = remoteStartId;
        s.pendingRemoteStartId = undefined;
      }
      await ctx.sessions.advance(s, 'RemoteStart', idToken);
      ctx.sessions.expectCable(s);
    });
    return { status: 'Accepted', ...(running && { transactionId: running.transactionId }) };
  };
}

/** F03: Accepted for a running transaction, which then ends with triggerReason RemoteStop (F03.FR.09). */
function requestStopTransaction(ctx: StationContext) {
  return (payload: unknown) => {
    const transactionId = readString(field(payload, 'transactionId'));
    const s = transactionId === undefined ? undefined : ctx.sessions.byTransaction(transactionId);
    if (!s) return { status: 'Rejected' };
    ctx.afterResponse(() => ctx.sessions.deauthorize(s, 'RemoteStop', 'Remote'));
    return { status: 'Accepted' };
  };
}

/** F05: UnknownConnector (F05.FR.03), OngoingAuthorizedTransaction (F05.FR.02), else Unlocked. */
function unlockConnector(ctx: StationContext) {
  return (payload: unknown) => {
    const evseId = readInteger(field(payload, 'evseId'));
    const connectorId = readInteger(field(payload, 'connectorId'));
    if (!isObject(payload) || evseId === undefined || connectorId === undefined || !ctx.connectors.find(evseId, connectorId)) {
      return { status: 'UnknownConnector' };
    }
    const s = ctx.sessions.session(evseId);
    if (s.tx && s.authorized) return { status: 'OngoingAuthorizedTransaction' };
    return { status: 'Unlocked' };
  };
}

export function sessionHandlers(ctx: StationContext) {
  return {
    RequestStartTransaction: requestStartTransaction(ctx),
    RequestStopTransaction: requestStopTransaction(ctx),
    UnlockConnector: unlockConnector(ctx),
  };
}
