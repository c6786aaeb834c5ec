// P01/P02: vendor-specific DataTransfer handlers, registered by vendorId and messageId.
import type { DataTransferRequest, DataTransferResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export type VendorHandler = (ctx: Ctx, data: unknown) => Promise<DataTransferResponse> | DataTransferResponse;

export interface VendorRegistry {
  /** messageId '' handles a request without messageId. */
  handlers: Map<string, Map<string, VendorHandler>>;
}

/** The built-in vendor: `Chargegraph` answers `Ping` with the CSMS time, so integrators can test the path. */
export function defaultVendors(): VendorRegistry {
  const chargegraph = new Map<string, VendorHandler>([
    ['Ping', (ctx) => ({ status: 'Accepted', data: { pong: ctx.now().toISOString() } })],
  ]);
  return { handlers: new Map([['Chargegraph', chargegraph]]) };
}

export function findVendorHandler(
  registry: VendorRegistry, request: DataTransferRequest,
): VendorHandler | 'UnknownVendorId' | 'UnknownMessageId' {
  const vendor = registry.handlers.get(request.vendorId);
  if (!vendor) return 'UnknownVendorId';
  return vendor.get(request.messageId ?? '') ?? 'UnknownMessageId';
}
