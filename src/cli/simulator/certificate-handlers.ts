// The station side of A02/A03 and M03–M05: TriggerMessage Sign*Certificate → key pair + CSR →
// SignCertificate; CertificateSigned validated and kept (Rejected + security event when invalid,
// TC_A_14); InstallCertificate, GetInstalledCertificateIds and DeleteCertificate in memory.
import { field, readArray, readString } from './request-fields';
import type { SigningUse } from './station-certificates';
import type { CallHandler, StationContext } from './station-context';

const SIGN_TRIGGERS: Record<string, SigningUse> = {
  SignChargingStationCertificate: 'ChargingStationCertificate',
  SignV2GCertificate: 'V2GCertificate',
};

/** A02 steps 2–3: generate a key pair and send its CSR. */
export async function sendSignCertificate(ctx: StationContext, use: SigningUse): Promise<unknown> {
  const csr = await ctx.certificates.createCsr(use);
  return ctx.call('SignCertificate', { csr, certificateType: use });
}

export function certificateHandlers(ctx: StationContext, otherTriggers: CallHandler) {
  const store = ctx.certificates;
  return {
    TriggerMessage: (payload: unknown) => {
      const use = SIGN_TRIGGERS[readString(field(payload, 'requestedMessage')) ?? ''];
      if (!use) return otherTriggers(payload);
      ctx.afterResponse(() => sendSignCertificate(ctx, use));
      return { status: 'Accepted' };
    },
    CertificateSigned: async (payload: unknown) => {
      const use = (readString(field(payload, 'certificateType')) ?? 'ChargingStationCertificate') as SigningUse;
      const problem = await store.accept(readString(field(payload, 'certificateChain')) ?? '', use);
      if (problem === undefined) return { status: 'Accepted' };
      // TC_A_14: an invalid certificate is rejected and reported as a security event.
      ctx.afterResponse(() => ctx.call('SecurityEventNotification', {
        type: 'InvalidChargingStationCertificate', timestamp: new Date().toISOString(), techInfo: problem.slice(0, 255),
      }));
      return { status: 'Rejected', statusInfo: { reasonCode: 'InvalidCertificate', additionalInfo: problem.slice(0, 512) } };
    },
    InstallCertificate: (payload: unknown) => {
      const installed = store.install(readString(field(payload, 'certificateType')) ?? '', readString(field(payload, 'certificate')) ?? '');
      return { status: installed ? 'Accepted' : 'Rejected' };
    },
    GetInstalledCertificateIds: (payload: unknown) => {
      const types = readArray(field(payload, 'certificateType')).map(String);
      const matching = store.installed.filter((c) => types.length === 0 || types.includes(c.certificateType));
      if (matching.length === 0) return { status: 'NotFound' };
      return { status: 'Accepted', certificateHashDataChain: matching.map((c) => ({ certificateType: c.certificateType, certificateHashData: c.hashData })) };
    },
    DeleteCertificate: (payload: unknown) => {
      const hash = field(payload, 'certificateHashData');
      const removed = store.remove({ issuerNameHash: field(hash, 'issuerNameHash'), issuerKeyHash: field(hash, 'issuerKeyHash'), serialNumber: field(hash, 'serialNumber') });
      return { status: removed ? 'Accepted' : 'NotFound' };
    },
  };
}
