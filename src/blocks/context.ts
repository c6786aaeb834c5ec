// The one context handed to every action handler and command: who, with what, and how to call.
import type { OcppRequests, OcppResponses } from '../ocpp/generated/actions';
import type { RpcSession } from '../ocpp/rpc/session';
import { CSMS_INITIATED } from '../ocpp/actions';
import { CallFailure } from '../ocpp/rpc/call-failure';
import type { StationRow } from '../db/queries/stations';
import type { Services } from './services';
import type { SessionState } from './session-state';
import { checkOutgoing } from './provisioning/registration-gate';

export type OutgoingAction = keyof OcppRequests;

export interface Ctx extends Services {
  stationId: string;
  /** Send a CALL to this station and wait for its validated answer; rejects with CallFailure. */
  call<A extends OutgoingAction>(action: A, request: OcppRequests[A], options?: { compress?: boolean }): Promise<OcppResponses[A]>;
  /** Run after the current response went out (incoming) or right away in the background (commands). */
  defer(task: () => Promise<unknown> | unknown): void;
  /** The live session of this station, when connected. */
  session(): RpcSession<SessionState> | undefined;
  /** Commands: the station's row as read when the command began (one read less per command). */
  readonly station?: StationRow | undefined;
}

async function callStation<A extends OutgoingAction>(
  services: Services, stationId: string, action: A, request: OcppRequests[A], options?: { compress?: boolean },
): Promise<OcppResponses[A]> {
  if (!CSMS_INITIATED.has(action)) {
    throw new CallFailure('InvalidRequest', `${String(action).slice(0, 64)} is not an action the CSMS sends`);
  }
  const session = services.registry.get(stationId) as RpcSession<SessionState> | undefined;
  if (!session || !session.isOpen) throw new CallFailure('StationOffline', 'Station is not connected');
  checkOutgoing(session.state, action, request as Record<string, unknown>, services.now());
  const response = await session.call(action, request as never, options);
  return response as never;
}

// One per incoming message (issue 5 profile: a spread of the services plus three closures per
// message was a tenth of the Heartbeat path); methods live on the prototype.
class MessageCtx implements Ctx {
  readonly config: Services['config'];
  readonly db: Services['db'];
  readonly bus: Services['bus'];
  readonly log: Services['log'];
  readonly registry: Services['registry'];
  readonly ca: Services['ca'];
  readonly now: Services['now'];

  constructor(
    private readonly services: Services, readonly stationId: string, readonly defer: Ctx['defer'], readonly station?: StationRow,
  ) {
    this.config = services.config;
    this.db = services.db;
    this.bus = services.bus;
    this.log = services.log;
    this.registry = services.registry;
    this.ca = services.ca;
    this.now = services.now;
  }

  call<A extends OutgoingAction>(action: A, request: OcppRequests[A], options?: { compress?: boolean }): Promise<OcppResponses[A]> {
    return callStation(this.services, this.stationId, action, request, options);
  }

  session(): RpcSession<SessionState> | undefined {
    return this.registry.get(this.stationId) as RpcSession<SessionState> | undefined;
  }
}

export function createCtx(services: Services, stationId: string, defer: Ctx['defer'], station?: StationRow): Ctx {
  return new MessageCtx(services, stationId, defer, station);
}

/** A context for work started by the API rather than by a station's message. */
export function commandCtx(services: Services, stationId: string, station?: StationRow): Ctx {
  return createCtx(services, stationId, (task) => {
    setImmediate(() => {
      Promise.resolve()
        .then(task)
        .catch((err) => services.log.warn({ err, stationId }, 'background task failed'));
    });
  }, station);
}
