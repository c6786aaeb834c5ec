// Every CALL a station may send, mapped to its handler. An action missing here is answered
// NotSupported (a known 2.0.1 action the CSMS does not accept).
import { onHeartbeat } from './availability/Heartbeat';
import { onStatusNotification } from './availability/StatusNotification';
import { onDataTransfer } from './data-transfer/DataTransfer';
import { defaultVendors, type VendorRegistry } from './data-transfer/vendor-handlers';
import { onNotifyEvent } from './diagnostics/NotifyEvent';
import type { HandlerMap } from './dispatcher';
import { onBootNotification } from './provisioning/BootNotification';
import { onNotifyReport } from './provisioning/NotifyReport';

export function incomingHandlers(vendors: VendorRegistry = defaultVendors()): HandlerMap {
  return {
    BootNotification: onBootNotification,
    DataTransfer: onDataTransfer(vendors),
    Heartbeat: onHeartbeat,
    NotifyEvent: onNotifyEvent,
    NotifyReport: onNotifyReport,
    StatusNotification: onStatusNotification,
  };
}
