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
    /** A05: the profile an upgrade moves the station to; accepted besides securityProfile until first used. */
    pendingSecurityProfile: integer('pending_security_profile'),
    /** A01: salted hashes of sent passwords whose outcome is open (RebootRequired, no answer). */
    pendingPasswordHashes: jsonb('pending_password_hashes').$type<string[]>(),
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
    /** Raised by every write of the row: a folded state cached in memory is current only at its version. */
    version: integer('version').notNull().default(0),
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

/** A05 security profile upgrades: one row per request, each step's outcome in `steps`. */
export const securityProfileUpgrades = pgTable(
  'security_profile_upgrades',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    fromProfile: integer('from_profile').notNull(),
    targetProfile: integer('target_profile').notNull(),
    configurationSlot: integer('configuration_slot'),
    /** InProgress, AwaitingReconnect, Completed, Failed, Superseded. */
    status: text('status').notNull(),
    steps: jsonb('steps').$type<Array<{ step: string; outcome: string; detail?: string; at: string }>>().notNull().default([]),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    completedAt: ts('completed_at'),
  },
  (t) => [index('security_profile_upgrades_station_idx').on(t.stationId, t.requestedAt)],
);

/** Firmware images and uploaded logs; the bytes live in FILES_DIR/<id>, written once, never changed. */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: text('id').primaryKey(),
    /** 'firmware' (uploaded by an operator) or 'log' (uploaded by a station, N01). */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    /** L03: PublishFirmware's checksum is the MD5 of the image. */
    md5: text('md5').notNull(),
    /** The secret part of a firmware download URL (/files/<id>/<token>); null for logs. */
    downloadToken: text('download_token'),
    stationId: text('station_id').references(() => stations.id, { onDelete: 'cascade' }),
    createdBy: text('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('stored_files_kind_idx').on(t.kind, t.createdAt)],
);

/** L01/L02 UpdateFirmware requests and their outcome; statuses arrive as FirmwareStatusNotification. */
export const firmwareUpdates = pgTable(
  'firmware_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    requestId: integer('request_id').notNull(),
    location: text('location').notNull(),
    fileId: text('file_id'),
    retrieveDateTime: ts('retrieve_date_time').notNull(),
    installDateTime: ts('install_date_time'),
    signingCertificate: text('signing_certificate'),
    signature: text('signature'),
    retries: integer('retries'),
    retryInterval: integer('retry_interval'),
    /** UpdateFirmwareResponse status, or the CommandError code when no answer came. */
    responseStatus: text('response_status'),
    /** Last FirmwareStatusNotification status for this request. */
    status: text('status'),
    /** L01.FR.24: a later request the station answered AcceptedCanceled cancelled this one. */
    canceledByRequestId: integer('canceled_by_request_id'),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('firmware_updates_request_idx').on(t.stationId, t.requestId)],
);

/** L03/L04 PublishFirmware requests (a Local Controller publishing an image to its stations). */
export const firmwarePublications = pgTable(
  'firmware_publications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    requestId: integer('request_id').notNull(),
    location: text('location').notNull(),
    checksum: text('checksum').notNull(),
    fileId: text('file_id'),
    retries: integer('retries'),
    retryInterval: integer('retry_interval'),
    responseStatus: text('response_status'),
    status: text('status'),
    /** The URIs the Local Controller publishes the image at (status Published). */
    publishedLocations: jsonb('published_locations').$type<string[]>(),
    /** L04: UnpublishFirmware answered Unpublished. */
    unpublishedAt: ts('unpublished_at'),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('firmware_publications_request_idx').on(t.stationId, t.requestId)],
);

