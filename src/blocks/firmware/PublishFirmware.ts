// L03: ask a Local Controller to download a firmware image and publish it to its stations. With a
// stored file the checksum is its MD5; otherwise the operator gives it. Statuses arrive as
// PublishFirmwareStatusNotification.
import { createFirmwarePublication, setPublicationResponse, type FirmwarePublicationRow } from '../../db/queries/firmware';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import type { CustomDataType, PublishFirmwareRequest, PublishFirmwareResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { firmwareSource } from './firmware-file';
import { FirmwareInputError } from './status-history';

export interface PublishFirmwareInput {
  location?: string;
  fileId?: string;
  /** MD5 (hex) of the image; taken from the stored file when fileId is given. */
  checksum?: string;
  requestId?: number;
  retries?: number;
  retryInterval?: number;
  customData?: CustomDataType;
}

export interface PublishFirmwareOutcome extends PublishFirmwareResponse {
  requestId: number;
  publication: FirmwarePublicationRow;
}

export async function sendPublishFirmware(ctx: Ctx, input: PublishFirmwareInput): Promise<PublishFirmwareOutcome> {
  const source = await firmwareSource(ctx, input);
  const checksum = input.checksum ?? source.md5;
  if (!checksum) throw new FirmwareInputError('checksum (MD5 of the image) is required with a location');
  if (source.md5 && input.checksum && source.md5 !== input.checksum.toLowerCase()) {
    throw new FirmwareInputError('checksum does not match the stored file');
  }
  const row = await createFirmwarePublication(ctx.db, input.requestId, {
    stationId: ctx.stationId, location: source.location, checksum, fileId: source.fileId,
    retries: input.retries ?? null, retryInterval: input.retryInterval ?? null,
  });
  const request: PublishFirmwareRequest = {
    location: source.location,
    checksum,
    requestId: row.requestId,
    ...(input.retries !== undefined && { retries: input.retries }),
    ...(input.retryInterval !== undefined && { retryInterval: input.retryInterval }),
    ...(input.customData !== undefined && { customData: input.customData }),
  };
  let response: PublishFirmwareResponse;
  try {
    response = await ctx.call('PublishFirmware', request);
  } catch (err) {
    if (err instanceof CallFailure) await setPublicationResponse(ctx.db, ctx.stationId, row.requestId, err.code, ctx.now());
    throw err;
  }
  const updated = await setPublicationResponse(ctx.db, ctx.stationId, row.requestId, response.status, ctx.now());
  return { ...response, requestId: row.requestId, publication: updated ?? row };
}
