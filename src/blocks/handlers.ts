// Every CALL a station may send, mapped to its handler. An action missing here is answered
// NotSupported (a known 2.0.1 action the CSMS does not accept).
import { onAuthorize } from './authorization/Authorize';
import { onHeartbeat } from './availability/Heartbeat';
import { onStatusNotification } from './availability/StatusNotification';
import { onDataTransfer } from './data-transfer/DataTransfer';
import { defaultVendors, type VendorRegistry } from './data-transfer/vendor-handlers';
import { onNotifyEvent } from './diagnostics/NotifyEvent';
import type { HandlerMap } from './dispatcher';
import { onMeterValues } from './meter-values/MeterValues';
import { onBootNotification } from './provisioning/BootNotification';
import { onNotifyReport } from './provisioning/NotifyReport';
import { onTransactionEvent } from './transactions/TransactionEvent';

export function incomingHandlers(vendors: VendorRegistry = defaultVendors()): HandlerMap {
  return {
    Authorize: onAuthorize,
    BootNotification: onBootNotification,
    DataTransfer: onDataTransfer(vendors),
    Heartbeat: onHeartbeat,
    MeterValues: onMeterValues,
    NotifyEvent: onNotifyEvent,
    NotifyReport: onNotifyReport,
    StatusNotification: onStatusNotification,
    TransactionEvent: onTransactionEvent,
  };
}
