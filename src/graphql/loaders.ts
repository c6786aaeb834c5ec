// Batch loaders created per request, so nested fields load lazily without N+1 queries.
import { connectorsOfStations, evsesOfStations, type ConnectorRow, type EvseRow } from '../db/queries/connectors';
import type { Db } from '../db/client';
import { BatchLoader } from './batch-loader';

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
}

export function createLoaders(db: Db) {
  return {
    evsesByStation: new BatchLoader<string, EvseRow[]>(
      async (ids) => groupBy(await evsesOfStations(db, ids), (r) => r.stationId), [],
    ),
    connectorsByStation: new BatchLoader<string, ConnectorRow[]>(
      async (ids) => groupBy(await connectorsOfStations(db, ids), (r) => r.stationId), [],
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
