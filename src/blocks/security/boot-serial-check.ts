// B01.FR.11/12: under profile 3 the serialNumber of a BootNotification must be the client
// certificate's CN; on a mismatch the CSMS closes the connection. A boot without serialNumber is
// fine (the OCTT boots of TC_A_07/08 send only model and vendorName).
import type { BootNotificationRequest } from '../../ocpp/generated/types';
import { rpcError } from '../../ocpp/rpc/errors';
import type { Ctx } from '../context';
import { storeSecurityEvent } from './record-security-event';
import { CSMS_EVENT } from './security-event-types';

/** WebSocket close code for the mismatch (RFC 6455 1008 policy violation). */
export const CLOSE_SERIAL_MISMATCH = 1008;

/** Closes the connection and throws when the boot contradicts the certificate; otherwise returns. */
export async function enforceCertificateSerial(ctx: Ctx, request: BootNotificationRequest): Promise<void> {
  const session = ctx.session();
  const commonName = session?.state.certificateCommonName;
  const serialNumber = request.chargingStation.serialNumber;
  if (!session || commonName === undefined || serialNumber === undefined || serialNumber === commonName) return;
  session.close(CLOSE_SERIAL_MISMATCH, 'serialNumber does not match the certificate');
  await storeSecurityEvent(ctx, {
    stationId: ctx.stationId,
    type: CSMS_EVENT.serialNumberMismatch,
    timestamp: ctx.now(),
    techInfo: `BootNotification serialNumber '${serialNumber}' differs from certificate CN '${commonName}'`,
    source: 'CSMS',
  }).catch((err) => ctx.log.warn({ err, stationId: ctx.stationId }, 'could not record the serial number mismatch'));
  throw rpcError.securityError('serialNumber does not match the client certificate');
}
