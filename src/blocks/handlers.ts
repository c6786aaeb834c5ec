// Every CALL a station may send, mapped to its handler. An action missing here is answered
// NotSupported (a known 2.0.1 action the CSMS does not accept).
import { onAuthorize } from './authorization/Authorize';
import { onHeartbeat } from './availability/Heartbeat';
import { onStatusNotification } from './availability/StatusNotification';
import { onDataTransfer } from './data-transfer/DataTransfer';
import { defaultVendors, type VendorRegistry } from './data-transfer/vendor-handlers';
import { onNotifyCustomerInformation } from './diagnostics/NotifyCustomerInformation';
import { onLogStatusNotification } from './diagnostics/LogStatusNotification';
import { onNotifyEvent } from './diagnostics/NotifyEvent';
import { onNotifyMonitoringReport } from './diagnostics/NotifyMonitoringReport';
import type { HandlerMap } from './dispatcher';
import { onFirmwareStatusNotification } from './firmware/FirmwareStatusNotification';
import { onPublishFirmwareStatusNotification } from './firmware/PublishFirmwareStatusNotification';
import { onMeterValues } from './meter-values/MeterValues';
import { onBootNotification } from './provisioning/BootNotification';
import { onNotifyReport } from './provisioning/NotifyReport';
import { onSecurityEventNotification } from './security/SecurityEventNotification';
import { onSignCertificate } from './security/SignCertificate';
import { onTransactionEvent } from './transactions/TransactionEvent';

export function incomingHandlers(vendors: VendorRegistry = defaultVendors()): HandlerMap {
  return {
    Authorize: onAuthorize,
    BootNotification: onBootNotification,
    DataTransfer: onDataTransfer(vendors),
    FirmwareStatusNotification: onFirmwareStatusNotification,
    Heartbeat: onHeartbeat,
    LogStatusNotification: onLogStatusNotification,
    MeterValues: onMeterValues,
    NotifyCustomerInformation: onNotifyCustomerInformation,
    NotifyEvent: onNotifyEvent,
    NotifyMonitoringReport: onNotifyMonitoringReport,
    NotifyReport: onNotifyReport,
    PublishFirmwareStatusNotification: onPublishFirmwareStatusNotification,
    SecurityEventNotification: onSecurityEventNotification,
    SignCertificate: onSignCertificate,
    StatusNotification: onStatusNotification,
    TransactionEvent: onTransactionEvent,
  };
}
