// Which security profile a connection attempt uses (A00): plain → 1; TLS with Basic credentials → 2;
// TLS with a client certificate → 3. A TLS attempt carrying both (or neither) could be either, and
// counts as the one the station may use (profile-policy.ts), 3 first.
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { peerCertificateOf } from './station-certificate';
import { profileAllowed, type ProfileSubject, type SecurityProfile } from './profile-policy';

export function tlsSocketOf(req: IncomingMessage): TLSSocket | undefined {
  return req.socket instanceof TLSSocket ? req.socket : undefined;
}

export function candidateProfiles(req: IncomingMessage): SecurityProfile[] {
  const tls = tlsSocketOf(req);
  if (!tls) return [1];
  const hasCertificate = peerCertificateOf(tls) !== undefined;
  const hasBasic = req.headers.authorization !== undefined;
  if (hasCertificate && !hasBasic) return [3];
  if (hasBasic && !hasCertificate) return [2];
  return [3, 2];
}

/**
 * The profiles this attempt may be judged under, in order (the station may use each); empty when it
 * may use none of them, with `presented` the profile the refusal names.
 */
export function profilesToTry(station: ProfileSubject, req: IncomingMessage): { allowed: SecurityProfile[]; presented: SecurityProfile } {
  const candidates = candidateProfiles(req);
  return { allowed: candidates.filter((profile) => profileAllowed(station, profile)), presented: candidates[0]! };
}
