// Composition root: config → db (+migrate) → bus → http server → ocpp → graphql → listen,
// and the ordered shutdown (stop accepting, close sockets, flush, close the database).
import type { AddressInfo } from 'node:net';
import type { Services } from './blocks/services';
import { ensureSeedApiKey } from './graphql/api-keys';
import { createMemoryBus } from './bus/memory';
import type { Config } from './config';
import { openDatabase, type Database } from './db/client';
import { createHttpServer } from './http/server';
import { createGraphqlService } from './graphql/server';
import { createLog, type Log } from './log';
import { createOcppService } from './ocpp-service';
import { StationRegistry } from './ocpp/registry';
import { sharedValidator } from './ocpp/rpc/shared-validator';

export interface App {
  services: Services;
  database: Database;
  port: number;
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
    options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    const services: Services = {
      config, db: database.db, bus: createMemoryBus(), log, registry: new StationRegistry(), now: () => new Date(),
    };
    await ensureSeedApiKey(services);
    const ocpp = createOcppService(services, sharedValidator());
    const graphql = await createGraphqlService(services);
    const server = createHttpServer(
      {
        health: async () => {
          const databaseUp = await database.ping();
          return { status: databaseUp ? 200 : 503, body: { status: databaseUp ? 'ok' : 'degraded', database: databaseUp ? 'up' : 'down', stationsConnected: services.registry.size } };
        },
        graphql: graphql.handleHttp,
        ocppUpgrade: ocpp.server.handleUpgrade,
        graphqlUpgrade: graphql.handleUpgrade,
      },
      (err) => log.error({ err }, 'request failed'),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    log.info({ host: config.host, port, storage: database.kind }, 'chargegraph listening');
    let closing: Promise<void> | undefined;
    return {
      services,
      database,
      port,
      close: () =>
        (closing ??= (async () => {
          server.close();
          await graphql.close();
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
