// N02/N04/N06: monitors of the stored device model, keyed by the id the station gave them.
import { and, asc, eq, ilike, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { components, variableMonitors, variables } from '../schema';
import type { ComponentKey, VariableFilter, VariableKey } from './device-model';
import { saveDeviceModel } from './device-model-store';

export type VariableMonitorRow = typeof variableMonitors.$inferSelect;
export type ComponentRow = typeof components.$inferSelect;
export type VariableRow = typeof variables.$inferSelect;
export interface MonitorWithTarget {
  monitor: VariableMonitorRow;
  component: ComponentRow;
  variable: VariableRow;
}

export interface MonitorValues {
  id: number;
  transaction?: boolean | undefined;
  value: number;
  type: string;
  severity: number;
}
export interface MonitorEntry {
  component: ComponentKey;
  variable: VariableKey;
  monitors: MonitorValues[];
}

const key = (c: ComponentKey, v: VariableKey) =>
  JSON.stringify([c.name, c.instance ?? null, c.evseId ?? null, c.connectorId ?? null, v.name, v.instance ?? null]);

/** The ids of variables (created when unknown, as a report of their monitors proves they exist). */
async function variableIds(db: Db, stationId: string, entries: MonitorEntry[], at: Date): Promise<Map<string, number>> {
  await saveDeviceModel(db, stationId, entries.map((e) => ({ component: e.component, variable: e.variable, attributes: [] })), at);
  const names = [...new Set(entries.map((e) => e.variable.name))];
  const rows = await db
    .select({ id: variables.id, component: components, name: variables.name, instance: variables.instance })
    .from(variables)
    .innerJoin(components, eq(variables.componentId, components.id))
    .where(and(eq(components.stationId, stationId), inArray(variables.name, names)));
  return new Map(rows.map((r) => [key(r.component, r), r.id]));
}

/** Upserts monitors by (station, monitor id): a monitor the station replaced keeps its id (N04.FR.12). */
export async function saveMonitors(
  db: Db, stationId: string, entries: MonitorEntry[], source: string, reportRequestId: number | null, at: Date,
): Promise<void> {
  const withMonitors = entries.filter((e) => e.monitors.length > 0);
  if (withMonitors.length === 0) return;
  const ids = await variableIds(db, stationId, withMonitors, at);
  const rows = new Map<number, typeof variableMonitors.$inferInsert>();
  for (const e of withMonitors) {
    const variableId = ids.get(key(e.component, e.variable))!;
    for (const m of e.monitors) {
      rows.set(m.id, {
        stationId, variableId, monitorId: m.id, transaction: m.transaction ?? false, value: m.value, type: m.type,
        severity: m.severity, source, reportRequestId, updatedAt: at,
      });
    }
  }
  await db
    .insert(variableMonitors)
    .values([...rows.values()])
    .onConflictDoUpdate({
      target: [variableMonitors.stationId, variableMonitors.monitorId],
      set: {
        variableId: sql`excluded.variable_id`, transaction: sql`excluded.transaction`, value: sql`excluded.value`,
        type: sql`excluded.type`, severity: sql`excluded.severity`, source: sql`excluded.source`,
        reportRequestId: sql`excluded.report_request_id`, updatedAt: sql`excluded.updated_at`,
      },
    });
}

export async function deleteMonitors(db: Db, stationId: string, monitorIds: readonly number[]): Promise<number> {
  if (monitorIds.length === 0) return 0;
  const rows = await db
    .delete(variableMonitors)
    .where(and(eq(variableMonitors.stationId, stationId), inArray(variableMonitors.monitorId, [...monitorIds])))
    .returning({ id: variableMonitors.id });
  return rows.length;
}

export async function deleteAllMonitors(db: Db, stationId: string): Promise<number> {
  const rows = await db.delete(variableMonitors).where(eq(variableMonitors.stationId, stationId)).returning({ id: variableMonitors.id });
  return rows.length;
}

/** N02.FR.11: after a complete unfiltered report, monitors it did not list (and not set since) no longer exist. */
export async function pruneUnreportedMonitors(db: Db, stationId: string, requestId: number, requestedAt: Date): Promise<number> {
  const rows = await db
    .delete(variableMonitors)
    .where(
      and(
        eq(variableMonitors.stationId, stationId),
        or(isNull(variableMonitors.reportRequestId), ne(variableMonitors.reportRequestId, requestId)),
        lt(variableMonitors.updatedAt, requestedAt),
      ),
    )
    .returning({ id: variableMonitors.id });
  return rows.length;
}

function selectMonitors(db: Db) {
  return db
    .select({ monitor: variableMonitors, component: components, variable: variables })
    .from(variableMonitors)
    .innerJoin(variables, eq(variableMonitors.variableId, variables.id))
    .innerJoin(components, eq(variables.componentId, components.id));
}

export async function listMonitors(db: Db, stationId: string, filter: VariableFilter, limit: number): Promise<MonitorWithTarget[]> {
  const where: SQL[] = [eq(variableMonitors.stationId, stationId)];
  if (filter.component) where.push(ilike(components.name, filter.component));
  if (filter.variable) where.push(ilike(variables.name, filter.variable));
  if (filter.evseId !== undefined) where.push(eq(components.evseId, filter.evseId));
  return selectMonitors(db).where(and(...where)).orderBy(asc(variableMonitors.monitorId)).limit(limit);
}

export async function monitorsOfVariables(db: Db, variableIds: readonly number[]): Promise<MonitorWithTarget[]> {
  if (variableIds.length === 0) return [];
  return selectMonitors(db).where(inArray(variableMonitors.variableId, [...variableIds])).orderBy(asc(variableMonitors.monitorId));
}

/** Monitors by (station, monitor id), e.g. the monitors of NotifyEvent rows. */
export async function findMonitors(db: Db, stationId: string, monitorIds: readonly number[]): Promise<MonitorWithTarget[]> {
  if (monitorIds.length === 0) return [];
  return selectMonitors(db).where(and(eq(variableMonitors.stationId, stationId), inArray(variableMonitors.monitorId, [...monitorIds])));
}
