// The environment, parsed once into one typed, frozen object. Bad values fail fast with one line.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PostgreSQL connections in each pool unless DATABASE_POOL_MAX says otherwise (README: PostgreSQL pools). */
export const DEFAULT_DATABASE_POOL_MAX = 4;

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  /** PostgreSQL connections in each of the two pools. */
  databasePoolMax: number;
  dataDir: string;
  logLevel: string;
  nodeEnv: string;
  heartbeatIntervalS: number;
  bootRetryIntervalS: number;
  callTimeoutMs: number;
  reportTimeoutMs: number;
  pingIntervalS: number;
  maxPayloadBytes: number;
  maxFragments: number;
  requestFullInventoryOnFirstBoot: boolean;
  adminApiKey: string | undefined;
  /** C01: how an idToken the CSMS does not know is answered: 'reject' (Unknown) or 'accept' (free charging). */
  unknownIdTokenPolicy: 'reject' | 'accept';
  /** C_47–C_49: tokens of this group may stop any transaction. */
  masterPassGroupId: string | undefined;
  /** TC_E_31: how long a seqNo gap may stay open before the CSMS asks GetTransactionStatus. */
  transactionGapCheckMs: number;
  graphqlBodyLimitBytes: number;
  graphqlMaxDepth: number;
  graphqlMaxAliases: number;
  graphqlMaxCost: number;
  graphqlMaxTokens: number;
  /** GET /metrics (Prometheus text) on the API port; METRICS_ENABLED=false turns it off (404). */
  metricsEnabled: boolean;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`; unset = open, as Prometheus targets usually are. */
  metricsToken: string | undefined;
  /** A01/A00.FR.205: length of the passwords rotateStationPassword generates (16–64). */
  stationPasswordLength: number;
  /** A00.FR.404: the CSO name; O of the CA, of issued certificates and of accepted CSRs when set. */
  organization: string | undefined;
  /** Built-in CA loaded from these PEM files (both or neither); otherwise created under DATA_DIR/ca. */
  caCertPath: string | undefined;
  caKeyPath: string | undefined;
  /** A02: validity of certificates the built-in CA issues. */
  certValidityDays: number;
  /** A02: issued station certificates closer than this to expiry are renewed by the CSMS (0 = never). */
  certRenewBeforeDays: number;
  certRenewCheckIntervalS: number;
  /** PLAIN_PORT_ENABLED=false: no plain ws/http listener, for deployments with profiles 2/3 only. */
  plainPortEnabled: boolean;
  /** A00 profiles 2/3: TLS listener port, used when TLS_CERT/TLS_KEY are set. */
  tlsPort: number;
  /** PEM files, pairwise (an RSA and an ECDSA pair together cover the mandatory suites). */
  tlsCertFiles: string[];
  tlsKeyFiles: string[];
  /** Extra CA certificates (PEM) a profile 3 station certificate may chain to, besides the built-in CA. */
  tlsStationCaFiles: string[];
  /** How often the TLS certificate files are checked for changes, 0 = never (they also reload on SIGHUP). */
  tlsReloadPollMs: number;
  /** The https base URL stations and clients use for the TLS port. */
  publicTlsUrl: string;
  /** Base URL of the links the CSMS hands out (firmware downloads, log upload URLs); set it to the https address with TLS. */
  publicUrl: string;
  /** Firmware images and uploaded logs live here (default DATA_DIR/files); metadata in the stored_files table. */
  filesDir: string;
  /** POST /files: largest firmware image accepted (413 past it). */
  firmwareMaxBytes: number;
  /** N01: largest log file a station may upload to its one-time URL (413 past it). */
  logUploadMaxBytes: number;
  /** N01: how long a one-time log upload URL stays valid. */
  logUploadUrlTtlS: number;
  /** SIGTERM: how long in-flight OCPP messages and commands may take before station sockets close (1001). */
  shutdownDrainMs: number;
  /** A connection that has not sent a complete HTTP request or upgrade by then is closed. */
  idleConnectionTimeoutMs: number;
  /** Upgrade rate limit per client address: failed attempts allowed in a burst (0 = no limit) and refilled per minute. */
  upgradeFailureBurst: number;
  upgradeFailuresPerMinute: number;
  /** PostgreSQL: connect timeout, server-side statement timeout, and how long a connection may wait for any byte of an answer. */
  dbConnectTimeoutMs: number;
  dbStatementTimeoutMs: number;
  dbResponseTimeoutMs: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got '${raw}'`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got '${env[name]}'`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
  return raw as T;
}

function fileList(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

function apiKey(env: Env): string | undefined {
  const raw = env.CSMS_ADMIN_API_KEY?.trim();
  if (!raw) return undefined;
  if (raw.length < 24) throw new ConfigError('CSMS_ADMIN_API_KEY must be at least 24 characters');
  return raw;
}

/** DATA_DIR/files; an in-memory DATA_DIR (memory://) has no directory, so a temporary one per process. */
function defaultFilesDir(dataDir: string): string {
  return dataDir.startsWith('memory://') ? join(tmpdir(), `chargegraph-${process.pid}-files`) : `${dataDir}/files`;
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const config: Config = {
    host: env.HOST?.trim() || '0.0.0.0',
    port: integer(env, 'PORT', 8080, 0, 65535),
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', DEFAULT_DATABASE_POOL_MAX, 1, 1000),
    dataDir: env.DATA_DIR?.trim() || './data',
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    nodeEnv: env.NODE_ENV?.trim() || 'development',
    heartbeatIntervalS: integer(env, 'HEARTBEAT_INTERVAL', 300, 1, 86400),
    bootRetryIntervalS: integer(env, 'BOOT_RETRY_INTERVAL', 60, 1, 86400),
    callTimeoutMs: integer(env, 'OCPP_CALL_TIMEOUT_MS', 30000, 100, 600000),
    reportTimeoutMs: integer(env, 'REPORT_TIMEOUT_MS', 60000, 100, 3600000),
    pingIntervalS: integer(env, 'OCPP_PING_INTERVAL', 30, 0, 3600),
    maxPayloadBytes: integer(env, 'OCPP_MAX_PAYLOAD_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxFragments: integer(env, 'OCPP_MAX_FRAGMENTS', 256, 1, 16384),
    requestFullInventoryOnFirstBoot: flag(env, 'REQUEST_FULL_INVENTORY_ON_FIRST_BOOT', true),
    adminApiKey: apiKey(env),
    unknownIdTokenPolicy: oneOf(env, 'UNKNOWN_ID_TOKEN_POLICY', ['reject', 'accept'] as const, 'reject'),
    masterPassGroupId: env.MASTER_PASS_GROUP_ID?.trim() || undefined,
    transactionGapCheckMs: integer(env, 'TRANSACTION_GAP_CHECK_MS', 60000, 10, 86400000),
    graphqlBodyLimitBytes: integer(env, 'GRAPHQL_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 16 * 1024 * 1024),
    graphqlMaxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 8, 2, 50),
    graphqlMaxAliases: integer(env, 'GRAPHQL_MAX_ALIASES', 15, 0, 1000),
    graphqlMaxCost: integer(env, 'GRAPHQL_MAX_COST', 5000, 10, 1000000),
    graphqlMaxTokens: integer(env, 'GRAPHQL_MAX_TOKENS', 2000, 100, 100000),
    metricsEnabled: flag(env, 'METRICS_ENABLED', true),
    metricsToken: env.METRICS_TOKEN?.trim() || undefined,
    stationPasswordLength: integer(env, 'STATION_PASSWORD_LENGTH', 40, 16, 64),
    organization: env.CSMS_ORGANIZATION?.trim() || undefined,
    caCertPath: env.CA_CERT?.trim() || undefined,
    caKeyPath: env.CA_KEY?.trim() || undefined,
    certValidityDays: integer(env, 'CERT_VALIDITY_DAYS', 365, 1, 3650),
    certRenewBeforeDays: integer(env, 'CERT_RENEW_BEFORE_DAYS', 30, 0, 3650),
    certRenewCheckIntervalS: integer(env, 'CERT_RENEW_CHECK_INTERVAL', 3600, 1, 86400 * 7),
    plainPortEnabled: flag(env, 'PLAIN_PORT_ENABLED', true),
    tlsPort: integer(env, 'TLS_PORT', 8443, 0, 65535),
    tlsCertFiles: fileList(env, 'TLS_CERT'),
    tlsKeyFiles: fileList(env, 'TLS_KEY'),
    tlsStationCaFiles: fileList(env, 'TLS_STATION_CA_FILES'),
    tlsReloadPollMs: integer(env, 'TLS_RELOAD_POLL_MS', 2000, 0, 3600000),
    publicTlsUrl: (env.PUBLIC_TLS_URL?.trim() || `https://localhost:${integer(env, 'TLS_PORT', 8443, 0, 65535)}`).replace(/\/+$/, ''),
    publicUrl: (env.PUBLIC_URL?.trim() || `http://localhost:${integer(env, 'PORT', 8080, 0, 65535)}`).replace(/\/+$/, ''),
    filesDir: env.FILES_DIR?.trim() || defaultFilesDir(env.DATA_DIR?.trim() || './data'),
    firmwareMaxBytes: integer(env, 'FIRMWARE_MAX_BYTES', 256 * 1024 * 1024, 1, 2 ** 40),
    logUploadMaxBytes: integer(env, 'LOG_UPLOAD_MAX_BYTES', 32 * 1024 * 1024, 1, 2 ** 40),
    logUploadUrlTtlS: integer(env, 'LOG_UPLOAD_URL_TTL', 86400, 60, 86400 * 30),
    shutdownDrainMs: integer(env, 'SHUTDOWN_DRAIN_MS', 5000, 0, 8000),
    idleConnectionTimeoutMs: integer(env, 'IDLE_CONNECTION_TIMEOUT_MS', 10000, 100, 15000),
    upgradeFailureBurst: integer(env, 'UPGRADE_FAILURE_BURST', 20, 0, 100000),
    upgradeFailuresPerMinute: integer(env, 'UPGRADE_FAILURES_PER_MINUTE', 10, 1, 1000000),
    dbConnectTimeoutMs: integer(env, 'DB_CONNECT_TIMEOUT_MS', 10000, 100, 600000),
    dbStatementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 10000, 0, 3600000),
    dbResponseTimeoutMs: integer(env, 'DB_RESPONSE_TIMEOUT_MS', 15000, 0, 3600000),
  };
  if (config.tlsCertFiles.length !== config.tlsKeyFiles.length) {
    throw new ConfigError('TLS_CERT and TLS_KEY must list the same number of files (one key per certificate)');
  }
  if (!config.plainPortEnabled && config.tlsCertFiles.length === 0) {
    throw new ConfigError('PLAIN_PORT_ENABLED=false needs TLS_CERT and TLS_KEY (no listener otherwise)');
  }
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(config.logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${levels.join(', ')}, got '${config.logLevel}'`);
  }
  if (!config.caCertPath !== !config.caKeyPath) throw new ConfigError('CA_CERT and CA_KEY must be given together');
  if (!/^https?:\/\/[^/]/.test(config.publicUrl)) throw new ConfigError('PUBLIC_URL must start with http:// or https://');
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return Object.freeze(config);
}
