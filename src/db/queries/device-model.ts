// The stored device model: component → variable → attribute (B05–B08, B09–B12).
import { and, asc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { components, variableAttributes, variables } from '../schema';
import { reusableSql } from './reusable-query';

export interface ComponentKey {
  name: string;
  instance?: string | null | undefined;
  evseId?: number | null | undefined;
  connectorId?: number | null | undefined;
}
export interface VariableKey {
  name: string;
  instance?: string | null | undefined;
}
export interface Characteristics {
  unit?: string | undefined;
  dataType?: string | undefined;
  minLimit?: number | undefined;
  maxLimit?: number | undefined;
  valuesList?: string | undefined;
  supportsMonitoring?: boolean | undefined;
}
export interface AttributeValue {
  type: string;
  value?: string | undefined;
  mutability?: string | undefined;
  persistent?: boolean | undefined;
  constant?: boolean | undefined;
}
export interface DeviceModelEntry {
  component: ComponentKey;
  variable: VariableKey;
  characteristics?: Characteristics | undefined;
  attributes: AttributeValue[];
}

export async function hasDeviceModel(db: Db, stationId: string): Promise<boolean> {
  const [row] = await db.select({ id: components.id }).from(components).where(eq(components.stationId, stationId)).limit(1);
  return row !== undefined;
}

export interface VariableFilter {
  component?: string | undefined;
  variable?: string | undefined;
  evseId?: number | undefined;
}

export async function listVariables(db: Db, stationId: string, filter: VariableFilter, limitRows: number) {
  const where: SQL[] = [eq(components.stationId, stationId)];
  if (filter.component) where.push(ilike(components.name, filter.component));
  if (filter.variable) where.push(ilike(variables.name, filter.variable));
  if (filter.evseId !== undefined) where.push(eq(components.evseId, filter.evseId));
  const rows = await db
    .select({ component: components, variable: variables })
    .from(variables)
    .innerJoin(components, eq(variables.componentId, components.id))
    .where(and(...where))
    .orderBy(asc(components.name), asc(components.instance), asc(components.evseId), asc(components.connectorId), asc(variables.name), asc(variables.instance))
    .limit(limitRows);
  const ids = rows.map((r) => r.variable.id);
  const attributes = ids.length === 0 ? [] : await db.select().from(variableAttributes).where(inArray(variableAttributes.variableId, ids));
  return rows.map((r) => ({ ...r, attributes: attributes.filter((a) => a.variableId === r.variable.id) }));
}

// The Actual value of a variable of a component without EVSE; a NULL instance matches NULL.
const actualOf = (name: string) => sql`(select a.value from ${variableAttributes} a
  join ${variables} v on a.variable_id = v.id join ${components} c on v.component_id = c.id
  where c.station_id = ${sql.placeholder('stationId')} and c.name = ${sql.placeholder('component')} and c.evse_id is null
    and v.name = ${sql.placeholder(name)} and v.instance is not distinct from ${sql.placeholder('instance')}::text
    and a.type = 'Actual' limit 1)`;
const actualPair = reusableSql<{ first: string | null; second: string | null }>(
  sql`select ${actualOf('first')} as first, ${actualOf('second')} as second`,
);
const actualOne = reusableSql<{ first: string | null }>(sql`select ${actualOf('first')} as first`);

/** The Actual values of two variables of one component, in one statement: e.g. DeviceDataCtrlr ItemsPerMessage and BytesPerMessage [GetVariables]. */
export async function actualValues(
  db: Db, stationId: string, component: string, instance: string | null, first: string, second: string,
): Promise<[string | undefined, string | undefined]> {
  const [row] = await actualPair(db, { stationId, component, instance, first, second });
  return [row?.first ?? undefined, row?.second ?? undefined];
}

/** The Actual value of one variable, e.g. ISO15118Ctrlr.SeccId. */
export async function actualValue(db: Db, stationId: string, component: string, variable: string, instance: string | null) {
  const [row] = await actualOne(db, { stationId, component, instance, first: variable });
  return row?.first ?? undefined;
}
