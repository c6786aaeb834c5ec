// Binds an accepted websocket to an RpcSession: text frames in, frames out, close handling.
import type { WebSocket } from 'ws';
import { rpcError } from '../rpc/errors';
import { UNREADABLE_ID } from '../rpc/frame';
import { RpcSession, type CallHandler, type RpcEvents, type RpcLimits } from '../rpc/session';
import type { OcppValidator } from '../rpc/validator';

export const CLOSE_UNSUPPORTED_DATA = 1003;

export interface AttachOptions<S> {
  stationId: string;
  state: S;
  validator: OcppValidator;
  handleCall: CallHandler;
  limits: RpcLimits;
  events: RpcEvents;
  onClose(session: RpcSession<S>, code: number): void;
}

export function attachSession<S>(ws: WebSocket, options: AttachOptions<S>): RpcSession<S> {
  const socket = {
    send: (text: string, opts?: { compress?: boolean }) => {
      if (ws.readyState === ws.OPEN) ws.send(text, { compress: opts?.compress ?? true });
    },
    close: (code: number, reason: string) => ws.close(code, reason),
  };
  const session = new RpcSession<S>(
    options.stationId, options.state, socket, options.validator, options.handleCall, options.limits, options.events,
  );
  let binaryFrames = 0;
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      // OCPP-J uses text frames only: answer the first binary frame, close on a repeat.
      binaryFrames += 1;
      if (binaryFrames > 1) ws.close(CLOSE_UNSUPPORTED_DATA, 'Binary frames are not supported');
      else session.sendError(UNREADABLE_ID, rpcError.rpcFrameworkError('Binary frames are not supported'));
      return;
    }
    session.receive(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8'));
  });
  // ws sends its own close frame (e.g. 1009) after an error and then closes; terminating here could drop it.
  ws.on('error', () => {});
  ws.on('close', (code) => {
    session.shutdown();
    options.onClose(session, code);
  });
  return session;
}
