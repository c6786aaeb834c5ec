// Storing device-model entries (B05–B07, N04): components, variables and attributes upserted by ONE
// prepared statement. A command such as getVariables stores what the station answered before the
// API answers; as a transaction of three statements that was five round trips and a query build
// each (issue 5 profile of the command round trip).
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { components, variableAttributes, variables } from '../schema';
import type { ComponentKey, DeviceModelEntry, VariableKey } from './device-model';
import { reusableSql } from './reusable-query';

interface ComponentInput {
  k: number;
  name: string;
  instance: string | null;
  evse_id: number | null;
  connector_id: number | null;
}
interface VariableInput {
  k: number;
  /** Index of its component in the components input. */
  c: number;
  name: string;
  instance: string | null;
  unit: string | null;
  data_type: string | null;
  min_limit: string | null;
  max_limit: string | null;
  values_list: string | null;
  supports_monitoring: boolean | null;
}
interface AttributeInput {
  /** Index of its variable in the variables input. */
  v: number;
  type: string;
  value: string | null;
  mutability: string | null;
  persistent: boolean | null;
  constant: boolean | null;
}

// ON CONFLICT DO UPDATE may touch a row once per statement, so each input holds every key once
// (merged in saveDeviceModel). Rows come back from RETURNING without their input index: they are
// matched to it by key (NULLs match NULLs, as in the NULLS NOT DISTINCT identities). A value or
// characteristic not given keeps the stored one.
const upsertEntries = reusableSql<{ attributes: number }>(sql`with
  ci as (select * from json_to_recordset(${sql.placeholder('components')}::text::json)
    as x(k integer, name text, instance text, evse_id integer, connector_id integer)),
  c as (
    insert into ${components} (station_id, name, instance, evse_id, connector_id)
    select ${sql.placeholder('stationId')}, name, instance, evse_id, connector_id from ci
    on conflict (station_id, name, instance, evse_id, connector_id) do update set name = excluded.name
    returning id, name, instance, evse_id, connector_id),
  ck as (
    select ci.k, c.id from c join ci on c.name = ci.name and c.instance is not distinct from ci.instance
      and c.evse_id is not distinct from ci.evse_id and c.connector_id is not distinct from ci.connector_id),
  vi as (select * from json_to_recordset(${sql.placeholder('variables')}::text::json)
    as x(k integer, c integer, name text, instance text, unit text, data_type text, min_limit text, max_limit text,
      values_list text, supports_monitoring boolean)),
  v as (
    insert into ${variables} (component_id, name, instance, unit, data_type, min_limit, max_limit, values_list, supports_monitoring)
    select ck.id, vi.name, vi.instance, vi.unit, vi.data_type, vi.min_limit, vi.max_limit, vi.values_list, vi.supports_monitoring
    from vi join ck on ck.k = vi.c
    on conflict (component_id, name, instance) do update set
      unit = coalesce(excluded.unit, variables.unit), data_type = coalesce(excluded.data_type, variables.data_type),
      min_limit = coalesce(excluded.min_limit, variables.min_limit), max_limit = coalesce(excluded.max_limit, variables.max_limit),
      values_list = coalesce(excluded.values_list, variables.values_list),
      supports_monitoring = coalesce(excluded.supports_monitoring, variables.supports_monitoring)
    returning id, component_id, name, instance),
  vk as (
    select vi.k, v.id from v join ck on ck.id = v.component_id join vi on vi.c = ck.k and vi.name = v.name
      and vi.instance is not distinct from v.instance),
  a as (
    insert into ${variableAttributes} (variable_id, type, value, mutability, persistent, constant, updated_at)
    select vk.id, ai.type, ai.value, ai.mutability, ai.persistent, ai.constant, ${sql.placeholder('at')}::timestamptz
    from json_to_recordset(${sql.placeholder('attributes')}::text::json)
      as ai(v integer, type text, value text, mutability text, persistent boolean, constant boolean)
    join vk on vk.k = ai.v
    on conflict (variable_id, type) do update set
      value = coalesce(excluded.value, variable_attributes.value),
      mutability = coalesce(excluded.mutability, variable_attributes.mutability),
      persistent = coalesce(excluded.persistent, variable_attributes.persistent),
      constant = coalesce(excluded.constant, variable_attributes.constant), updated_at = excluded.updated_at
    returning 1)
  select (select count(*) from a)::integer as attributes`);

const componentKey = (c: ComponentKey) => JSON.stringify([c.name, c.instance ?? null, c.evseId ?? null, c.connectorId ?? null]);
const variableKey = (component: number, v: VariableKey) => JSON.stringify([component, v.name, v.instance ?? null]);
const limit = (n: number | undefined) => (n === undefined ? null : String(n));

/** Upserts the entries; a later entry for the same variable or attribute wins, characteristics merge. */
export async function saveDeviceModel(db: Db, stationId: string, entries: DeviceModelEntry[], at: Date): Promise<void> {
  if (entries.length === 0) return;
  const componentIndex = new Map<string, ComponentInput>();
  const variableIndex = new Map<string, VariableInput>();
  const attributeIndex = new Map<string, AttributeInput>();
  for (const e of entries) {
    const cKey = componentKey(e.component);
    let component = componentIndex.get(cKey);
    if (!component) {
      const c = e.component;
      component = { k: componentIndex.size, name: c.name, instance: c.instance ?? null, evse_id: c.evseId ?? null, connector_id: c.connectorId ?? null };
      componentIndex.set(cKey, component);
    }
    const vKey = variableKey(component.k, e.variable);
    const existing = variableIndex.get(vKey);
    const ch = e.characteristics;
    const variable: VariableInput = {
      k: existing?.k ?? variableIndex.size, c: component.k, name: e.variable.name, instance: e.variable.instance ?? null,
      unit: ch?.unit ?? existing?.unit ?? null,
      data_type: ch?.dataType ?? existing?.data_type ?? null,
      min_limit: limit(ch?.minLimit) ?? existing?.min_limit ?? null,
      max_limit: limit(ch?.maxLimit) ?? existing?.max_limit ?? null,
      values_list: ch?.valuesList ?? existing?.values_list ?? null,
      supports_monitoring: ch?.supportsMonitoring ?? existing?.supports_monitoring ?? null,
    };
    variableIndex.set(vKey, variable);
    for (const a of e.attributes) {
      attributeIndex.set(`${variable.k}/${a.type}`, {
        v: variable.k, type: a.type, value: a.value ?? null, mutability: a.mutability ?? null,
        persistent: a.persistent ?? null, constant: a.constant ?? null,
      });
    }
  }
  await upsertEntries(db, {
    stationId, at: at.toISOString(),
    components: JSON.stringify([...componentIndex.values()]),
    variables: JSON.stringify([...variableIndex.values()]),
    attributes: JSON.stringify([...attributeIndex.values()]),
  });
}
