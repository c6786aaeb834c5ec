// A00.FR.001/002, A05.FR.07: one security profile per station at a time; a connection made with
// any other profile than the station's configured one is refused before the upgrade.
// The one place that decides it (a pending profile upgrade extends this).
export type SecurityProfile = 1 | 2 | 3;

export interface ProfileSubject {
  /** The profile the CSMS has configured for the station (stations.security_profile). */
  securityProfile: number;
  /** A05: the target of an upgrade in progress (stations.pending_security_profile). */
  pendingSecurityProfile?: number | null;
}

export function profileAllowed(station: ProfileSubject, usedProfile: SecurityProfile): boolean {
  // A05: during an upgrade the old profile and the target both work; the first connection with the
  // target makes it the only one (completesProfileUpgrade), so the old is refused from then on (A05.FR.07).
  return station.securityProfile === usedProfile || station.pendingSecurityProfile === usedProfile;
}

/** A05: this allowed connection is the station's first with its upgrade target. */
export function completesProfileUpgrade(station: ProfileSubject, usedProfile: SecurityProfile): boolean {
  return station.pendingSecurityProfile === usedProfile && station.securityProfile !== usedProfile;
}