/** N01 GetLog requests; the one-time upload URL's token is kept only as a SHA-256 hash. */
export const logRequests = pgTable(
  'log_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    requestId: integer('request_id').notNull(),
    logType: text('log_type').notNull(),
    /** An operator-given location; null when the station uploads to the CSMS. */
    remoteLocation: text('remote_location'),
    uploadTokenHash: text('upload_token_hash'),
    uploadExpiresAt: ts('upload_expires_at'),
    oldestTimestamp: ts('oldest_timestamp'),
    latestTimestamp: ts('latest_timestamp'),
    retries: integer('retries'),
    retryInterval: integer('retry_interval'),
    responseStatus: text('response_status'),
    filename: text('filename'),
    status: text('status'),
    canceledByRequestId: integer('canceled_by_request_id'),
    fileId: text('file_id'),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('log_requests_request_idx').on(t.stationId, t.requestId),
    uniqueIndex('log_requests_upload_token_idx').on(t.uploadTokenHash),
  ],
);

/**
 * Every FirmwareStatusNotification ('firmware'), PublishFirmwareStatusNotification ('publish') and
 * LogStatusNotification ('log'), in arrival order. requestId is null only for a triggered Idle.
 */
export const requestStatusEvents = pgTable(
  'request_status_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    requestId: integer('request_id'),
    status: text('status').notNull(),
    /** PublishFirmwareStatusNotification location (status Published). */
    locations: jsonb('locations').$type<string[]>(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [index('request_status_events_request_idx').on(t.stationId, t.kind, t.requestId, t.id)],
);

// ── Diagnostics: customer information and monitoring (block N, N02–N10) ───────────────────
/** N09/N10: one CustomerInformation request and the report assembled from its NotifyCustomerInformation parts. */
export const customerInformationRequests = pgTable(
  'customer_information_requests',
  {
    id: serial('id').primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    requestId: integer('request_id').notNull(),
    report: boolean('report').notNull(),
    clear: boolean('clear').notNull(),
    customerIdentifier: text('customer_identifier'),
    idToken: text('id_token'),
    idTokenType: text('id_token_type'),
    customerCertificate: jsonb('customer_certificate'),
    /** The operator asked to also remove what the CSMS itself holds about the customer. */
    clearCsmsData: boolean('clear_csms_data').notNull().default(false),
    /** What was removed from the CSMS's own tables (counts), once done. */
    csmsDataCleared: jsonb('csms_data_cleared'),
    /** Requested, Accepted, Rejected, Invalid, Failed, Receiving or Complete. */
    status: text('status').notNull(),
    statusInfo: jsonb('status_info'),
    /** seqNo of the part with tbc=false, once it arrived. */
    lastSeqNo: integer('last_seq_no'),
    partsReceived: integer('parts_received').notNull().default(0),
    requestedAt: ts('requested_at').notNull().defaultNow(),
    completedAt: ts('completed_at'),
  },
  (t) => [uniqueIndex('customer_information_station_request_idx').on(t.stationId, t.requestId)],
);

export const customerInformationParts = pgTable(
  'customer_information_parts',
  {
    requestRowId: integer('request_row_id').notNull().references(() => customerInformationRequests.id, { onDelete: 'cascade' }),
    seqNo: integer('seq_no').notNull(),
    data: text('data').notNull(),
    tbc: boolean('tbc').notNull(),
    generatedAt: ts('generated_at').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.requestRowId, t.seqNo] })],
);

