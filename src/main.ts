// Entry point: start, and on a fatal start-up problem print one clear line and exit non-zero.
import { startApp } from './app';
import { ConfigError, loadConfig } from './config';

function describe(err: unknown, port: number | undefined): string {
  const e = err as NodeJS.ErrnoException & { code?: string };
  if (err instanceof ConfigError) return `configuration error: ${err.message}`;
  // The failing listener's port (the plain or the TLS one) when the error names it.
  const failed = (e as { port?: number })?.port ?? port;
  if (e?.code === 'EADDRINUSE') return `cannot listen: port ${failed} is already in use`;
  if (e?.code === 'EACCES') return `cannot listen on port ${failed}: permission denied`;
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'CONNECT_TIMEOUT') {
    return `cannot reach the database (${e.code}); check DATABASE_URL`;
  }
  return `start-up failed: ${e?.message ?? String(err)}`;
}

let port: number | undefined;
try {
  const config = loadConfig();
  port = config.port;
  const app = await startApp(config);
  // A promise a library rejected without a handler (postgres.js does so when a connection dies at a
  // bad moment) must not drop every station: log it and keep serving. Thrown exceptions stay fatal.
  process.on('unhandledRejection', (err) => app.services.log.error({ err }, 'unhandled promise rejection'));
  process.on('uncaughtException', (err) => {
    // postgres.js: a write scheduled for a connection that has just closed (see db/postgres-resilience.ts).
    // The connection is gone and its queries have failed; nothing else is affected. Anything else is fatal.
    if (err instanceof TypeError && /nextWrite/.test(err.stack ?? '') && /node_modules[\\/]postgres[\\/]/.test(err.stack ?? '')) {
      app.services.log.error({ err }, 'write to a closed database connection ignored');
      return;
    }
    process.stderr.write(`${err.stack ?? String(err)}\n`);
    process.exit(1);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.services.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  process.stderr.write(`chargegraph: ${describe(err, port)}\n`);
  process.exit(1);
}
