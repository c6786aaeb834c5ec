// A01 Update Charging Station Password for HTTP Basic Authentication, CSMS side: generate, send
// SetVariables SecurityCtrlr.BasicAuthPassword (uncompressed, via sendSetVariables), apply the answer.
// The password exists in clear only in this function and in the one frame sent; never logged or returned.
import { addPendingPassword, replaceStationPassword, reportedVariableLimits } from '../../db/queries/station-security';
import type { SetVariableStatusEnumType, StatusInfoType } from '../../ocpp/generated/types';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import type { Ctx } from '../context';
import { sendSetVariables } from '../provisioning/SetVariables';
import { hashPassword } from './password-hash';
import { generateStationPassword, passwordLength } from './station-password';

const SECURITY_CTRLR = { name: 'SecurityCtrlr' };
const BASIC_AUTH_PASSWORD = { name: 'BasicAuthPassword' };

/** Replaced: only the new one works. Unchanged: only the old one. Pending: both, until the new one is used. */
export type PasswordChange = 'Replaced' | 'Unchanged' | 'Pending';

export interface PasswordRotation {
  status: SetVariableStatusEnumType;
  statusInfo?: StatusInfoType;
  passwordChange: PasswordChange;
}

/** Failures after which the station may or may not have stored the password. */
const OPEN_OUTCOME = new Set(['Timeout', 'StationOffline', 'InvalidResponse']);

export async function rotateStationPassword(ctx: Ctx): Promise<PasswordRotation> {
  // Nothing is generated or sent when the station is not connected.
  if (!ctx.session()?.isOpen) throw new CallFailure('StationOffline', 'Station is not connected');
  const limits = await reportedVariableLimits(ctx.db, ctx.stationId, SECURITY_CTRLR.name, BASIC_AUTH_PASSWORD.name);
  const password = generateStationPassword(passwordLength(ctx.config.stationPasswordLength, limits.maxLimit));
  const hash = await hashPassword(password); // A01.FR.08: only the salted hash is kept
  let status: SetVariableStatusEnumType;
  let statusInfo: StatusInfoType | undefined;
  try {
    // A01.FR.02; sendSetVariables sends a frame with this variable with compression off.
    const response = await sendSetVariables(ctx, {
      setVariableData: [{ component: SECURITY_CTRLR, variable: BASIC_AUTH_PASSWORD, attributeValue: password }],
    });
    const result = response.setVariableResult[0];
    if (!result) throw new CallFailure('InvalidResponse', 'SetVariables answer has no result');
    status = result.attributeStatus;
    statusInfo = result.attributeStatusInfo;
  } catch (err) {
    if (err instanceof CallFailure && OPEN_OUTCOME.has(err.code)) {
      // A01 [BP]: no answer, so the station may have stored it: both work until the new one is used.
      await addPendingPassword(ctx.db, ctx.stationId, hash);
      ctx.log.warn({ stationId: ctx.stationId, failure: err.code }, 'password rotation unanswered; old and new password accepted');
    }
    throw err;
  }
  const passwordChange = await applyAnswer(ctx, status, hash);
  ctx.log.info({ stationId: ctx.stationId, status, passwordChange }, 'station password rotation answered');
  return { status, ...(statusInfo && { statusInfo }), passwordChange };
}

async function applyAnswer(ctx: Ctx, status: SetVariableStatusEnumType, hash: string): Promise<PasswordChange> {
  if (status === 'Accepted') {
    await replaceStationPassword(ctx.db, ctx.stationId, hash); // A01.FR.03
    return 'Replaced';
  }
  if (status === 'RebootRequired') {
    await addPendingPassword(ctx.db, ctx.stationId, hash); // A01 [BP]: in use after the station's reboot
    return 'Pending';
  }
  return 'Unchanged'; // A01.FR.04
}
