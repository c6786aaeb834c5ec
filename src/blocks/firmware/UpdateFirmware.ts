// L01/L02: ask a station to download and install firmware. The request is stored before it is sent
// (statuses may arrive before the answer); requestId is generated when omitted. L01.FR.24: a station
// busy with an earlier update answers AcceptedCanceled — that earlier request is recorded as cancelled.
import {
  cancelOtherFirmwareUpdates, createFirmwareUpdate, setFirmwareUpdateResponse, type FirmwareUpdateRow,
} from '../../db/queries/firmware';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import type { CustomDataType, UpdateFirmwareRequest, UpdateFirmwareResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { firmwareSource } from './firmware-file';
import { isoTime } from './status-history';

export interface UpdateFirmwareInput {
  requestId?: number;
  retries?: number;
  retryInterval?: number;
  firmware: {
    location?: string;
    /** A stored image (POST /files) instead of a location. */
    fileId?: string;
    /** Defaults to now. */
    retrieveDateTime?: string | Date;
    installDateTime?: string | Date;
    /** L01.FR.11: secure updates carry the firmware signing certificate (PEM). */
    signingCertificate?: string;
    signature?: string;
  };
  customData?: CustomDataType;
}

export interface UpdateFirmwareOutcome extends UpdateFirmwareResponse {
  requestId: number;
  firmwareUpdate: FirmwareUpdateRow;
}

export async function sendUpdateFirmware(ctx: Ctx, input: UpdateFirmwareInput): Promise<UpdateFirmwareOutcome> {
  const { firmware } = input;
  const source = await firmwareSource(ctx, firmware);
  const retrieveDateTime = isoTime(firmware.retrieveDateTime) ?? ctx.now().toISOString();
  const installDateTime = isoTime(firmware.installDateTime);
  const row = await createFirmwareUpdate(ctx.db, input.requestId, {
    stationId: ctx.stationId,
    location: source.location,
    fileId: source.fileId,
    retrieveDateTime: new Date(retrieveDateTime),
    installDateTime: installDateTime ? new Date(installDateTime) : null,
    signingCertificate: firmware.signingCertificate ?? null,
    signature: firmware.signature ?? null,
    retries: input.retries ?? null,
    retryInterval: input.retryInterval ?? null,
  });
  const request: UpdateFirmwareRequest = {
    requestId: row.requestId,
    firmware: {
      location: source.location,
      retrieveDateTime,
      ...(installDateTime !== undefined && { installDateTime }),
      ...(firmware.signingCertificate !== undefined && { signingCertificate: firmware.signingCertificate }),
      ...(firmware.signature !== undefined && { signature: firmware.signature }),
    },
    ...(input.retries !== undefined && { retries: input.retries }),
    ...(input.retryInterval !== undefined && { retryInterval: input.retryInterval }),
    ...(input.customData !== undefined && { customData: input.customData }),
  };
  let response: UpdateFirmwareResponse;
  try {
    response = await ctx.call('UpdateFirmware', request);
  } catch (err) {
    if (err instanceof CallFailure) await setFirmwareUpdateResponse(ctx.db, ctx.stationId, row.requestId, err.code, ctx.now());
    throw err;
  }
  const updated = await setFirmwareUpdateResponse(ctx.db, ctx.stationId, row.requestId, response.status, ctx.now());
  if (response.status === 'AcceptedCanceled') {
    const canceled = await cancelOtherFirmwareUpdates(ctx.db, ctx.stationId, row.requestId, ctx.now());
    ctx.log.info({ stationId: ctx.stationId, requestId: row.requestId, canceled: canceled.map((c) => c.requestId) }, 'firmware update replaced an ongoing one');
  }
  return { ...response, requestId: row.requestId, firmwareUpdate: updated ?? row };
}
