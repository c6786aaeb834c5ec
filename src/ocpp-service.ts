// Wires the OCPP side: transport → sessions → router → behaviour, plus connection bookkeeping.
import type { IncomingMessage } from 'node:http';
import { incomingHandlers } from './blocks/handlers';
import { createDispatcher } from './blocks/dispatcher';
import { stationAuthenticator } from './blocks/security/authenticate-station';
import type { Services } from './blocks/services';
import { newSessionState, type SessionState } from './blocks/session-state';
import { saveLastSeen, type StationRow } from './db/queries/stations';
import { createRouter } from './ocpp/router';
import type { OcppValidator } from './ocpp/rpc/validator';
import { attachSession } from './ocpp/transport/attach-session';
import { createOcppServer, type OcppServer } from './ocpp/transport/ocpp-server';

export const CLOSE_REPLACED = 1000;
const LAST_SEEN_FLUSH_MS = 30_000;

export interface OcppService {
  server: OcppServer;
  /** Closes every station socket with 1001 and flushes last-seen times. */
  close(): Promise<void>;
  disconnect(stationId: string, reason: string): void;
}

export function createOcppService(services: Services, validator: OcppValidator): OcppService {
  const { config, log, registry, bus } = services;
  const router = createRouter(validator, createDispatcher(services, incomingHandlers()), log);
  const limits = { callTimeoutMs: config.callTimeoutMs, maxQueuedIncoming: 32, maxQueuedOutgoing: 64, maxJsonDepth: 32 };

  const onConnection = (ws: import('ws').WebSocket, station: StationRow, req: IncomingMessage) => {
    const session = attachSession<SessionState>(ws, {
      stationId: station.id,
      state: newSessionState(station.registrationStatus),
      validator,
      handleCall: router,
      limits,
      events: { onProblem: (s, problem, detail) => log.warn({ stationId: s.stationId, ...detail }, problem) },
      onClose(closed, code) {
        // A replaced connection's close must not mark the newer session offline (SPEC-NOTES §1.9).
        if (!registry.remove(closed)) return;
        log.info({ stationId: closed.stationId, code }, 'station disconnected');
        bus.publish({ type: 'station-connection', stationId: closed.stationId, kind: 'Disconnected', registrationStatus: closed.state.registrationStatus, at: services.now() });
      },
    });
    const previous = registry.add(session);
    if (previous) previous.close(CLOSE_REPLACED, 'Replaced by a newer connection');
    log.info({ stationId: station.id, remote: req.socket.remoteAddress, replaced: previous !== undefined }, 'station connected');
    bus.publish({ type: 'station-connection', stationId: station.id, kind: 'Connected', registrationStatus: session.state.registrationStatus, at: services.now() });
  };

  const server = createOcppServer<StationRow>({
    maxPayloadBytes: config.maxPayloadBytes,
    maxFragments: config.maxFragments,
    pingIntervalS: config.pingIntervalS,
    authenticate: stationAuthenticator(services),
    onConnection,
    onRefused: (reason, detail) => log.info(detail, `station upgrade refused: ${reason}`),
  });

  const flush = () =>
    saveLastSeen(services.db, registry.drainLastSeen()).catch((err) => log.warn({ err }, 'could not save last-seen times'));
  const flusher = setInterval(flush, LAST_SEEN_FLUSH_MS);
  flusher.unref();

  return {
    server,
    disconnect(stationId, reason) {
      registry.get(stationId)?.close(1000, reason);
    },
    async close() {
      clearInterval(flusher);
      server.close();
      for (const session of registry.all()) session.shutdown('CSMS shutting down');
      await flush();
    },
  };
}
