// A01 rotateStationPassword and A05 upgradeSecurityProfile, plus the Station fields that show
// a pending password change and the upgrade history.
import { commandCtx } from '../../blocks/context';
import { rotateStationPassword } from '../../blocks/security/rotate-password';
import { UpgradeNotAllowed, upgradeSecurityProfile } from '../../blocks/security/upgrade-profile';
import { listProfileUpgrades, type SecurityProfileUpgradeRow } from '../../db/queries/station-security';
import { findStation } from '../../db/queries/stations';
import type { GraphqlContext } from '../context';
import { apiError, runCommand } from '../errors';
import type { Resolvers, SecurityProfileUpgrade } from '../generated/resolvers';
import { pageSize } from './stations';

async function ctxFor(context: GraphqlContext, stationId: string) {
  const station = await findStation(context.services.db, stationId);
  if (!station) throw apiError('NOT_FOUND', `station ${stationId} not found`);
  return commandCtx(context.services, station.id);
}

function toUpgrade(row: SecurityProfileUpgradeRow): SecurityProfileUpgrade {
  return {
    id: String(row.id),
    stationId: row.stationId,
    fromProfile: row.fromProfile,
    targetProfile: row.targetProfile,
    configurationSlot: row.configurationSlot,
    status: row.status as SecurityProfileUpgrade['status'],
    steps: row.steps.map((s) => ({ step: s.step, outcome: s.outcome, detail: s.detail ?? null, at: new Date(s.at) })),
    requestedAt: row.requestedAt,
    completedAt: row.completedAt,
  };
}

export const stationCredentialResolvers: Resolvers = {
  Mutation: {
    async rotateStationPassword(_, { stationId }, context) {
      const ctx = await ctxFor(context, stationId);
      const result = await runCommand(() => rotateStationPassword(ctx));
      if ('error' in result) return { status: null, statusInfo: null, passwordChange: null, error: result.error };
      return { status: result.status, statusInfo: result.statusInfo ? { reasonCode: result.statusInfo.reasonCode, additionalInfo: result.statusInfo.additionalInfo ?? null } : null, passwordChange: result.passwordChange, error: null };
    },
    async upgradeSecurityProfile(_, args, context) {
      const ctx = await ctxFor(context, args.stationId);
      const input = {
        securityProfile: args.securityProfile,
        configurationSlot: args.configurationSlot ?? undefined,
        messageTimeout: args.messageTimeout ?? undefined,
        ocppInterface: args.ocppInterface ?? undefined,
      };
      let outcome;
      try {
        outcome = await upgradeSecurityProfile(ctx, input);
      } catch (err) {
        if (err instanceof UpgradeNotAllowed) throw apiError('BAD_USER_INPUT', err.message);
        const offline = await runCommand(() => Promise.reject(err)); // a CallFailure before anything started
        return { upgrade: null, error: 'error' in offline ? offline.error : null };
      }
      // A failed call ended the sequence: the payload carries the recorded steps and the error.
      const { failure } = outcome;
      const failed = failure ? await runCommand(() => Promise.reject(failure)) : undefined;
      return { upgrade: toUpgrade(outcome.upgrade), error: failed && 'error' in failed ? failed.error : null };
    },
  },
  Station: {
    pendingSecurityProfile: (station) => station.pendingSecurityProfile ?? null,
    passwordChangePending: (station) => (station.pendingPasswordHashes?.length ?? 0) > 0,
    securityProfileUpgrades: async (station, { first }, { services }) =>
      (await listProfileUpgrades(services.db, station.id, pageSize(first, 10))).map(toUpgrade),
  },
};
