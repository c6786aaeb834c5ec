// A real Chargegraph server on 127.0.0.1:<random port> over a fresh test database, with helpers
// to provision stations and connect simulated ones. Call close() in after().
import { randomBytes } from 'node:crypto';
import { startApp, type App } from '../../src/app';
import { SimulatedStation, type SimulatedStationOptions } from '../../src/cli/simulator/station';
import { loadConfig } from '../../src/config';
import { insertStation } from '../../src/db/queries/stations';
import { hashPassword } from '../../src/blocks/security/password-hash';
import { openTestDatabase } from './database';
import { testDataDir } from './data-dir';

/** Per-suite limit so a regression that hangs fails the suite instead of the whole run. */
export const SUITE_TIMEOUT = { timeout: 20_000 };

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789-abcdefghijklmnop';

export type BootPolicy = 'Accepted' | 'Pending' | 'Rejected';

export interface ProvisionOptions {
  password?: string;
  bootPolicy?: BootPolicy;
  serialNumber?: string;
  /** A00: the profile the station must connect with (default 1). */
  securityProfile?: 1 | 2 | 3;
}

/** `url` defaults to ocppUrl (e.g. wssUrl for profiles 2/3, with `tls`). */
export type ConnectOptions = Partial<Omit<SimulatedStationOptions, 'id'>>;

export interface TestServer {
  app: App;
  /** Undefined with PLAIN_PORT_ENABLED=false (then ocppUrl/httpUrl are unusable). */
  port: number | undefined;
  /** Base URL stations append their identity to. */
  ocppUrl: string;
  httpUrl: string;
  /** With TLS_CERT/TLS_KEY (and TLS_PORT=0): the TLS port and its wss/https base URLs. */
  tlsPort: number | undefined;
  wssUrl: string;
  httpsUrl: string;
  adminKey: string;
  /** Inserts a station and returns its (plain) Basic-auth password. */
  provisionStation(id: string, opts?: ProvisionOptions): Promise<string>;
  /** A SimulatedStation connected (not booted) with the provisioned password unless one is given. */
  connectStation(id: string, opts?: ConnectOptions): Promise<SimulatedStation>;
  close(): Promise<void>;
}

export function testPassword(): string {
  return `pw-${randomBytes(16).toString('base64url')}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await openTestDatabase();
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    CSMS_ADMIN_API_KEY: TEST_ADMIN_KEY,
    REQUEST_FULL_INVENTORY_ON_FIRST_BOOT: 'false',
    DATA_DIR: testDataDir(),
    ...env,
  });
  let app: App;
  try {
    app = await startApp(config, { database });
  } catch (err) {
    await database.close();
    throw err;
  }
  const port = app.port;
  const ocppUrl = `ws://127.0.0.1:${port}/ocpp`;
  const passwords = new Map<string, string>();
  const stations = new Set<SimulatedStation>();
  let closing: Promise<void> | undefined;

  return {
    app,
    port,
    ocppUrl,
    httpUrl: `http://127.0.0.1:${port}`,
    tlsPort: app.tlsPort,
    wssUrl: `wss://127.0.0.1:${app.tlsPort}/ocpp`,
    httpsUrl: `https://127.0.0.1:${app.tlsPort}`,
    adminKey: TEST_ADMIN_KEY,
    async provisionStation(id, opts = {}) {
      const password = opts.password ?? testPassword();
      await insertStation(database.db, {
        id,
        passwordHash: await hashPassword(password),
        bootPolicy: opts.bootPolicy ?? 'Accepted',
        serialNumber: opts.serialNumber ?? null,
        securityProfile: opts.securityProfile ?? 1,
      });
      passwords.set(id, password);
      return password;
    },
    async connectStation(id, opts = {}) {
      const password = opts.password ?? passwords.get(id);
      const station = new SimulatedStation({
        url: ocppUrl,
        id,
        callTimeoutMs: 5000,
        ...opts,
        ...(password !== undefined && { password }),
      });
      stations.add(station);
      await station.connect();
      return station;
    },
    close: () =>
      (closing ??= (async () => {
        await Promise.all([...stations].map((s) => withTimeout(s.close(), 2000)));
        await app.close();
        await database.close();
      })()),
  };
}

/** Provisions, connects and boots a station (Accepted) and reports its connectors, meter timer off. */
export async function bootedStation(server: TestServer, id: string, options: ConnectOptions = {}): Promise<SimulatedStation> {
  await server.provisionStation(id);
  const station = await server.connectStation(id, { meterIntervalMs: 0, ...options });
  const boot = await station.boot();
  if (boot.status !== 'Accepted') throw new Error(`${id} booted ${boot.status}`);
  await station.announceConnectors();
  return station;
}
