// Firmware management (block L): updateFirmware, publishFirmware, unpublishFirmware, their stored
// requests with status histories under Station, and the status subscriptions.
import { FirmwareInputError } from '../../blocks/firmware/status-history';
import { sendPublishFirmware } from '../../blocks/firmware/PublishFirmware';
import { sendUnpublishFirmware } from '../../blocks/firmware/UnpublishFirmware';
import { sendUpdateFirmware } from '../../blocks/firmware/UpdateFirmware';
import {
  FINAL_FIRMWARE_STATUSES, findFirmwareUpdate, listFirmwarePublications, listFirmwareUpdates,
} from '../../db/queries/firmware';
import { RequestIdInUse } from '../../db/queries/request-ids';
import { lastRequestStatus, statusHistories, type RequestStatusEventRow } from '../../db/queries/request-status';
import { apiError } from '../errors';
import type { Resolvers } from '../generated/resolvers';
import { command } from './commands';
import { requestStatusEvents } from './request-events';
import { pageSize } from './stations';

/** A command whose input errors are API errors: unknown file or bad input → BAD_USER_INPUT, used requestId → CONFLICT. */
export function trackedCommand<I, R extends object>(send: Parameters<typeof command<I, R>>[0]) {
  return command<I, R>(async (ctx, input) => {
    try {
      return await send(ctx, input);
    } catch (err) {
      if (err instanceof RequestIdInUse) throw apiError('CONFLICT', err.message);
      if (err instanceof FirmwareInputError) throw apiError('BAD_USER_INPUT', err.message);
      throw err;
    }
  });
}

const history = async (db: Parameters<typeof statusHistories>[0], stationId: string, kind: 'firmware' | 'publish', requestId: number) =>
  (await statusHistories(db, stationId, kind, [requestId])).get(requestId) ?? [];

export const firmwareResolvers: Resolvers = {
  Mutation: {
    updateFirmware: trackedCommand(sendUpdateFirmware),
    publishFirmware: trackedCommand(sendPublishFirmware),
    unpublishFirmware: trackedCommand(sendUnpublishFirmware),
  },
  Subscription: {
    firmwareStatusChanged: {
      subscribe: (_, { stationId }, context) => requestStatusEvents(context, 'firmware', stationId) as never,
      resolve: (row: RequestStatusEventRow) => row,
    },
    publishFirmwareStatusChanged: {
      subscribe: (_, { stationId }, context) => requestStatusEvents(context, 'publish', stationId) as never,
      resolve: (row: RequestStatusEventRow) => row,
    },
  },
  Station: {
    firmwareUpdates: (s, { first }, { services }) => listFirmwareUpdates(services.db, s.id, pageSize(first, 10)),
    firmwareUpdate: async (s, { requestId }, { services }) => (await findFirmwareUpdate(services.db, s.id, requestId)) ?? null,
    firmwareStatus: async (s, _, { services }) => (await lastRequestStatus(services.db, s.id, 'firmware')) ?? null,
    firmwarePublications: (s, { first }, { services }) => listFirmwarePublications(services.db, s.id, pageSize(first, 10)),
  },
  FirmwareUpdate: {
    status: (u) => u.status as never,
    finished: (u) => u.status !== null && FINAL_FIRMWARE_STATUSES.includes(u.status),
    canceled: (u) => u.canceledByRequestId !== null,
    statusHistory: (u, _, { services }) => history(services.db, u.stationId, 'firmware', u.requestId),
  },
  FirmwareStatusEvent: {
    status: (e) => e.status as never,
    firmwareUpdate: async (e, _, { services }) =>
      e.requestId === null ? null : ((await findFirmwareUpdate(services.db, e.stationId, e.requestId)) ?? null),
  },
  FirmwarePublication: {
    status: (p) => p.status as never,
    statusHistory: (p, _, { services }) => history(services.db, p.stationId, 'publish', p.requestId),
  },
  PublishFirmwareStatusEvent: {
    status: (e) => e.status as never,
    location: (e) => e.locations,
  },
};

