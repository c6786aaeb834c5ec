// The station's built-in answers to CSMS-initiated CALLs; anything missing gets NotImplemented.
import { operationHandlers } from './operation-handlers';
import { reportHandlers } from './report-handlers';
import { sessionHandlers } from './session-handlers';
import type { CallHandler, StationContext } from './station-context';
import { getTransactionStatusHandler } from './transaction-status';
import { triggerMessageHandler } from './trigger-message';
import { variableHandlers } from './variable-handlers';

export function defaultHandlers(ctx: StationContext): Map<string, CallHandler> {
  return new Map<string, CallHandler>(
    Object.entries({
      ...variableHandlers(ctx),
      ...reportHandlers(ctx),
      ...operationHandlers(ctx),
      ...sessionHandlers(ctx),
      TriggerMessage: triggerMessageHandler(ctx),
      GetTransactionStatus: getTransactionStatusHandler(ctx),
    }),
  );
}
