// The TLS listener (profiles 2 and 3): the same routes as the plain server, client certificates
// requested but checked at the upgrade (stations on profile 2 and API clients present none), and
// certificates reloaded without a restart on file change or SIGHUP. An invalid replacement keeps
// the running context and logs an error.
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { ConfigError } from '../config';
import type { Log } from '../log';
import { HTTP_SERVER_OPTIONS, routeRequests, type Routes } from './server';
import { checkTlsMaterial, readTlsMaterial, secureContextOptions, type TlsFiles } from './tls-options';

const RELOAD_DEBOUNCE_MS = 250;

export interface TlsServerOptions {
  files: TlsFiles;
  /** PEM certificates trusted for station certificates besides `files.caFiles` (the built-in CA). */
  trustedCas(): readonly string[];
  /** How often the files are polled for changes; 0 = only on SIGHUP / reload(). */
  pollMs: number;
  routes: Routes;
  onError(err: unknown): void;
  log: Log;
}

export interface TlsServer {
  server: Server;
  /** Re-reads the files; true when the new context is in use, false when the old one was kept. */
  reload(): Promise<boolean>;
  /** Stops watching (the caller closes `server`). */
  stopWatching(): void;
}

async function loadContext(options: TlsServerOptions) {
  const material = await readTlsMaterial(options.files, options.trustedCas());
  const certificates = checkTlsMaterial(material);
  return { context: secureContextOptions(material), certificates };
}

/** Throws when the files do not make a usable context (start-up fails clearly). */
export async function createTlsServer(options: TlsServerOptions): Promise<TlsServer> {
  const { log } = options;
  const initial = await loadContext(options).catch((err: Error) => {
    throw new ConfigError(`TLS_CERT/TLS_KEY/TLS_STATION_CA_FILES cannot be used: ${err.message}`);
  });
  log.info({ certificates: initial.certificates }, 'TLS certificates loaded');
  const server = createServer({
    ...HTTP_SERVER_OPTIONS,
    ...initial.context,
    // Profile 3 (A00.FR.403): the certificate is asked for, and judged at the upgrade where the station is known.
    requestCert: true,
    rejectUnauthorized: false,
  });
  routeRequests(server, options.routes, options.onError);
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket) => {
    // A00.FR.314/320: old TLS versions and unacceptable suites end here, before any station is known.
    log.debug({ remote: socket.remoteAddress, code: err.code, reason: err.message }, 'TLS handshake refused');
  });

  let reloading: Promise<boolean> = Promise.resolve(true);
  const reload = () =>
    (reloading = reloading.then(async () => {
      try {
        const next = await loadContext(options);
        server.setSecureContext(next.context);
        log.info({ certificates: next.certificates }, 'TLS certificates reloaded');
        return true;
      } catch (err) {
        log.error({ reason: (err as Error).message }, 'TLS certificate reload failed; keeping the current certificates');
        return false;
      }
    }));

  let timer: NodeJS.Timeout | undefined;
  const scheduleReload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), RELOAD_DEBOUNCE_MS);
    timer.unref();
  };
  const onFileChange = (curr: Stats, prev: Stats) => {
    if (curr.mtimeMs !== prev.mtimeMs || curr.size !== prev.size || curr.ino !== prev.ino) scheduleReload();
  };
  const watched = [...options.files.certFiles, ...options.files.keyFiles, ...options.files.caFiles];
  if (options.pollMs > 0) {
    for (const file of watched) watchFile(file, { persistent: false, interval: options.pollMs }, onFileChange);
  }
  const onSighup = () => {
    log.info('SIGHUP: reloading TLS certificates');
    scheduleReload();
  };
  process.on('SIGHUP', onSighup);

  return {
    server,
    reload,
    stopWatching() {
      clearTimeout(timer);
      process.off('SIGHUP', onSighup);
      if (options.pollMs > 0) for (const file of watched) unwatchFile(file, onFileChange);
    },
  };
}
