// Log retrieval (N01): getLog, the stored requests with status history and uploaded file, and the
// logStatusChanged subscription.
import { sendGetLog } from '../../blocks/diagnostics/GetLog';
import { findStoredFile } from '../../db/queries/files';
import { FINAL_LOG_STATUSES, findLogRequest, listLogRequests } from '../../db/queries/log-requests';
import { statusHistories, type RequestStatusEventRow } from '../../db/queries/request-status';
import { fileApiUrl } from '../../files/links';
import type { Resolvers } from '../generated/resolvers';
import { trackedCommand } from './firmware';
import { requestStatusEvents } from './request-events';
import { pageSize } from './stations';

export const logResolvers: Resolvers = {
  Mutation: {
    getLog: trackedCommand(sendGetLog),
  },
  Subscription: {
    logStatusChanged: {
      subscribe: (_, { stationId }, context) => requestStatusEvents(context, 'log', stationId) as never,
      resolve: (row: RequestStatusEventRow) => row,
    },
  },
  Station: {
    logRequests: (s, { first }, { services }) => listLogRequests(services.db, s.id, pageSize(first, 10)),
    logRequest: async (s, { requestId }, { services }) => (await findLogRequest(services.db, s.id, requestId)) ?? null,
  },
  LogRequest: {
    logType: (r) => r.logType as never,
    uploadToCsms: (r) => r.remoteLocation === null,
    status: (r) => r.status as never,
    finished: (r) => r.status !== null && FINAL_LOG_STATUSES.includes(r.status),
    canceled: (r) => r.canceledByRequestId !== null,
    file: async (r, _, { services }) => (r.fileId ? ((await findStoredFile(services.db, r.fileId)) ?? null) : null),
    statusHistory: async (r, _, { services }) =>
      (await statusHistories(services.db, r.stationId, 'log', [r.requestId])).get(r.requestId) ?? [],
  },
  LogStatusEvent: {
    status: (e) => e.status as never,
    logRequest: async (e, _, { services }) =>
      e.requestId === null ? null : ((await findLogRequest(services.db, e.stationId, e.requestId)) ?? null),
  },
  StoredFile: {
    url: (f, _, { services }) => fileApiUrl(services.config, f.id),
  },
};
