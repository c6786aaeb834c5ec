// Stores one security event and publishes it after the write (A04; CSMS-side refusals, A00.FR.408).
import { recordSecurityEvent, type SecurityEventRow } from '../../db/queries/security-events';
import type { Services } from '../services';
import { isCriticalSecurityEvent } from './security-event-types';

export interface SecurityEventInput {
  stationId: string;
  type: string;
  timestamp: Date;
  techInfo?: string | undefined;
  source: 'Station' | 'CSMS';
}

const TECH_INFO_MAX = 255;

export async function storeSecurityEvent(services: Pick<Services, 'db' | 'bus' | 'log'>, input: SecurityEventInput): Promise<SecurityEventRow> {
  const critical = isCriticalSecurityEvent(input.type, input.source);
  const row = await recordSecurityEvent(services.db, {
    stationId: input.stationId,
    type: input.type,
    timestamp: input.timestamp,
    techInfo: input.techInfo === undefined ? null : input.techInfo.slice(0, TECH_INFO_MAX),
    critical,
    source: input.source,
  });
  services.bus.publish({ type: 'security-event', stationId: row.stationId, id: row.id, critical });
  const log = { stationId: row.stationId, type: row.type, source: row.source, id: row.id };
  if (critical) services.log.warn(log, 'critical security event');
  else services.log.info(log, 'security event');
  return row;
}
