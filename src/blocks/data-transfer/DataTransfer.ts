// P01 (CSMS → station) and P02 (station → CSMS): vendor-specific data.
import type { DataTransferRequest, DataTransferResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { findVendorHandler, type VendorRegistry } from './vendor-handlers';

export function onDataTransfer(registry: VendorRegistry) {
  return async (ctx: Ctx, request: DataTransferRequest): Promise<DataTransferResponse> => {
    const handler = findVendorHandler(registry, request);
    // P02.FR.06/07: unknown vendorId → UnknownVendorId, unknown messageId → UnknownMessageId.
    if (typeof handler === 'string') return { status: handler };
    return handler(ctx, request.data);
  };
}

export function sendDataTransfer(ctx: Ctx, input: DataTransferRequest): Promise<DataTransferResponse> {
  return ctx.call('DataTransfer', input);
}
