// Entry point: start, and on a fatal start-up problem print one clear line and exit non-zero.
import { startApp } from './app';
import { ConfigError, loadConfig } from './config';

function describe(err: unknown, port: number | undefined): string {
  const e = err as NodeJS.ErrnoException & { code?: string };
  if (err instanceof ConfigError) return `configuration error: ${err.message}`;
  if (e?.code === 'EADDRINUSE') return `cannot listen: port ${port} is already in use`;
  if (e?.code === 'EACCES') return `cannot listen on port ${port}: permission denied`;
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
