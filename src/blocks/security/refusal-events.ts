// A00.FR.408: a refused connection of an identified station is recorded as a CSMS security event —
// at most one per station and type per window, so a flood of attempts cannot flood the database.
// Attempts inside the window are counted and mentioned in the next recorded event's techInfo.
import type { Services } from '../services';
import { storeSecurityEvent } from './record-security-event';

const WINDOW_MS = 60_000;
/** Bounds memory when many stations are refused at once; the oldest entries are forgotten first. */
const MAX_TRACKED = 10_000;

export interface RefusalRecorder {
  record(stationId: string, type: string, techInfo: string): void;
}

export function createRefusalRecorder(services: Pick<Services, 'db' | 'bus' | 'log' | 'now'>, windowMs = WINDOW_MS): RefusalRecorder {
  const recent = new Map<string, { at: number; suppressed: number }>();
  return {
    record(stationId, type, techInfo) {
      const key = `${stationId}\u0000${type}`;
      const now = services.now();
      const previous = recent.get(key);
      if (previous && now.getTime() - previous.at < windowMs) {
        previous.suppressed += 1;
        return;
      }
      recent.delete(key);
      if (recent.size >= MAX_TRACKED) recent.delete(recent.keys().next().value!);
      recent.set(key, { at: now.getTime(), suppressed: 0 });
      const more = previous?.suppressed ? ` (+${previous.suppressed} more refusals in the previous window)` : '';
      storeSecurityEvent(services, { stationId, type, timestamp: now, techInfo: `${techInfo}${more}`, source: 'CSMS' }).catch((err) =>
        services.log.warn({ err, stationId, type }, 'could not record a refused connection'),
      );
    },
  };
}
