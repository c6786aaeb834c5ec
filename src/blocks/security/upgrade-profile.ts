// A05 Upgrade Charging Station Security Profile, CSMS side: read the slots in use, store the new
// connection profile in a free slot (SetNetworkProfile), put it first in NetworkConfigurationPriority,
// Reset. Each step's outcome is recorded; the station may use the target profile from the moment
// the priority is set, and its old profile until it connected with the target (profile-policy.ts).
import {
  completeProfileUpgrade, recordUpgradeStep, reportedVariableLimits, setPendingSecurityProfile, startProfileUpgrade,
  type SecurityProfileUpgradeRow, type UpgradeStep,
} from '../../db/queries/station-security';
import { findStation } from '../../db/queries/stations';
import type { OCPPInterfaceEnumType } from '../../ocpp/generated/types';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import type { Ctx } from '../context';
import type { Services } from '../services';
import { sendGetVariables } from '../provisioning/GetVariables';
import { sendReset } from '../provisioning/Reset';
import { sendSetNetworkProfile } from '../provisioning/SetNetworkProfile';
import { sendSetVariables } from '../provisioning/SetVariables';
import { csmsOcppUrl, parsePriority, pickFreeSlot, priorityWith } from './network-slots';
import { completesProfileUpgrade, type ProfileSubject, type SecurityProfile } from './profile-policy';

const OCPP_COMM = { name: 'OCPPCommCtrlr' };
const PRIORITY = { name: 'NetworkConfigurationPriority' };

export interface UpgradeProfileInput {
  securityProfile: number;
  configurationSlot?: number | undefined;
  messageTimeout?: number | undefined;
  ocppInterface?: OCPPInterfaceEnumType | undefined;
}

export interface UpgradeOutcome {
  upgrade: SecurityProfileUpgradeRow;
  /** The call that ended the sequence early, when one failed. */
  failure?: CallFailure;
}

/** The request itself is not acceptable (BAD_USER_INPUT). */
export class UpgradeNotAllowed extends Error {}

class StepFailed extends Error {}

