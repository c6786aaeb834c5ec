// The listeners serving the one routing table: the plain port (profile 1, unless turned off with
// PLAIN_PORT_ENABLED=false) and, with TLS_CERT/TLS_KEY, the TLS port (profiles 2 and 3).
import type { AddressInfo, Server } from 'node:net';
import type { Config } from '../config';
import type { Log } from '../log';
import { createHttpServer, type Routes } from './server';
import { createTlsServer, type TlsServer } from './tls-server';

export interface Listeners {
  /** Bound plain port; undefined when the plain port is off. */
  port: number | undefined;
  /** Bound TLS port; undefined without TLS configuration. */
  tlsPort: number | undefined;
  tls: TlsServer | undefined;
  /** Stops accepting connections. */
  stopAccepting(): void;
  /** Drops the connections still open (after the services closed theirs). */
  closeAllConnections(): void;
}

/**
 * Connections the kernel may hold until they are accepted (it caps this at net.core.somaxconn,
 * 4096 on current Linux). A boot storm connects thousands of stations at once: with Node's default
 * of 511 the queue overflows and the kernel drops the handshakes, which the stations retry after 1,
 * 2, 4, 8, 16 s of SYN backoff, so a storm took tens of seconds while the server was not even busy.
 */
export const LISTEN_BACKLOG = 65_535;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startListeners(
  config: Readonly<Config>,
  routes: Routes,
  options: { log: Log; onError(err: unknown): void; trustedCas(): readonly string[] },
): Promise<Listeners> {
  const { log } = options;
  const plain = config.plainPortEnabled ? createHttpServer(routes, options.onError) : undefined;
  const tls =
    config.tlsCertFiles.length > 0
      ? await createTlsServer({
          files: { certFiles: config.tlsCertFiles, keyFiles: config.tlsKeyFiles, caFiles: config.tlsStationCaFiles },
          trustedCas: options.trustedCas,
          pollMs: config.tlsReloadPollMs,
          routes,
          onError: options.onError,
          log,
        })
      : undefined;
  const servers = [plain, tls?.server].filter((s) => s !== undefined);
  const stopAccepting = () => {
    tls?.stopWatching();
    for (const server of servers) server.close();
  };
  try {
    const port = plain ? await listen(plain, config.port, config.host) : undefined;
    const tlsPort = tls ? await listen(tls.server, config.tlsPort, config.host) : undefined;
    if (port !== undefined) log.info({ host: config.host, port }, 'plain listener (profile 1)');
    if (tlsPort !== undefined) log.info({ host: config.host, port: tlsPort, publicUrl: config.publicTlsUrl }, 'TLS listener (profiles 2 and 3)');
    return {
      port,
      tlsPort,
      tls,
      stopAccepting,
      closeAllConnections() {
        for (const server of servers) server.closeAllConnections();
      },
    };
  } catch (err) {
    stopAccepting();
    throw err;
  }
}
