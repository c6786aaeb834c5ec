// Wires the OCPP side: transport → sessions → router → behaviour, plus connection bookkeeping.
import type { IncomingMessage } from 'node:http';
import { incomingHandlers } from './blocks/handlers';
import { createDispatcher } from './blocks/dispatcher';
import { stationAuthenticator, type AuthenticatedStation } from './blocks/security/authenticate-station';
import type { Services } from './blocks/services';
import { newSessionState, type SessionState } from './blocks/session-state';
import { saveLastSeen } from './db/queries/stations';
import { createRouter } from './ocpp/router';
import type { OcppValidator } from './ocpp/rpc/validator';
import { attachSession } from './ocpp/transport/attach-session';
import { createOcppServer, type OcppServer } from './ocpp/transport/ocpp-server';
import { createUpgradeRateLimiter } from './ocpp/transport/rate-limit';
import type { OcppMetrics } from './metrics/ocpp-metrics';

export const CLOSE_REPLACED = 1000;

const sessionSecurity = (c: AuthenticatedStation['connection']) => ({
  securityProfile: c.securityProfile,
  ...(c.certificate && { certificateCommonName: c.certificate.commonName }),
});
const LAST_SEEN_FLUSH_MS = 30_000;

export interface OcppService {
  server: OcppServer;
  /** SIGTERM: refuses new stations, lets messages received and commands in flight finish (at most `timeoutMs`). */
  drain(timeoutMs: number): Promise<void>;
  /** Closes every station socket with 1001 and flushes last-seen times. */
  close(): Promise<void>;
  disconnect(stationId: string, reason: string): void;
}

export function createOcppService(services: Services, validator: OcppValidator, metrics?: OcppMetrics): OcppService {
  const { config, log, registry, bus } = services;
  const router = createRouter(validator, createDispatcher(services, incomingHandlers()), log);
  const limits = { callTimeoutMs: config.callTimeoutMs, maxQueuedIncoming: 32, maxQueuedOutgoing: 64, maxJsonDepth: 32 };

  metrics?.trackStations(registry);
  const onConnection = (ws: import('ws').WebSocket, station: AuthenticatedStation, req: IncomingMessage) => {
    metrics?.upgrade(101);
    const session = attachSession<SessionState>(ws, {
      stationId: station.id,
      state: { ...newSessionState(station.registrationStatus), ...sessionSecurity(station.connection) },
      validator,
      handleCall: router,
      limits,
      events: { onProblem: (s, problem, detail) => log.warn({ stationId: s.stationId, ...detail }, problem), observer: metrics },
      onClose(closed, code) {
        // A replaced connection's close must not mark the newer session offline (SPEC-NOTES §1.9).
        if (!registry.remove(closed)) return;
        log.info({ stationId: closed.stationId, code }, 'station disconnected');
        bus.publish({ type: 'station-connection', stationId: closed.stationId, kind: 'Disconnected', registrationStatus: closed.state.registrationStatus, at: services.now() });
      },
    });
    const previous = registry.add(session);
    if (previous) previous.close(CLOSE_REPLACED, 'Replaced by a newer connection');
    log.info({ stationId: station.id, remote: req.socket.remoteAddress, securityProfile: station.connection.securityProfile, replaced: previous !== undefined }, 'station connected');
    bus.publish({ type: 'station-connection', stationId: station.id, kind: 'Connected', registrationStatus: session.state.registrationStatus, at: services.now() });
  };

  const server = createOcppServer<AuthenticatedStation>({
    maxPayloadBytes: config.maxPayloadBytes,
    maxFragments: config.maxFragments,
    pingIntervalS: config.pingIntervalS,
    authenticate: stationAuthenticator(services),
    rateLimiter: createUpgradeRateLimiter({ burst: config.upgradeFailureBurst, refillPerMinute: config.upgradeFailuresPerMinute }),
    onConnection,
    onRefused: (reason, detail) => {
      const status = typeof detail.status === 'number' ? detail.status : 500;
      metrics?.upgrade(status);
      // A rate-limited flood (429) is counted in the metrics, not logged line by line.
      if (status === 429) log.debug(detail, `station upgrade refused: ${reason}`);
      else if (status >= 500) log.warn(detail, `station upgrade refused: ${reason}`);
      else log.info(detail, `station upgrade refused: ${reason}`);
    },
  });

  const flush = async () => {
    const entries = registry.drainLastSeen();
    if (entries.length === 0) return;
    try {
      await saveLastSeen(services.db, entries);
    } catch (err) {
      // Database outage: keep them for the next flush (a station touched since is queued already).
      for (const [id, at] of entries) if (registry.lastSeenAt(id) === at) registry.touch(id, at);
      log.warn({ err }, 'could not save last-seen times');
    }
  };
  const flusher = setInterval(flush, LAST_SEEN_FLUSH_MS);
  flusher.unref();

  return {
    server,
    disconnect(stationId, reason) {
      registry.get(stationId)?.close(1000, reason);
    },
    async drain(timeoutMs) {
      server.stopAccepting();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const drained = Promise.all([...registry.all()].map((session) => session.drain())).then(() => true as const);
      const done = await Promise.race([drained, deadline]);
      clearTimeout(timer);
      if (!done) log.warn({ timeoutMs }, 'shutdown: OCPP messages still in progress after the drain period');
    },
    async close() {
      clearInterval(flusher);
      await server.close();
      for (const session of registry.all()) session.shutdown('CSMS shutting down');
      await flush();
    },
  };
}
