// Every table of the CSMS, declared once. `npm run db:generate` turns changes into a migration.
import { sql } from 'drizzle-orm';
import {
  bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, unique, uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const stations = pgTable(
  'stations',
  {
    id: text('id').primaryKey(),
    passwordHash: text('password_hash'),
    securityProfile: integer('security_profile').notNull().default(1),
    bootPolicy: text('boot_policy').notNull().default('Accepted'),
    serialNumber: text('serial_number'),
    registrationStatus: text('registration_status'),
    model: text('model'),
    vendorName: text('vendor_name'),
    firmwareVersion: text('firmware_version'),
    iccid: text('iccid'),
    imsi: text('imsi'),
    lastBootAt: ts('last_boot_at'),
    lastSeenAt: ts('last_seen_at'),
    itemsPerMessageGetVariables: integer('items_per_message_get_variables'),
    itemsPerMessageSetVariables: integer('items_per_message_set_variables'),
    bytesPerMessageGetVariables: integer('bytes_per_message_get_variables'),
    bytesPerMessageSetVariables: integer('bytes_per_message_set_variables'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('stations_id_lower_idx').on(sql`lower(${t.id})`)],
);

export const bootNotifications = pgTable(
  'boot_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    model: text('model').notNull(),
    vendorName: text('vendor_name').notNull(),
    serialNumber: text('serial_number'),
    firmwareVersion: text('firmware_version'),
    iccid: text('iccid'),
    imsi: text('imsi'),
    status: text('status').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [index('boot_notifications_station_idx').on(t.stationId, t.receivedAt)],
);

export const evses = pgTable(
  'evses',
  {
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    evseId: integer('evse_id').notNull(),
    availability: text('availability'),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.evseId] })],
);

export const connectors = pgTable(
  'connectors',
  {
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    evseId: integer('evse_id').notNull(),
    connectorId: integer('connector_id').notNull(),
    status: text('status'),
    statusAt: ts('status_at'),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.evseId, t.connectorId] })],
);

export const components = pgTable(
  'components',
  {
    id: serial('id').primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    instance: text('instance'),
    evseId: integer('evse_id'),
    connectorId: integer('connector_id'),
  },
  (t) => [unique('components_identity').on(t.stationId, t.name, t.instance, t.evseId, t.connectorId).nullsNotDistinct()],
);

export const variables = pgTable(
  'variables',
  {
    id: serial('id').primaryKey(),
    componentId: integer('component_id').notNull().references(() => components.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    instance: text('instance'),
    unit: text('unit'),
    dataType: text('data_type'),
    minLimit: text('min_limit'),
    maxLimit: text('max_limit'),
    valuesList: text('values_list'),
    supportsMonitoring: boolean('supports_monitoring'),
  },
  (t) => [unique('variables_identity').on(t.componentId, t.name, t.instance).nullsNotDistinct()],
);

export const variableAttributes = pgTable(
  'variable_attributes',
  {
    variableId: integer('variable_id').notNull().references(() => variables.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    value: text('value'),
    mutability: text('mutability'),
    persistent: boolean('persistent'),
    constant: boolean('constant'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.variableId, t.type] })],
);

export const reports = pgTable(
  'reports',
  {
    id: serial('id').primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    requestId: integer('request_id').notNull(),
    kind: text('kind').notNull(),
    reportBase: text('report_base'),
    criteria: jsonb('criteria'),
    status: text('status').notNull(),
    partsReceived: integer('parts_received').notNull().default(0),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    completedAt: ts('completed_at'),
  },
  (t) => [uniqueIndex('reports_station_request_idx').on(t.stationId, t.requestId)],
);

export const stationEvents = pgTable(
  'station_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    eventId: integer('event_id').notNull(),
    timestamp: ts('timestamp').notNull(),
    trigger: text('trigger').notNull(),
    cause: integer('cause'),
    actualValue: text('actual_value').notNull(),
    techCode: text('tech_code'),
    techInfo: text('tech_info'),
    cleared: boolean('cleared'),
    transactionId: text('transaction_id'),
    variableMonitoringId: integer('variable_monitoring_id'),
    eventNotificationType: text('event_notification_type').notNull(),
    componentName: text('component_name').notNull(),
    componentInstance: text('component_instance'),
    evseId: integer('evse_id'),
    connectorId: integer('connector_id'),
    variableName: text('variable_name').notNull(),
    variableInstance: text('variable_instance'),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [index('station_events_station_idx').on(t.stationId, t.timestamp)],
);

export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
});
