// Checks a station's connection attempt before the upgrade: the identity must be provisioned (404),
// the attempt must use the station's security profile (A00.FR.002, A05.FR.07: 403), and then
// profile 1/2: Basic credentials must match, username = identity (A00.FR.207/324: 401);
// profile 3: the client certificate must be trusted and name this station (A00.FR.403–407: 403).
// Refusals of an identified station are recorded as security events (A00.FR.408), rate-limited.
import type { IncomingMessage } from 'node:http';
import { identityUsedByOtherStation, isCertificateRevoked } from '../../db/queries/certificates';
import { findStation, type StationRow } from '../../db/queries/stations';
import type { AuthResult } from '../../ocpp/transport/ocpp-server';
import { parseBasicAuth } from '../../ocpp/transport/identity';
import type { Services } from '../services';
import { profilesToTry, tlsSocketOf } from './connection-profile';
import { checkStationPassword } from './station-password';
import { settleProfileUpgrade } from './upgrade-profile';
import type { SecurityProfile } from './profile-policy';
import { createRefusalRecorder, type RefusalRecorder } from './refusal-events';
import { CSMS_EVENT } from './security-event-types';
import { checkStationCertificate, type CertificateSubject } from './station-certificate';

export interface ConnectionSecurity {
  securityProfile: SecurityProfile;
  /** Profile 3: the subject of the accepted client certificate (its CN is checked again at boot, B01.FR.11). */
  certificate?: CertificateSubject;
}

export type AuthenticatedStation = StationRow & { connection: ConnectionSecurity };

type Refusal = { ok: false; status: 401 | 403 };

async function checkBasicAuth(services: Pick<Services, 'db' | 'log'>, station: StationRow, req: IncomingMessage): Promise<Refusal | undefined> {
  const credentials = parseBasicAuth(req.headers.authorization);
  // A00.FR.204: the Basic-auth username equals the station identity (case-insensitive).
  if (!credentials || credentials.username.toLowerCase() !== station.id.toLowerCase() || !station.passwordHash) {
    return { ok: false, status: 401 };
  }
  // A01: the current password, or a rotated one whose outcome was open (its first use retires the old).
  if (!(await checkStationPassword(services, station, credentials.password))) return { ok: false, status: 401 };
  return undefined;
}

/** `refusals` undefined: a failure is not recorded (Basic is tried next). */
async function checkCertificate(
  services: Pick<Services, 'db' | 'config'>, station: StationRow, req: IncomingMessage, refusals: RefusalRecorder | undefined,
): Promise<{ refusal: Refusal } | { certificate: CertificateSubject }> {
  const check = checkStationCertificate(tlsSocketOf(req)!, station, services.config.organization);
  let reason = check.ok ? undefined : check.reason;
  // A00.FR.427: a CN matching this station's serial that also names another station identifies none.
  if (check.ok && check.matchedBy === 'serialNumber' && (await identityUsedByOtherStation(services.db, station.id, check.subject.commonName))) {
    reason = `certificate CN '${check.subject.commonName}' also names another station`;
  }
  // A00.FR.702: a certificate the built-in CA issued and that was revoked (or whose station was deleted).
  if (check.ok && reason === undefined && (await isCertificateRevoked(services.db, check.subject.serialNumber))) {
    reason = `certificate ${check.subject.serialNumber} is revoked`;
  }
  if (reason !== undefined || !check.ok) {
    refusals?.record(station.id, CSMS_EVENT.invalidCertificate, reason ?? 'invalid certificate');
    return { refusal: { ok: false, status: 403 } };
  }
  return { certificate: check.subject };
}

export function stationAuthenticator(services: Pick<Services, 'db' | 'log' | 'bus' | 'now' | 'config'>) {
  const refusals = createRefusalRecorder(services);
  return async (requestedId: string, req: IncomingMessage): Promise<AuthResult<AuthenticatedStation>> => {
    const station = await findStation(services.db, requestedId);
    if (!station) return { ok: false, status: 404 };
    const { allowed, presented } = profilesToTry(station, req);
    if (allowed.length === 0) {
      refusals.record(station.id, CSMS_EVENT.profileMismatch, `connection used security profile ${presented}; configured: ${station.securityProfile}`);
      return { ok: false, status: 403 };
    }
    // Certificate first; Basic only when the station may use profile 2 on this attempt too (e.g. mid-upgrade).
    let connection: ConnectionSecurity | undefined;
    let refusal: Refusal | undefined;
    if (allowed[0] === 3) {
      const outcome = await checkCertificate(services, station, req, allowed.length === 1 ? refusals : undefined);
      if ('certificate' in outcome) connection = { securityProfile: 3, certificate: outcome.certificate };
      else refusal = outcome.refusal;
    }
    const basicProfile = allowed.find((p) => p !== 3);
    if (!connection && basicProfile !== undefined) {
      refusal = await checkBasicAuth(services, station, req);
      if (refusal) refusals.record(station.id, CSMS_EVENT.failedAuthentication, `Basic credentials refused (security profile ${basicProfile})`);
      else connection = { securityProfile: basicProfile };
    }
    if (!connection) return refusal ?? { ok: false, status: 403 };
    const profile = connection.securityProfile;
    const settled = await settleProfileUpgrade(services, station, profile); // A05.FR.07
    return { ok: true, stationId: station.id, station: { ...settled, connection } };
  };
}
