// The environment, parsed once into one typed, frozen object. Bad values fail fast with one line.
export interface Config {
  host: string;
  port: number;
  databaseUrl: string | undefined;
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

function apiKey(env: Env): string | undefined {
  const raw = env.CSMS_ADMIN_API_KEY?.trim();
  if (!raw) return undefined;
  if (raw.length < 24) throw new ConfigError('CSMS_ADMIN_API_KEY must be at least 24 characters');
  return raw;
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const config: Config = {
    host: env.HOST?.trim() || '0.0.0.0',
    port: integer(env, 'PORT', 8080, 0, 65535),
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
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
  };
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(config.logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${levels.join(', ')}, got '${config.logLevel}'`);
  }
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return Object.freeze(config);
}
