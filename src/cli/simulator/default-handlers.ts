// The station's built-in answers to CSMS-initiated CALLs; anything missing gets NotImplemented.
import { certificateHandlers } from './certificate-handlers';
import { diagnosticsHandlers } from './diagnostics-handlers';
import { maintenanceHandlers } from './maintenance-handlers';
import { operationHandlers } from './operation-handlers';
import { reportHandlers } from './report-handlers';
import { securityHandlers } from './network-security';
import { sessionHandlers } from './session-handlers';
import type { CallHandler, StationContext } from './station-context';
import { getTransactionStatusHandler } from './transaction-status';
import { triggerMessageHandler } from './trigger-message';
import { variableHandlers } from './variable-handlers';

export function defaultHandlers(ctx: StationContext): Map<string, CallHandler> {
  return new Map<string, CallHandler>(
    Object.entries({
      ...variableHandlers(ctx),
      ...securityHandlers(ctx),
      ...reportHandlers(ctx),
      ...operationHandlers(ctx),
      ...sessionHandlers(ctx),
      ...diagnosticsHandlers(ctx),
      ...maintenanceHandlers(ctx), // L01–L04 firmware, N01 GetLog
      ...certificateHandlers(ctx, triggerMessageHandler(ctx)), // TriggerMessage (+ A02 Sign*Certificate), CertificateSigned, M03–M05
      GetTransactionStatus: getTransactionStatusHandler(ctx),
    }),
  );
}
