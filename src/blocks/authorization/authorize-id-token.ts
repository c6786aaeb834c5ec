// C01/C08/E_16: the one authorization decision, used by Authorize and by every TransactionEvent
// that carries an idToken. An invalid token is never answered Accepted.
import { findIdToken, type IdTokenRow } from '../../db/queries/id-tokens';
import type { IdTokenInfoType, IdTokenType } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

function infoFrom(row: IdTokenRow, now: Date): IdTokenInfoType {
  const expired = row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime();
  const info: IdTokenInfoType = { status: (expired ? 'Expired' : row.status) as IdTokenInfoType['status'] };
  if (row.cacheExpiryDateTime) info.cacheExpiryDateTime = row.cacheExpiryDateTime.toISOString();
  if (row.chargingPriority !== null) info.chargingPriority = row.chargingPriority;
  if (row.language1) info.language1 = row.language1;
  if (row.language2) info.language2 = row.language2;
  if (Array.isArray(row.evseIds) && row.evseIds.length > 0) info.evseId = row.evseIds as number[];
  if (row.groupIdToken && row.groupIdTokenType) {
    info.groupIdToken = { idToken: row.groupIdToken, type: row.groupIdTokenType as IdTokenType['type'] };
  }
  if (row.personalMessage) info.personalMessage = row.personalMessage as IdTokenInfoType['personalMessage'];
  return info;
}

export async function authorizeIdToken(ctx: Ctx, idToken: IdTokenType): Promise<IdTokenInfoType> {
  // C01.FR.?: NoAuthorization needs no check by the CSMS.
  if (idToken.type === 'NoAuthorization') return { status: 'Accepted' };
  const row = await findIdToken(ctx.db, idToken.idToken, idToken.type);
  if (!row) return { status: ctx.config.unknownIdTokenPolicy === 'accept' ? 'Accepted' : 'Unknown' };
  return infoFrom(row, ctx.now());
}
