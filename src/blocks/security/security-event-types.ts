// A04 security event types (OCPP 2.0.1 Part 2 Appendix "Security Events"; SPEC-NOTES §2.7). The
// type is a free string (vendor types are legal); the ones the appendix marks critical are flagged.
export const CRITICAL_SECURITY_EVENTS: ReadonlySet<string> = new Set([
  'FirmwareUpdated',
  'SettingSystemTime',
  'StartupOfTheDevice',
  'ResetOrReboot',
  'SecurityLogWasCleared',
  'MemoryExhaustion',
  'TamperDetectionActivated',
  'InvalidFirmwareSignature',
  'InvalidFirmwareSigningCertificate',
  'InvalidCsmsCertificate',
  'InvalidChargingStationCertificate',
  'InvalidTLSVersion',
  'InvalidTLSCipherSuite',
  'MaintenanceLoginAccepted',
  'MaintenanceLoginFailed',
]);

/** Types the CSMS records itself when it refuses a connection of an identified station. */
export const CSMS_EVENT = {
  /** A00.FR.407/408: missing, untrusted, expired or foreign client certificate (profile 3). */
  invalidCertificate: 'InvalidChargingStationCertificate',
  /** A00.FR.207/324: Basic credentials refused (the appendix's station-side type, seen from the CSMS). */
  failedAuthentication: 'FailedToAuthenticateAtCsms',
  /** A00.FR.002 / A05.FR.07: connected with another security profile than the one configured. Not in the appendix. */
  profileMismatch: 'SecurityProfileMismatch',
  /** B01.FR.12: BootNotification serialNumber differs from the certificate CN. Not in the appendix. */
  serialNumberMismatch: 'SerialNumberMismatch',
} as const;

/** A downgrade attempt or a certificate used for another station is as serious as an invalid certificate. */
const CRITICAL_CSMS_EVENTS: ReadonlySet<string> = new Set([CSMS_EVENT.profileMismatch, CSMS_EVENT.serialNumberMismatch]);

export function isCriticalSecurityEvent(type: string, source: 'Station' | 'CSMS'): boolean {
  return CRITICAL_SECURITY_EVENTS.has(type) || (source === 'CSMS' && CRITICAL_CSMS_EVENTS.has(type));
}
