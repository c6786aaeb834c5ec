// C01/C08/E_16: the one authorization decision, used by Authorize and by every TransactionEvent
// that carries an idToken. An invalid token is never answered Accepted.
import { findIdToken, wasSentInRemoteStart, type IdTokenRow } from '../../db/queries/id-tokens';
import type { IdTokenInfoType, IdTokenType } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

type Status = IdTokenInfoType['status'];

/** IdTokenType.idToken is case-insensitive; the type must be the same (OCPP 2.0.1 Part 2, IdTokenType). */
export function sameIdToken(a: { idToken: string; type: string }, b: { idToken: string; type: string }): boolean {
  return a.type === b.type && a.idToken.toLowerCase() === b.idToken.toLowerCase();
}

function infoFrom(row: IdTokenRow, now: Date): IdTokenInfoType {
  const expired = row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime();
  const info: IdTokenInfoType = { status: (expired ? 'Expired' : row.status) as Status };
  // cacheExpiryDateTime is when the station must consider the token invalid: never after our expiry.
  const cacheUntil = [row.cacheExpiryDateTime, expired ? null : row.expiresAt]
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  if (cacheUntil) info.cacheExpiryDateTime = cacheUntil.toISOString();
  if (row.chargingPriority !== null) info.chargingPriority = row.chargingPriority;
  if (row.language1) info.language1 = row.language1;
  if (row.language2) info.language2 = row.language2;
  if (Array.isArray(row.evseIds) && row.evseIds.length > 0) info.evseId = row.evseIds as number[];
  // C09.FR.02: members of a group carry the common groupIdToken.
  if (row.groupIdToken && row.groupIdTokenType) {
    info.groupIdToken = { idToken: row.groupIdToken, type: row.groupIdTokenType as IdTokenType['type'] };
  }
  if (row.personalMessage) info.personalMessage = row.personalMessage as IdTokenInfoType['personalMessage'];
  return info;
}

export async function authorizeIdToken(ctx: Ctx, idToken: IdTokenType): Promise<IdTokenInfoType> {
  // C02 (start button): NoAuthorization carries no value and needs no check by the CSMS.
  if (idToken.type === 'NoAuthorization') return { status: 'Accepted' };
  const row = await findIdToken(ctx.db, idToken.idToken, idToken.type);
  // C01.FR.07/C06.FR.04: stored status; Blocked, Invalid etc. as stored; Expired past expiresAt.
  if (row) return infoFrom(row, ctx.now());
  // C05/F01: a Central token the CSMS itself sent in RequestStartTransaction (AuthorizeRemoteStart=true).
  if (idToken.type === 'Central' && (await wasSentInRemoteStart(ctx.db, ctx.stationId, idToken.idToken, idToken.type))) {
    return { status: 'Accepted' };
  }
  // UNKNOWN_ID_TOKEN_POLICY=accept: free charging, every token is welcome.
  if (ctx.config.unknownIdTokenPolicy === 'accept') return { status: 'Accepted' };
  // C04.FR.01: a PIN code that is not valid is Invalid; any other unknown token is Unknown.
  return { status: idToken.type === 'KeyCode' ? 'Invalid' : 'Unknown' };
}

export interface TransactionStartToken {
  idToken: string;
  type: string;
  /** The groupIdToken recorded when the transaction was authorized, when known. */
  groupIdToken?: string | null | undefined;
}

const sameGroup = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase();

/**
 * May `stopToken` end (or StopAuthorize) a transaction started with `startToken`? For a
 * TransactionEvent Updated/Ended that carries a different idToken than the one that started it.
 */
export async function mayEndTransaction(ctx: Ctx, startToken: TransactionStartToken, stopToken: IdTokenType): Promise<boolean> {
  // The token that started the transaction may always stop it (E07).
  if (sameIdToken(startToken, stopToken)) return true;
  const stop = await authorizeIdToken(ctx, stopToken);
  // C09.FR.03: "a different, valid IdToken"; an invalid one ends nothing.
  if (stop.status !== 'Accepted') return false;
  const stopGroup = stop.groupIdToken?.idToken;
  // C16 (TC_C_47–C_49): a token of the MasterPassGroupId may stop any transaction.
  if (sameGroup(stopGroup, ctx.config.masterPassGroupId)) return true;
  // C09.FR.03 (TC_C_39–C_43): a valid token with the same groupIdToken may stop it.
  let startGroup = startToken.groupIdToken;
  if (!startGroup && startToken.type !== 'NoAuthorization') {
    startGroup = (await findIdToken(ctx.db, startToken.idToken, startToken.type))?.groupIdToken;
  }
  return sameGroup(startGroup, stopGroup);
}
