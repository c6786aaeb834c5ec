// An RpcSession over a fake socket with the real router and validator and an in-memory handler
// map whose outcome the fuzz case chooses (valid answer, throw, OcppError, invalid response, late
// rejection, failing follow-up task), for the router/session properties of rpc-fuzz.test.ts.
import { OcppError, type RpcErrorCode } from '../../src/ocpp/rpc/errors';
import { createRouter, type Dispatcher, type DispatchResult } from '../../src/ocpp/router';
import { RpcSession } from '../../src/ocpp/rpc/session';
import type { OcppValidator } from '../../src/ocpp/rpc/validator';

export type Behaviour = 'ok' | 'throw' | 'ocpp-error' | 'invalid-response' | 'reject-later' | 'after-throws';

const now = '2026-11-24T07:00:00.000Z';
const RESPONSES: Record<string, Record<string, unknown>> = {
  Heartbeat: { currentTime: now },
  BootNotification: { currentTime: now, interval: 300, status: 'Accepted' },
  StatusNotification: {},
  Authorize: { idTokenInfo: { status: 'Accepted' } },
  MeterValues: {},
  TransactionEvent: {},
  NotifyEvent: {},
  DataTransfer: { status: 'Accepted' },
  SecurityEventNotification: {},
  FirmwareStatusNotification: {},
  NotifyReport: {},
};

export interface FuzzSession {
  /** Feeds one text frame and returns every frame the session sent in answer. */
  exchange(text: string, behaviour: Behaviour, code: RpcErrorCode): Promise<string[]>;
  /** 'result' or the RPC error code the router must answer a well-formed CALL with. */
  expectedOutcome(action: string, payload: unknown, behaviour: Behaviour, code: RpcErrorCode): 'result' | string;
  heartbeatStillAnswered(): Promise<boolean>;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

export function createFuzzSession(validator: OcppValidator): FuzzSession {
  const sent: string[] = [];
  let behaviour: Behaviour = 'ok';
  let errorCode: RpcErrorCode = 'GenericError';
  const dispatcher: Dispatcher = {
    handles: (action) => Object.hasOwn(RESPONSES, action),
    async dispatch(_session, action): Promise<DispatchResult> {
      switch (behaviour) {
        case 'throw':
          throw new Error('SECRET password=hunter2 at /srv/app/db.ts:12');
        case 'ocpp-error':
          throw new OcppError(errorCode, 'handler refused');
        case 'invalid-response':
          return { response: { ...RESPONSES[action], bogus: '\u0000' }, after: [] };
        case 'reject-later':
          await Promise.resolve();
          throw new TypeError('SECRET late failure');
        case 'after-throws':
          return { response: RESPONSES[action]!, after: [() => Promise.reject(new Error('SECRET follow-up'))] };
        default:
          return { response: RESPONSES[action]!, after: [] };
      }
    },
  };
  const quiet = { warn() {}, error() {} };
  const socket = { send: (text: string) => void sent.push(text), close() {} };
  const limits = { callTimeoutMs: 1000, maxQueuedIncoming: 32, maxQueuedOutgoing: 8, maxJsonDepth: 32 };
  const session = new RpcSession('FUZZ-1', {}, socket, validator, createRouter(validator, dispatcher, quiet), limits);

  const exchange = async (text: string, b: Behaviour, code: RpcErrorCode) => {
    behaviour = b;
    errorCode = code;
    sent.length = 0;
    session.receive(text);
    await settle();
    await settle();
    return [...sent];
  };

  return {
    exchange,
    expectedOutcome(action, payload, b, code) {
      if (!validator.knows(action)) return 'NotImplemented';
      if (!dispatcher.handles(action)) return 'NotSupported';
      try {
        validator.validate(action, 'request', payload);
      } catch (err) {
        return (err as OcppError).code;
      }
      if (b === 'ok' || b === 'after-throws') return 'result';
      return b === 'ocpp-error' ? code : 'InternalError';
    },
    async heartbeatStillAnswered() {
      const [reply] = await exchange('[2,"final-heartbeat","Heartbeat",{}]', 'ok', 'GenericError');
      return reply !== undefined && JSON.parse(reply)[0] === 3;
    },
  };
}
