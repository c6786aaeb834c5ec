// Every table of the CSMS, declared once. `npm run db:generate` turns changes into a migration.
import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, doublePrecision, foreignKey, index, integer, jsonb, pgTable, primaryKey, serial, text,
  timestamp, unique, uniqueIndex, type AnyPgColumn,
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
    /** Operative/Inoperative of the whole station (ChangeAvailability, NotifyEvent). */
    availability: text('availability'),
    /** A change the station answered Scheduled, applied once it reports it (G03/G04). */
    scheduledAvailability: text('scheduled_availability'),
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
    scheduledAvailability: text('scheduled_availability'),
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
    /** Operative/Inoperative from ChangeAvailability and reported status. */
    availability: text('availability'),
    scheduledAvailability: text('scheduled_availability'),
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
  /** For role `driver`: the idTokens ({ idToken, type }) whose sessions this key may see and control. */
  idTokens: jsonb('id_tokens').$type<Array<{ idToken: string; type: string }>>(),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
});

// ── Authorization (block C) ────────────────────────────────────────────────────────────────
export const idTokens = pgTable(
  'id_tokens',
  {
    id: serial('id').primaryKey(),
    idToken: text('id_token').notNull(),
    type: text('type').notNull(),
    additionalInfo: jsonb('additional_info'),
    status: text('status').notNull(),
    cacheExpiryDateTime: ts('cache_expiry_date_time'),
    chargingPriority: integer('charging_priority'),
    language1: text('language1'),
    language2: text('language2'),
    evseIds: jsonb('evse_ids'),
    groupIdToken: text('group_id_token'),
    groupIdTokenType: text('group_id_token_type'),
    personalMessage: jsonb('personal_message'),
    expiresAt: ts('expires_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  // IdTokenType.idToken is case-insensitive (OCPP 2.0.1 Part 2, IdTokenType).
  (t) => [uniqueIndex('id_tokens_identity_idx').on(sql`lower(${t.idToken})`, t.type), index('id_tokens_group_idx').on(t.groupIdToken)],
);

// ── Transactions and meter values (blocks E, J) ────────────────────────────────────────────
export const transactions = pgTable(
  'transactions',
  {
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    transactionId: text('transaction_id').notNull(),
    evseId: integer('evse_id'),
    connectorId: integer('connector_id'),
    active: boolean('active').notNull().default(true),
    startedAt: ts('started_at'),
    endedAt: ts('ended_at'),
    idToken: text('id_token'),
    idTokenType: text('id_token_type'),
    groupIdToken: text('group_id_token'),
    stopIdToken: text('stop_id_token'),
    stopIdTokenType: text('stop_id_token_type'),
    chargingState: text('charging_state'),
    triggerReason: text('trigger_reason'),
    stoppedReason: text('stopped_reason'),
    /** Who closed it when the station did not: e.g. 'Reconciled' after GetTransactionStatus. */
    endedBy: text('ended_by'),
    meterStartWh: doublePrecision('meter_start_wh'),
    meterStopWh: doublePrecision('meter_stop_wh'),
    energyWh: doublePrecision('energy_wh'),
    remoteStartId: integer('remote_start_id'),
    reservationId: integer('reservation_id'),
    numberOfPhasesUsed: integer('number_of_phases_used'),
    cableMaxCurrent: integer('cable_max_current'),
    lastSeqNo: integer('last_seq_no'),
    eventCount: integer('event_count').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.stationId, t.transactionId] }),
    index('transactions_active_idx').on(t.stationId, t.evseId).where(sql`${t.active}`),
    index('transactions_started_idx').on(t.startedAt),
    index('transactions_id_token_idx').on(sql`lower(${t.idToken})`),
  ],
);

export const transactionEvents = pgTable(
  'transaction_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    seqNo: integer('seq_no').notNull(),
    eventType: text('event_type').notNull(),
    timestamp: ts('timestamp').notNull(),
    triggerReason: text('trigger_reason').notNull(),
    offline: boolean('offline').notNull().default(false),
    chargingState: text('charging_state'),
    stoppedReason: text('stopped_reason'),
    evseId: integer('evse_id'),
    connectorId: integer('connector_id'),
    idToken: text('id_token'),
    idTokenType: text('id_token_type'),
    numberOfPhasesUsed: integer('number_of_phases_used'),
    cableMaxCurrent: integer('cable_max_current'),
    reservationId: integer('reservation_id'),
    remoteStartId: integer('remote_start_id'),
    timeSpentCharging: integer('time_spent_charging'),
    /** The idTokenInfo status we answered, when the event carried an idToken. */
    authorizationStatus: text('authorization_status'),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    // Exactly once: a repeated (station, transaction, seqNo) is a duplicate (E.FR / TC_E_53).
    uniqueIndex('transaction_events_seq_idx').on(t.stationId, t.transactionId, t.seqNo),
    foreignKeyToTransaction(t),
  ],
);

function foreignKeyToTransaction(t: { stationId: AnyPgColumn; transactionId: AnyPgColumn }) {
  return foreignKey({
    name: 'transaction_events_transaction_fk',
    columns: [t.stationId, t.transactionId],
    foreignColumns: [transactions.stationId, transactions.transactionId],
  }).onDelete('cascade');
}

export const sampledValues = pgTable(
  'sampled_values',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    /** 0 = the main meter of the station (MeterValues evseId 0). */
    evseId: integer('evse_id').notNull(),
    transactionId: text('transaction_id'),
    transactionEventId: bigint('transaction_event_id', { mode: 'number' }),
    timestamp: ts('timestamp').notNull(),
    value: doublePrecision('value').notNull(),
    measurand: text('measurand').notNull().default('Energy.Active.Import.Register'),
    phase: text('phase'),
    location: text('location').notNull().default('Outlet'),
    context: text('context').notNull().default('Sample.Periodic'),
    unit: text('unit'),
    multiplier: integer('multiplier'),
    signedMeterValue: jsonb('signed_meter_value'),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    index('sampled_values_transaction_idx').on(t.stationId, t.transactionId, t.timestamp),
    index('sampled_values_evse_idx').on(t.stationId, t.evseId, t.timestamp),
  ],
);

/** RequestStartTransaction commands, so the transaction that follows links to its remoteStartId (F01/F02). */
export const remoteStarts = pgTable(
  'remote_starts',
  {
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    remoteStartId: integer('remote_start_id').notNull(),
    evseId: integer('evse_id'),
    idToken: text('id_token').notNull(),
    idTokenType: text('id_token_type').notNull(),
    status: text('status').notNull(),
    transactionId: text('transaction_id'),
    requestedAt: ts('requested_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.remoteStartId] })],
);