/** N02/N04: a monitor of a device-model variable, with the id the station gave it. */
export const variableMonitors = pgTable(
  'variable_monitors',
  {
    id: serial('id').primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    variableId: integer('variable_id').notNull().references(() => variables.id, { onDelete: 'cascade' }),
    monitorId: integer('monitor_id').notNull(),
    transaction: boolean('transaction').notNull().default(false),
    value: doublePrecision('value').notNull(),
    type: text('type').notNull(),
    severity: integer('severity').notNull(),
    /** SetVariableMonitoring (set by the CSMS) or NotifyMonitoringReport (reported by the station). */
    source: text('source').notNull(),
    /** The GetMonitoringReport request that last reported it. */
    reportRequestId: integer('report_request_id'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('variable_monitors_station_monitor_idx').on(t.stationId, t.monitorId),
    index('variable_monitors_variable_idx').on(t.variableId),
  ],
);

/** A04: SecurityEventNotifications (source 'Station') and refusals the CSMS recorded itself (source 'CSMS'). */
export const securityEvents = pgTable(
  'security_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    timestamp: ts('timestamp').notNull(),
    techInfo: text('tech_info'),
    critical: boolean('critical').notNull(),
    /** 'Station' (SecurityEventNotification) or 'CSMS' (e.g. a refused connection, A00.FR.408). */
    source: text('source').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [index('security_events_station_idx').on(t.stationId, t.id)],
);

/** A02/A03: every SignCertificate a station sent, the CSMS's answer, and the certificate issued for it. */
export const certificateSigningRequests = pgTable(
  'certificate_signing_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    /** ChargingStationCertificate or V2GCertificate. */
    certificateType: text('certificate_type').notNull(),
    csr: text('csr').notNull(),
    /** Accepted (to be signed) → Signed | Failed; Rejected (InvalidCSR); Superseded by a newer CSR. */
    status: text('status').notNull(),
    reason: text('reason'),
    issuedSerialNumber: text('issued_serial_number'),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [index('certificate_signing_requests_station_idx').on(t.stationId, t.certificateType, t.id)],
);

/** A02/A03: certificates the built-in CA issued. revokedAt makes one unusable for profile 3. */
export const issuedCertificates = pgTable(
  'issued_certificates',
  {
    /** Lowercase hex without leading zeros (see normalizeSerialNumber). */
    serialNumber: text('serial_number').primaryKey(),
    /** Null once the station was deleted; such a certificate counts as revoked. */
    stationId: text('station_id').references(() => stations.id, { onDelete: 'set null' }),
    certificateType: text('certificate_type').notNull(),
    subject: text('subject').notNull(),
    notBefore: ts('not_before').notNull(),
    notAfter: ts('not_after').notNull(),
    pem: text('pem').notNull(),
    /** CertificateSigned outcome: Sending → Accepted | Rejected (by the station) | Failed (no valid answer). */
    deliveryStatus: text('delivery_status').notNull(),
    deliveryStatusInfo: jsonb('delivery_status_info').$type<{ reasonCode: string; additionalInfo?: string }>(),
    issuedAt: ts('issued_at').notNull().defaultNow(),
    /** A newer certificate of the same station and type was accepted. */
    supersededAt: ts('superseded_at'),
    revokedAt: ts('revoked_at'),
    /** Last automatic renewal trigger (CERT_RENEW_BEFORE_DAYS), so it is not repeated every check. */
    renewalRequestedAt: ts('renewal_requested_at'),
  },
  (t) => [index('issued_certificates_station_idx').on(t.stationId, t.certificateType), index('issued_certificates_not_after_idx').on(t.notAfter)],
);

/** M03–M05: the certificates a station holds, as CertificateHashData (from its answers and our installs). */
export const installedCertificates = pgTable(
  'installed_certificates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: text('station_id').notNull().references(() => stations.id, { onDelete: 'cascade' }),
    /** GetCertificateIdUseEnum. */
    certificateType: text('certificate_type').notNull(),
    hashAlgorithm: text('hash_algorithm').notNull(),
    issuerNameHash: text('issuer_name_hash').notNull(),
    issuerKeyHash: text('issuer_key_hash').notNull(),
    serialNumber: text('serial_number').notNull(),
    childCertificateHashData: jsonb('child_certificate_hash_data').$type<Array<Record<string, string>>>(),
    /** The PEM when the CSMS installed it (InstallCertificate). */
    pem: text('pem'),
    subject: text('subject'),
    notAfter: ts('not_after'),
    /** InstallCertificate or GetInstalledCertificateIds. */
    source: text('source').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('installed_certificates_identity_idx').on(t.stationId, t.hashAlgorithm, t.issuerNameHash, t.issuerKeyHash, t.serialNumber),
  ],
);
