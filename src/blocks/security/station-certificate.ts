// Profile 3 (A00.FR.403–405, 407): the client certificate of the TLS connection must chain to a
// trusted station CA (checked by TLS: `authorized`), be valid now, name the station in its subject
// CN (station id or registered serial number) and carry the configured organization in O.
import type { PeerCertificate, TLSSocket } from 'node:tls';

export interface CertificateSubject {
  commonName: string;
  organization: string | undefined;
  serialNumber: string;
  fingerprint256: string;
}

export type CertificateCheck =
  | { ok: true; subject: CertificateSubject; matchedBy: 'id' | 'serialNumber' }
  | { ok: false; reason: string; subject?: CertificateSubject };

function single(value: string | string[] | undefined): string | undefined {
  // A subject with two CNs (or two Os) is ambiguous and never matches.
  return typeof value === 'string' ? value : undefined;
}

export function peerCertificateOf(socket: TLSSocket): PeerCertificate | undefined {
  const cert = socket.getPeerCertificate(false);
  return cert && Object.keys(cert).length > 0 ? cert : undefined;
}

export function subjectOf(cert: PeerCertificate): CertificateSubject | undefined {
  const commonName = single(cert.subject?.CN);
  if (commonName === undefined) return undefined;
  return { commonName, organization: single(cert.subject?.O), serialNumber: cert.serialNumber, fingerprint256: cert.fingerprint256 };
}

export function checkStationCertificate(
  socket: TLSSocket,
  station: { id: string; serialNumber: string | null },
  organization: string | undefined,
): CertificateCheck {
  const cert = peerCertificateOf(socket);
  if (!cert) return { ok: false, reason: 'no client certificate presented' };
  const subject = subjectOf(cert);
  // A00.FR.403/407: the path to a trusted CA, and validity now (expired, not yet valid: errata A02.FR.06).
  if (!socket.authorized) return { ok: false, reason: `certificate not accepted: ${String(socket.authorizationError ?? 'untrusted')}`, ...(subject && { subject }) };
  if (!subject) return { ok: false, reason: 'certificate subject has no single CN' };
  // A00.FR.404: O is the CSO's name when one is configured.
  if (organization !== undefined && subject.organization !== organization) {
    return { ok: false, reason: `certificate O '${subject.organization ?? ''}' is not the configured organization`, subject };
  }
  // A00.FR.405: CN is the station's identity or its registered serial (both case-insensitive, as for CSRs).
  if (subject.commonName.toLowerCase() === station.id.toLowerCase()) return { ok: true, subject, matchedBy: 'id' };
  if (station.serialNumber !== null && subject.commonName.toLowerCase() === station.serialNumber.toLowerCase()) return { ok: true, subject, matchedBy: 'serialNumber' };
  return { ok: false, reason: `certificate CN '${subject.commonName}' names another station`, subject };
}
