// Certificates (A02/A03, M03–M05): the CA certificate, issued certificates and revocation, the
// certificates a station holds, and the commands that change them.
import { renewStationCertificate } from '../../blocks/security/certificate-renewal';
import { sendDeleteCertificate } from '../../blocks/iso15118/DeleteCertificate';
import { sendGetInstalledCertificateIds } from '../../blocks/iso15118/GetInstalledCertificateIds';
import { sendInstallCertificate } from '../../blocks/iso15118/InstallCertificate';
import {
  findIssuedCertificate, listInstalledCertificates, listIssuedCertificates, listSigningRequests, revokeIssuedCertificate,
  type InstalledCertificateRow, type IssuedCertificateRow, type SigningRequestRow,
} from '../../db/queries/certificates';
import { findStation } from '../../db/queries/stations';
import type { CertificateSigningUseEnumType } from '../../ocpp/generated/types';
import { apiError } from '../errors';
import type { Resolvers } from '../generated/resolvers';
import { command } from './commands';
import { pageSize } from './stations';

type IssuedStatus = 'Sending' | 'Accepted' | 'Rejected' | 'Failed' | 'Superseded' | 'Revoked' | 'Expired';

function issuedStatus(row: IssuedCertificateRow, now: Date): IssuedStatus {
  if (row.revokedAt || row.stationId === null) return 'Revoked';
  if (row.notAfter.getTime() <= now.getTime()) return 'Expired';
  if (row.supersededAt) return 'Superseded';
  return row.deliveryStatus as IssuedStatus;
}

function issuedCertificate(row: IssuedCertificateRow, now: Date) {
  return {
    serialNumber: row.serialNumber, stationId: row.stationId, certificateType: row.certificateType as CertificateSigningUseEnumType,
    subject: row.subject, notBefore: row.notBefore, notAfter: row.notAfter, status: issuedStatus(row, now),
    deliveryStatusInfo: row.deliveryStatusInfo ? { reasonCode: row.deliveryStatusInfo.reasonCode, additionalInfo: row.deliveryStatusInfo.additionalInfo ?? null } : null,
    issuedAt: row.issuedAt, revokedAt: row.revokedAt, renewalRequestedAt: row.renewalRequestedAt, pem: row.pem,
  };
}

type HashData = { hashAlgorithm: 'SHA256' | 'SHA384' | 'SHA512'; issuerNameHash: string; issuerKeyHash: string; serialNumber: string };

function installedCertificate(row: InstalledCertificateRow) {
  return {
    certificateType: row.certificateType as never,
    certificateHashData: { hashAlgorithm: row.hashAlgorithm, issuerNameHash: row.issuerNameHash, issuerKeyHash: row.issuerKeyHash, serialNumber: row.serialNumber } as HashData,
    childCertificateHashData: (row.childCertificateHashData as HashData[] | null) ?? null,
    subject: row.subject, notAfter: row.notAfter, pem: row.pem, source: row.source, updatedAt: row.updatedAt,
  };
}

function signingRequest(row: SigningRequestRow) {
  return {
    id: String(row.id), certificateType: row.certificateType as CertificateSigningUseEnumType, status: row.status as never,
    reason: row.reason, issuedSerialNumber: row.issuedSerialNumber, receivedAt: row.receivedAt, csr: row.csr,
  };
}

export const certificateResolvers: Resolvers = {
  Query: {
    certificateAuthorityCertificate: (_, __, context) => context.services.ca.certificatePem,
    async issuedCertificates(_, { stationId, first }, context) {
      const { db } = context.services;
      const station = stationId ? await findStation(db, stationId) : undefined;
      if (stationId && !station) return [];
      const rows = await listIssuedCertificates(db, { stationId: station?.id }, pageSize(first, 50));
      return rows.map((r) => issuedCertificate(r, context.services.now()));
    },
    async issuedCertificate(_, { serialNumber }, context) {
      const row = await findIssuedCertificate(context.services.db, serialNumber);
      return row ? issuedCertificate(row, context.services.now()) : null;
    },
  },
  Station: {
    async installedCertificates(station, _, context) {
      return (await listInstalledCertificates(context.services.db, station.id)).map(installedCertificate);
    },
    async issuedCertificates(station, { first }, context) {
      const rows = await listIssuedCertificates(context.services.db, { stationId: station.id }, pageSize(first));
      return rows.map((r) => issuedCertificate(r, context.services.now()));
    },
    async certificateSigningRequests(station, { first }, context) {
      return (await listSigningRequests(context.services.db, station.id, pageSize(first))).map(signingRequest);
    },
  },
  Mutation: {
    renewStationCertificate: (parent, { stationId, certificateType }, context) =>
      command((ctx) => renewStationCertificate(ctx, (certificateType ?? 'ChargingStationCertificate') as CertificateSigningUseEnumType))(parent, { stationId }, context),
    installCertificate: command(sendInstallCertificate),
    getInstalledCertificateIds: command(sendGetInstalledCertificateIds),
    deleteCertificate: command(sendDeleteCertificate),
    async revokeCertificate(_, { serialNumber }, context) {
      const row = await revokeIssuedCertificate(context.services.db, serialNumber, context.services.now());
      if (!row) throw apiError('NOT_FOUND', 'no certificate with this serial number was issued by the built-in CA');
      context.services.log.info({ serialNumber: row.serialNumber, stationId: row.stationId }, 'certificate revoked');
      return { certificate: issuedCertificate(row, context.services.now()) };
    },
  },
};
