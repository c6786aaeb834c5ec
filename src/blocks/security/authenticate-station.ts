// Checks a station's connection attempt before the upgrade (A00.FR.207/324): the identity must
// be provisioned (404 otherwise) and Basic credentials must match (401), username = identity.
import type { IncomingMessage } from 'node:http';
import { findStation, type StationRow } from '../../db/queries/stations';
import type { AuthResult } from '../../ocpp/transport/ocpp-server';
import { parseBasicAuth } from '../../ocpp/transport/identity';
import type { Services } from '../services';
import { verifyPassword } from './password-hash';

export function stationAuthenticator(services: Pick<Services, 'db' | 'log'>) {
  return async (requestedId: string, req: IncomingMessage): Promise<AuthResult<StationRow>> => {
    const station = await findStation(services.db, requestedId);
    if (!station) return { ok: false, status: 404 };
    const credentials = parseBasicAuth(req.headers.authorization);
    // A00.FR.204: the Basic-auth username equals the station identity (case-insensitive).
    if (!credentials || credentials.username.toLowerCase() !== station.id.toLowerCase() || !station.passwordHash) {
      return { ok: false, status: 401 };
    }
    if (!(await verifyPassword(credentials.password, station.passwordHash))) return { ok: false, status: 401 };
    return { ok: true, stationId: station.id, station };
  };
}
