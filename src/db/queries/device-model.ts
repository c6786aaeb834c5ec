// The stored device model: component → variable → attribute (B05–B08, B09–B12).
import { and, asc, eq, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { components, variableAttributes, variables } from '../schema';

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

const componentKey = (c: ComponentKey) => JSON.stringify([c.name, c.instance ?? null, c.evseId ?? null, c.connectorId ?? null]);
const variableKey = (componentId: number, v: VariableKey) => JSON.stringify([componentId, v.name, v.instance ?? null]);
const limit = (n: number | undefined) => (n === undefined ? null : String(n));

/** Upserts entries in one transaction: components, then variables, then attributes, three statements each. */
export async function saveDeviceModel(db: Db, stationId: string, entries: DeviceModelEntry[], at: Date): Promise<void> {
  if (entries.length === 0) return;
  await db.transaction(async (tx) => {
    const componentRows = new Map<string, typeof components.$inferInsert>();
    for (const e of entries) {
      const c = e.component;
      componentRows.set(componentKey(c), {
        stationId, name: c.name, instance: c.instance ?? null, evseId: c.evseId ?? null, connectorId: c.connectorId ?? null,
      });
    }
    const savedComponents = await tx
      .insert(components)
      .values([...componentRows.values()])
      .onConflictDoUpdate({
        target: [components.stationId, components.name, components.instance, components.evseId, components.connectorId],
        set: { name: sql`excluded.name` },
      })
      .returning();
    const componentIds = new Map(savedComponents.map((c) => [componentKey(c), c.id]));

    const variableRows = new Map<string, typeof variables.$inferInsert>();
    for (const e of entries) {
      const componentId = componentIds.get(componentKey(e.component))!;
      const ch = e.characteristics;
      const existing = variableRows.get(variableKey(componentId, e.variable));
      variableRows.set(variableKey(componentId, e.variable), {
        componentId,
        name: e.variable.name,
        instance: e.variable.instance ?? null,
        unit: ch?.unit ?? existing?.unit ?? null,
        dataType: ch?.dataType ?? existing?.dataType ?? null,
        minLimit: limit(ch?.minLimit) ?? existing?.minLimit ?? null,
        maxLimit: limit(ch?.maxLimit) ?? existing?.maxLimit ?? null,
        valuesList: ch?.valuesList ?? existing?.valuesList ?? null,
        supportsMonitoring: ch?.supportsMonitoring ?? existing?.supportsMonitoring ?? null,
      });
    }
    const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, variables.${column})`);
    const savedVariables = await tx
      .insert(variables)
      .values([...variableRows.values()])
      .onConflictDoUpdate({
        target: [variables.componentId, variables.name, variables.instance],
        set: {
          unit: keep('unit'), dataType: keep('data_type'), minLimit: keep('min_limit'), maxLimit: keep('max_limit'),
          valuesList: keep('values_list'), supportsMonitoring: keep('supports_monitoring'),
        },
      })
      .returning({ id: variables.id, componentId: variables.componentId, name: variables.name, instance: variables.instance });
    const variableIds = new Map(savedVariables.map((v) => [variableKey(v.componentId, v), v.id]));

    const attributeRows = new Map<string, typeof variableAttributes.$inferInsert>();
    for (const e of entries) {
      const variableId = variableIds.get(variableKey(componentIds.get(componentKey(e.component))!, e.variable))!;
      for (const a of e.attributes) {
        attributeRows.set(`${variableId}/${a.type}`, {
          variableId, type: a.type, value: a.value ?? null, mutability: a.mutability ?? null,
          persistent: a.persistent ?? null, constant: a.constant ?? null, updatedAt: at,
        });
      }
    }
    if (attributeRows.size === 0) return;
    const keepAttr = (column: string) => sql.raw(`coalesce(excluded.${column}, variable_attributes.${column})`);
    await tx
      .insert(variableAttributes)
      .values([...attributeRows.values()])
      .onConflictDoUpdate({
        target: [variableAttributes.variableId, variableAttributes.type],
        set: {
          value: keepAttr('value'), mutability: keepAttr('mutability'), persistent: keepAttr('persistent'),
          constant: keepAttr('constant'), updatedAt: sql`excluded.updated_at`,
        },
      });
  });
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

/** The Actual value of one variable, e.g. DeviceDataCtrlr.ItemsPerMessage[GetVariables]. */
export async function actualValue(db: Db, stationId: string, component: string, variable: string, instance: string | null) {
  const [row] = await db
    .select({ value: variableAttributes.value })
    .from(variableAttributes)
    .innerJoin(variables, eq(variableAttributes.variableId, variables.id))
    .innerJoin(components, eq(variables.componentId, components.id))
    .where(
      and(
        eq(components.stationId, stationId), eq(components.name, component), isNull(components.evseId),
        eq(variables.name, variable), instance === null ? isNull(variables.instance) : eq(variables.instance, instance),
        eq(variableAttributes.type, 'Actual'),
      ),
    )
    .limit(1);
  return row?.value ?? undefined;
}
