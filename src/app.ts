// Composition root: config → db (+migrate) → bus → http server → ocpp → graphql → listen,
// and the ordered shutdown (stop accepting, close sockets, flush, close the database).
import type { Services } from './blocks/services';
import { ensureSeedApiKey } from './graphql/api-keys';
import { createMemoryBus } from './bus/memory';
import type { Config } from './config';
import { openDatabase, type Database } from './db/client';
import { startListeners } from './http/listeners';
import type { Routes } from './http/server';
import { createGraphqlService } from './graphql/server';
import { createFileRoutes } from './files/file-routes';
import { createLog, type Log } from './log';
import { createOcppService } from './ocpp-service';
import { createObservability } from './metrics/observability';
import type { Metrics } from './metrics/metrics';
import type { Readiness } from './http/readiness';
import { StationRegistry } from './ocpp/registry';
import { sharedValidator } from './ocpp/rpc/shared-validator';
import { loadOrCreateCertificateAuthority } from './blocks/security/certificate-authority';
import { startCertificateRenewal } from './blocks/security/certificate-renewal';

export interface App {
  services: Services;
  database: Database;
  /** Plain port (profile 1); undefined with PLAIN_PORT_ENABLED=false. */
  port: number | undefined;
  /** TLS port (profiles 2 and 3); undefined without TLS_CERT/TLS_KEY. */
  tlsPort: number | undefined;
  /** Re-reads the TLS certificate files (as SIGHUP does); false when the old ones were kept. */
  reloadTls(): Promise<boolean>;
  /** GET /ready; call `readiness.setDraining()` at the start of a graceful shutdown (503 from then on). */
  readiness: Readiness;
  /** Undefined with METRICS_ENABLED=false. */
  metrics: Metrics | undefined;
  close(): Promise<void>;
}

export interface AppOptions {
  log?: Log;
  /** An already open database (tests); otherwise opened from the config. */
  database?: Database;
}

export async function startApp(config: Readonly<Config>, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLog(config.logLevel);
  const database =
    options.database ?? (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      maxConnections: config.databasePoolMax,
      timeouts: { connectTimeoutMs: config.dbConnectTimeoutMs, statementTimeoutMs: config.dbStatementTimeoutMs, responseTimeoutMs: config.dbResponseTimeoutMs },
    }));
  try {
    const services: Services = {
      config, db: database.db, bus: createMemoryBus(), log, registry: new StationRegistry(), now: () => new Date(),
      ca: await loadOrCreateCertificateAuthority(config, log),
    };
    await ensureSeedApiKey(services);
    const observability = createObservability(config, database);
    const ocpp = createOcppService(services, sharedValidator(), observability.metrics?.ocpp);
    const graphql = await createGraphqlService(services, observability.metrics?.graphql);
    const certificateRenewal = startCertificateRenewal(services);
    const routes: Routes = {
      // Liveness only: never waits on the database (that is /ready's job), so an outage cannot hang it.
      health: async () => ({ status: 200, body: { status: 'ok', stationsConnected: services.registry.size } }),
      graphql: graphql.handleHttp,
      ocppUpgrade: ocpp.server.handleUpgrade,
      graphqlUpgrade: graphql.handleUpgrade,
      files: createFileRoutes(services),
      idleConnectionTimeoutMs: config.idleConnectionTimeoutMs,
      probes: observability.probes,
    };
    // One routing table for the plain and the TLS listener (A00: profile 1 vs profiles 2/3).
    const server = await startListeners(config, routes, {
      log,
      onError: (err) => log.error({ err }, 'request failed'),
      trustedCas: () => [services.ca.certificatePem],
    });
    const { port, tlsPort } = server;
    // PORT=0 / TLS_PORT=0: links under the default public URLs point at the ports actually bound.
    const bound = (url: string, actual: number | undefined) => (actual !== undefined && /:0$/.test(url) ? url.replace(/:0$/, `:${actual}`) : url);
    services.config = Object.freeze({ ...config, publicUrl: bound(config.publicUrl, port), publicTlsUrl: bound(config.publicTlsUrl, tlsPort) });
    log.info({ host: config.host, port, tlsPort, storage: database.kind }, 'chargegraph listening');
    let closing: Promise<void> | undefined;
    return {
      services,
      database,
      port,
      tlsPort,
      reloadTls: () => server.tls?.reload() ?? Promise.resolve(false),
      readiness: observability.readiness,
      metrics: observability.metrics,
      close: () =>
        (closing ??= (async () => {
          // Graceful shutdown: /ready 503, no new connections, in-flight OCPP messages and commands finish
          // (SHUTDOWN_DRAIN_MS), then subscriptions and station sockets close with 1001, flush, database.
          observability.readiness.setDraining();
          server.stopAccepting();
          await ocpp.drain(config.shutdownDrainMs);
          await graphql.close();
          certificateRenewal.stop();
          await ocpp.close();
          server.closeAllConnections();
          if (!options.database) await database.close();
        })()),
    };
  } catch (err) {
    if (!options.database) await database.close().catch(() => {});
    throw err;
  }
}
