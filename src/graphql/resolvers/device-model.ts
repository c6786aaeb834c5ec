import { listVariables } from '../../db/queries/device-model';
import type { Resolvers } from '../generated/resolvers';
import { pageSize } from './stations';

export type DeviceVariableRow = Awaited<ReturnType<typeof listVariables>>[number];

const limitNumber = (v: string | null) => (v === null ? null : Number(v));

export const deviceModelResolvers: Resolvers = {
  Station: {
    variables: (s, { filter, first }, { services }) =>
      listVariables(
        services.db,
        s.id,
        { component: filter?.component ?? undefined, variable: filter?.variable ?? undefined, evseId: filter?.evseId ?? undefined },
        pageSize(first, 100),
      ),
  },
  DeviceVariable: {
    component: ({ component: c }) => ({
      name: c.name,
      instance: c.instance,
      evse: c.evseId === null ? null : { id: c.evseId, connectorId: c.connectorId },
    }),
    variable: ({ variable: v }) => ({ name: v.name, instance: v.instance }),
    characteristics: ({ variable: v }) => ({
      unit: v.unit,
      dataType: v.dataType as never,
      minLimit: limitNumber(v.minLimit),
      maxLimit: limitNumber(v.maxLimit),
      valuesList: v.valuesList,
      supportsMonitoring: v.supportsMonitoring,
    }),
    attributes: ({ attributes }) =>
      attributes.map((a) => ({
        type: a.type as never,
        value: a.value,
        mutability: a.mutability as never,
        persistent: a.persistent,
        constant: a.constant,
        updatedAt: a.updatedAt,
      })),
  },
};