export async function upgradeSecurityProfile(ctx: Ctx, input: UpgradeProfileInput): Promise<UpgradeOutcome> {
  const station = await findStation(ctx.db, ctx.stationId);
  if (!station) throw new UpgradeNotAllowed(`station ${ctx.stationId} not found`);
  const target = input.securityProfile;
  // A05 moves up only; A00.FR.005 (errata 2025-01): never down to profile 1 via OCPP.
  if (![2, 3].includes(target) || target <= station.securityProfile) {
    throw new UpgradeNotAllowed(`securityProfile must be 2 or 3 and above the station's current profile ${station.securityProfile}`);
  }
  // Profiles 2/3 are told apart only on the CSMS's own TLS listener: without it the station would be
  // sent to a URL where it can never complete the upgrade.
  if (ctx.config.tlsCertFiles.length === 0) throw new UpgradeNotAllowed('the TLS listener is not configured (TLS_CERT/TLS_KEY)');
  if (!ctx.session()?.isOpen) throw new CallFailure('StationOffline', 'Station is not connected');
  let upgrade = await startProfileUpgrade(ctx.db, ctx.stationId, station.securityProfile, target, ctx.now());
  const record = async (step: string, outcome: string, detail?: string, change?: { status?: string; configurationSlot?: number }) => {
    const entry: UpgradeStep = { step, outcome, ...(detail !== undefined && { detail }), at: ctx.now().toISOString() };
    upgrade = await recordUpgradeStep(ctx.db, upgrade.id, entry, change);
    ctx.log.info({ stationId: ctx.stationId, upgradeId: upgrade.id, step, outcome }, 'security profile upgrade step');
  };
  /** Runs one call; a failed call or a refusing answer ends the upgrade as Failed. */
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (err instanceof CallFailure) await record(name, err.code, err.message, { status: 'Failed' });
      throw err;
    }
  };
  try {
    const read = await step('GetVariables', () =>
      sendGetVariables(ctx, { getVariableData: [{ component: OCPP_COMM, variable: PRIORITY }] }));
    const current = read.getVariableResult[0];
    if (current?.attributeStatus !== 'Accepted') {
      await record('GetVariables', current?.attributeStatus ?? 'NoResult', undefined, { status: 'Failed' });
      throw new StepFailed();
    }
    const used = parsePriority(current.attributeValue);
    await record('GetVariables', 'Accepted', `NetworkConfigurationPriority=${current.attributeValue ?? ''}`);

    const possible = (await reportedVariableLimits(ctx.db, ctx.stationId, OCPP_COMM.name, PRIORITY.name)).valuesList;
    const slot = input.configurationSlot ?? pickFreeSlot(used, possible);
    if (slot === undefined || used.includes(slot)) {
      await record('SetNetworkProfile', 'NotSent', slot === undefined ? 'no free configuration slot' : `slot ${slot} is in use`, { status: 'Failed' });
      throw new StepFailed();
    }
    const profile = await step('SetNetworkProfile', () =>
      sendSetNetworkProfile(ctx, {
        configurationSlot: slot,
        connectionData: {
          ocppVersion: 'OCPP20',
          ocppTransport: 'JSON',
          ocppCsmsUrl: csmsOcppUrl(ctx.config.publicTlsUrl),
          messageTimeout: input.messageTimeout ?? 30,
          securityProfile: target,
          ocppInterface: input.ocppInterface ?? 'Wired0',
        },
      }));
    const profileOk = profile.status === 'Accepted';
    await record('SetNetworkProfile', profile.status, profile.statusInfo?.reasonCode, { configurationSlot: slot, ...(!profileOk && { status: 'Failed' }) });
    if (!profileOk) throw new StepFailed();

    const priority = priorityWith(slot, used);
    const written = await step('SetVariables', () =>
      sendSetVariables(ctx, { setVariableData: [{ component: OCPP_COMM, variable: PRIORITY, attributeValue: priority }] }));
    const writeStatus = written.setVariableResult[0]?.attributeStatus ?? 'NoResult';
    const writeOk = writeStatus === 'Accepted' || writeStatus === 'RebootRequired';
    await record('SetVariables', writeStatus, `NetworkConfigurationPriority=${priority}`, writeOk ? {} : { status: 'Failed' });
    if (!writeOk) throw new StepFailed();

    // From here the station may come back with the target profile at any time (before Reset answers).
    await setPendingSecurityProfile(ctx.db, ctx.stationId, target);
    await resetStep(ctx, record);
    return { upgrade };
  } catch (err) {
    if (err instanceof StepFailed) return { upgrade };
    if (err instanceof CallFailure) return { upgrade, failure: err };
    throw err;
  }
}

type RecordStep = (step: string, outcome: string, detail?: string, change?: { status?: string }) => Promise<void>;

/**
 * The station may drop the connection to reboot before its answer arrives, and a Rejected reset
 * still leaves the new slot first for its next reboot: the upgrade waits for the reconnect either way.
 */
async function resetStep(ctx: Ctx, record: RecordStep): Promise<void> {
  try {
    const reset = await sendReset(ctx, { type: 'OnIdle' });
    await record('Reset', reset.status, reset.statusInfo?.reasonCode, { status: 'AwaitingReconnect' });
  } catch (err) {
    if (!(err instanceof CallFailure)) throw err;
    await record('Reset', err.code, err.message, { status: 'AwaitingReconnect' });
  }
}

/**
 * Called for every authenticated connection: the first one with the upgrade's target profile makes
 * it the station's only profile (A05.FR.07, TC_A_19_CSMS) and completes the upgrade record.
 */
export async function settleProfileUpgrade<S extends ProfileSubject & { id: string }>(
  services: Pick<Services, 'db' | 'log' | 'now'>, station: S, profile: SecurityProfile,
): Promise<S> {
  if (!completesProfileUpgrade(station, profile)) return station;
  if (await completeProfileUpgrade(services.db, station.id, profile, services.now())) {
    services.log.info({ stationId: station.id, securityProfile: profile }, 'security profile upgrade completed; the old profile is refused from now on');
  }
  return { ...station, securityProfile: profile, pendingSecurityProfile: null };
}
