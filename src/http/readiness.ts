// GET /ready: ready to accept stations when the database answers and carries every migration, and
// the process is not shutting down. /health stays the liveness probe.
import type { Database } from '../db/client';
import { latestAppliedMigration, latestShippedMigration } from '../db/migration-state';

export interface ReadinessBody {
  status: 'ready' | 'not ready';
  database: 'up' | 'down' | 'timeout' | 'not checked';
  migrations: 'applied' | 'pending' | 'unknown';
  draining: boolean;
}

export interface Readiness {
  check(): Promise<{ status: 200 | 503; body: ReadinessBody }>;
  /** From now on /ready answers 503 (graceful shutdown: load balancers stop sending stations). */
  setDraining(): void;
  readonly draining: boolean;
}

const TIMEOUT = Symbol('timeout');

export function createReadiness(database: Database, timeoutMs = 2000): Readiness {
  let draining = false;

  async function probe(): Promise<Pick<ReadinessBody, 'database' | 'migrations'>> {
    if (!(await database.ping())) return { database: 'down', migrations: 'unknown' };
    try {
      const applied = await latestAppliedMigration(database.db);
      return { database: 'up', migrations: applied !== undefined && applied >= latestShippedMigration() ? 'applied' : 'pending' };
    } catch {
      return { database: 'up', migrations: 'unknown' };
    }
  }

  return {
    get draining() {
      return draining;
    },
    setDraining() {
      draining = true;
    },
    async check() {
      if (draining) return { status: 503, body: { status: 'not ready', database: 'not checked', migrations: 'unknown', draining } };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), timeoutMs)));
      const result = await Promise.race([probe(), timeout]).finally(() => clearTimeout(timer));
      const state = result === TIMEOUT ? { database: 'timeout' as const, migrations: 'unknown' as const } : result;
      const ready = state.database === 'up' && state.migrations === 'applied';
      return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', ...state, draining } };
    },
  };
}
