import { ProvisioningError, changeStation, provisionStation, removeStation } from '../../blocks/provisioning/station-admin';
import { bootHistory, findStation, listStations } from '../../db/queries/stations';
import { findReport, listReports } from '../../db/queries/reports';
import { listStationEvents } from '../../db/queries/station-events';
import { availabilityOf } from '../../blocks/availability/availability-state';
import { apiError } from '../errors';
import type { Resolvers } from '../generated/resolvers';

const MAX_PAGE = 100;

export function pageSize(first: number | null | undefined, fallback = 20): number {
  if (first == null) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw apiError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE}`);
  return first;
}

const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');
const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

function provisioningError(err: unknown): never {
  if (err instanceof ProvisioningError) {
    throw apiError(err.kind === 'conflict' ? 'CONFLICT' : err.kind === 'not-found' ? 'NOT_FOUND' : 'BAD_USER_INPUT', err.message);
  }
  throw err;
}

export const stationResolvers: Resolvers = {
  Query: {
    station: (_, { id }, { services }) => findStation(services.db, id).then((s) => s ?? null),
    async stations(_, { first, after, filter }, { services }) {
      const limit = pageSize(first);
      const online = filter?.online;
      const ids = online === true ? [...services.registry.all()].map((s) => s.stationId) : undefined;
      let rows = await listStations(
        services.db,
        { ids, registrationStatus: filter?.registrationStatus ?? undefined, text: filter?.text ?? undefined },
        after ? decodeCursor(after) : undefined,
        online === false ? limit + 1 + services.registry.size : limit + 1,
      );
      if (online === false) rows = rows.filter((r) => !services.registry.isOnline(r.id));
      const page = rows.slice(0, limit);
      return {
        edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })),
        pageInfo: { hasNextPage: rows.length > limit, endCursor: page.length ? encodeCursor(page[page.length - 1]!.id) : null },
      };
    },
  },
  Mutation: {
    createStation: (_, { input }, { services }) =>
      provisionStation(services, input.id, input).then((station) => ({ station }), provisioningError),
    updateStation: (_, { id, input }, { services }) =>
      changeStation(services, id, input).then((station) => ({ station }), provisioningError),
    async deleteStation(_, { id }, { services }) {
      const deleted = await removeStation(services, id);
      return { id: deleted ?? id, deleted: deleted !== undefined };
    },
  },
  Station: {
    online: (s, _, { services }) => services.registry.isOnline(s.id),
    lastSeen: (s, _, { services }) => services.registry.lastSeenAt(s.id) ?? s.lastSeenAt,
    registrationStatus: (s) => s.registrationStatus as never,
    bootPolicy: (s) => s.bootPolicy as never,
    messageLimits: (s) => s,
    availability: (s) => availabilityOf(s).current,
    scheduledAvailability: (s) => availabilityOf(s).scheduled,
    evses: (s, _, { loaders }) => loaders.evsesByStation.load(s.id),
    bootHistory: (s, { first }, { services }) => bootHistory(services.db, s.id, pageSize(first, 10)),
    reports: (s, { first }, { services }) => listReports(services.db, s.id, pageSize(first, 10)),
    report: (s, { requestId }, { services }) => findReport(services.db, s.id, requestId).then((r) => r ?? null),
    events: (s, { first }, { services }) => listStationEvents(services.db, s.id, pageSize(first, 50)),
  },
  Evse: {
    id: (e) => e.evseId,
    availability: (e) => availabilityOf(e).current,
    scheduledAvailability: (e) => availabilityOf(e).scheduled,
    connectors: async (e, _, { loaders }) =>
      (await loaders.connectorsByStation.load(e.stationId)).filter((c) => c.evseId === e.evseId),
  },
  Connector: {
    id: (c) => c.connectorId,
    status: (c) => c.status as never,
    availability: (c) => availabilityOf(c).current,
    scheduledAvailability: (c) => availabilityOf(c).scheduled,
  },
  BootRecord: {
    reason: (b) => b.reason as never,
    status: (b) => b.status as never,
  },
  Report: {
    reportBase: (r) => r.reportBase as never,
  },
  StationEvent: {
    trigger: (e) => e.trigger as never,
    eventNotificationType: (e) => e.eventNotificationType as never,
    component: (e) => ({
      name: e.componentName,
      instance: e.componentInstance,
      evse: e.evseId === null ? null : { id: e.evseId, connectorId: e.connectorId },
    }),
    variable: (e) => ({ name: e.variableName, instance: e.variableInstance }),
  },
};
